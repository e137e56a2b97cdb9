import { EtaTemplateRenderer, parseTemplateName, templateGroup, type TemplateLayer, type TemplateSource } from '@mailroom/adapters';
import { MailroomError, NotFoundError, ValidationError, type RenderedMail } from '@mailroom/domain';
import type { RuntimeSettings } from './runtime-settings';

/** One template as the admin's list shows it. */
export interface TemplateInfo {
  readonly name: string;
  /** The kind it belongs to (`digest` for the digest mail); absent for shared templates such as `_layout.html`. */
  readonly kind?: string;
  /** `subject`, `html`, `text`, `item.html`, `item.text`, or the shared template's name. */
  readonly part: string;
  /** Where the text in use comes from: built in, the templates directory, the host's code, or saved by an admin. */
  readonly layer: TemplateLayer;
  /** The file or setting it comes from, as errors name it. */
  readonly origin: string;
  /** There is a built-in text to go back to. */
  readonly hasBuiltIn: boolean;
  /** When and by whom an admin saved it (`layer: 'stored'`). */
  readonly changedAt?: string;
  readonly changedBy?: string;
}

/** One template with its text in use and the built-in text. */
export interface TemplateDetail extends TemplateInfo {
  readonly source: string;
  readonly builtIn?: string;
}

export interface TemplatesAdminDeps {
  readonly runtime: RuntimeSettings;
  /** The renderer in use, when it is Mailroom's eta renderer (a host may have replaced it). */
  readonly current: () => EtaTemplateRenderer | undefined;
  /** A renderer with these saved templates and the current settings: compiled and rehearsed, or the template's error. */
  readonly build: (stored: Readonly<Record<string, string>>) => Promise<EtaTemplateRenderer>;
}

/**
 * The templates admins edit: list, read (with the built-in text), save (checked first: it must compile and render with
 * the kinds' sample payloads; errors name the template and line), reset to what the files, the host or the built-in
 * templates say, and preview a kind's mail with templates not saved yet. Saving one part of a kind's mail saves the
 * other parts as they are now, since a mail's subject, HTML and text are overridden together.
 */
export class TemplatesAdmin {
  constructor(private readonly deps: TemplatesAdminDeps) {}

  /** Every template in use, by name: built-in, from the directory, the host's code, or saved by an admin. */
  list(): TemplateInfo[] {
    const stored = new Map(this.deps.runtime.templates().map((t) => [t.name, t]));
    return this.renderer()
      .sources()
      .map((source) => info(source, stored.get(source.name)))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Throws `NotFoundError` for a template that is not in use. */
  get(name: string): TemplateDetail {
    const source = this.renderer()
      .sources()
      .find((s) => s.name === name);
    if (!source) throw new NotFoundError('TEMPLATE.NOT_FOUND', `There is no template "${name}"; list the templates to see their names.`);
    const stored = this.deps.runtime.templates().find((t) => t.name === name);
    const builtIn = EtaTemplateRenderer.builtIn(name);
    return { ...info(source, stored), source: source.source, ...(builtIn !== undefined ? { builtIn } : {}) };
  }

  /**
   * Saves templates by name after checking them with the rest (`TEMPLATE.SYNTAX` / `TEMPLATE.RENDER` with the line;
   * nothing saved then). The parts of a kind's mail not given are saved as they are now.
   */
  async save(templates: Readonly<Record<string, string>>, by: string): Promise<TemplateInfo[]> {
    const names = Object.keys(templates);
    if (names.length === 0)
      throw new ValidationError('TEMPLATE.NONE', [{ field: 'templates', problem: 'give at least one template' }], 'Nothing to save');
    const inUse = new Map(
      this.renderer()
        .sources()
        .map((s) => [s.name, s.source]),
    );
    const set: Record<string, string> = {};
    for (const name of names) {
      const group = templateGroup(name);
      if (!group)
        throw new ValidationError(
          'TEMPLATE.NAME',
          [{ field: name, problem: 'is not a template name; list the templates to see them' }],
          'Not saved',
        );
      const source = templates[name];
      if (typeof source !== 'string')
        throw new ValidationError('TEMPLATE.TEXT', [{ field: name, problem: "must be the template's text" }], 'Not saved');
      for (const part of group) if (set[part] === undefined && inUse.has(part)) set[part] = inUse.get(part)!;
    }
    Object.assign(set, templates);
    await this.deps.runtime.saveTemplates({ set }, by, async (stored) => void (await this.deps.build(stored)));
    return this.list();
  }

  /** Goes back to what the files, the host or the built-in templates say, for these templates and their groups. */
  async reset(names: readonly string[], by: string): Promise<TemplateInfo[]> {
    const saved = new Set(this.deps.runtime.templates().map((t) => t.name));
    const unset = new Set<string>();
    for (const name of names) for (const part of templateGroup(name) ?? [name]) if (saved.has(part)) unset.add(part);
    if (unset.size > 0)
      await this.deps.runtime.saveTemplates({ unset: [...unset] }, by, async (stored) => void (await this.deps.build(stored)));
    return this.list();
  }

  /**
   * A kind's mail (or `digest`) rendered with its sample payload and, when given, templates not saved yet in place of
   * the ones in use: the editor's live preview. Throws the template's error with its line.
   */
  async preview(kind: string, templates: Readonly<Record<string, string>> = {}): Promise<RenderedMail> {
    if (Object.keys(templates).length === 0) return this.renderer().renderSample(kind);
    const inUse = new Map(
      this.renderer()
        .sources()
        .map((s) => [s.name, s.source]),
    );
    const stored: Record<string, string> = { ...this.deps.runtime.storedTemplates() };
    for (const name of Object.keys(templates)) for (const part of templateGroup(name) ?? []) stored[part] ??= inUse.get(part) ?? '';
    Object.assign(stored, templates);
    return (await this.deps.build(stored)).renderSample(kind);
  }

  private renderer(): EtaTemplateRenderer {
    const renderer = this.deps.current();
    if (!renderer) {
      throw new MailroomError('TEMPLATE.REPLACED', 'The template renderer was replaced by the host: its templates cannot be edited here.');
    }
    return renderer;
  }
}

function info(source: TemplateSource, stored: { changedAt: Date; changedBy: string } | undefined): TemplateInfo {
  const parsed = parseTemplateName(source.name);
  const kindPart = parsed && 'kind' in parsed ? { kind: parsed.kind, part: parsed.part } : { part: source.name };
  return {
    name: source.name,
    ...kindPart,
    layer: source.layer,
    origin: source.origin,
    hasBuiltIn: EtaTemplateRenderer.builtIn(source.name) !== undefined,
    ...(stored && source.layer === 'stored' ? { changedAt: stored.changedAt.toISOString(), changedBy: stored.changedBy } : {}),
  };
}
