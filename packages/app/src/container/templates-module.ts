import { ContainerModule } from 'inversify';
import { EtaTemplateRenderer } from '@mailroom/adapters';
import type { KindRegistry, TemplateRenderer } from '@mailroom/domain';
import { ConfigError, describeSetting, type MailroomConfig } from '../config';
import { LiveRenderer } from '../settings/live-renderer';
import { TOKENS } from './tokens';

export interface TemplateOptions {
  /** Templates given in code, by override name (`<kind>.subject`, `digest.html`, `_layout.html`…); they beat the directory. */
  readonly templates?: Record<string, string>;
  /** Sample payloads for host-defined kinds, so their templates are rendered once at start-up. */
  readonly samples?: Record<string, Record<string, unknown>>;
}

/**
 * The eta renderer: every template compiles (and renders once with a sample), every override follows the naming
 * rules, and every kind `notify()` accepts has templates — checked before anything is sent, or opened: a kind without
 * templates would otherwise be accepted and dead-lettered later (TEMPLATE.MISSING).
 */
export async function buildRenderer(
  config: MailroomConfig,
  kinds: KindRegistry,
  options: TemplateOptions = {},
  /** Templates admins saved (the admin API); they win over the directory and the host's. */
  stored?: Readonly<Record<string, string>>,
): Promise<EtaTemplateRenderer> {
  const renderer = await EtaTemplateRenderer.create({
    links: config.links,
    subjectPrefix: config.subjectPrefix,
    ...config.brand,
    overrides: {
      ...(config.templates.directory ? { directory: config.templates.directory } : {}),
      ...(options.templates ? { templates: options.templates } : {}),
      ...(stored ? { stored } : {}),
      ...(options.samples ? { samples: options.samples } : {}),
      kinds: kinds.kinds(),
      names: { directory: describeSetting('templates.directory'), templates: 'templates', stored: 'saved templates' },
    },
  });
  const without = kinds.kinds().filter((kind) => !renderer.supports(kind));
  if (without.length > 0) {
    throw new ConfigError(
      without.map((kind) => ({
        setting: 'kinds',
        problem: `kind "${kind}" has no templates; add ${kind}.subject.eta, ${kind}.html.eta and ${kind}.text.eta to ${describeSetting('templates.directory')}, or pass them in createMailroom({ templates })`,
      })),
    );
  }
  return renderer;
}

/** The renderer built at start, replaceable when an admin changes what templates are built from. */
export function templatesModule(renderer: TemplateRenderer): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.TemplateRenderer).toConstantValue(new LiveRenderer(renderer));
  });
}
