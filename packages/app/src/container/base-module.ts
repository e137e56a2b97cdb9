import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import type { MailroomConfig } from '../config';
import { Resources } from './resources';
import { TOKENS } from './tokens';

/** Configuration, logger and the list of resources to close. */
export function baseModule(config: MailroomConfig, logger: Logger, resources: Resources): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.Config).toConstantValue(config);
    bind(TOKENS.Logger).toConstantValue(logger);
    bind(TOKENS.Resources).toConstantValue(resources);
  });
}
