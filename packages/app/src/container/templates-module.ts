import { ContainerModule } from 'inversify';
import { EtaTemplateRenderer } from '@mailroom/adapters';
import type { MailroomConfig } from '../config';
import { TOKENS } from './tokens';

export interface TemplateOptions {
  /** Templates given in code, by override name (`<kind>.subject`, `digest.html`, `_layout.html`…); they beat the directory. */
  readonly templates?: Record<string, string>;
  /** Sample payloads for host-defined kinds, so their templates are rendered once at start-up. */
  readonly samples?: Record<string, Record<string, unknown>>;
}

/** The eta renderer; every template compiles (and renders once with a sample) before anything is sent. */
export function templatesModule(config: MailroomConfig, options: TemplateOptions = {}): ContainerModule {
  return new ContainerModule(async ({ bind }) => {
    const renderer = await EtaTemplateRenderer.create({
      links: { baseUrl: config.links.baseUrl },
      subjectPrefix: config.subjectPrefix,
      overrides: {
        ...(config.templates.directory ? { directory: config.templates.directory } : {}),
        ...(options.templates ? { templates: options.templates } : {}),
        ...(options.samples ? { samples: options.samples } : {}),
      },
    });
    bind(TOKENS.TemplateRenderer).toConstantValue(renderer);
  });
}
