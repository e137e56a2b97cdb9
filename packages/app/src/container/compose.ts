import { Container, type ContainerModule } from 'inversify';

/**
 * A container with these modules loaded: the first step of the composition root (createMailroom,
 * createTestMailroom, and the tests' core all build through it). Bindings may then be replaced; everything is
 * made when first resolved.
 */
export function composeContainer(...modules: ContainerModule[]): Container {
  const container = new Container();
  container.load(...modules);
  return container;
}
