import {
  DIGEST_KIND,
  EmailAddress,
  MailroomError,
  type DigestItem,
  type DigestPayload,
  type Notification,
  type Recipient,
  type RenderedMail,
  type TemplateRenderer,
} from '@mailroom/domain';
import { BUILT_IN_TEMPLATES } from './built-in';
import { BUILT_IN_SAMPLES } from './built-in/samples';
import { LinkBuilder } from './links';
import { CompiledTemplates } from './template-compiler';
import { overrideNames } from './override-rules';
import { NAMING_HELP, templateName } from './template-names';
import { resolveTemplateSettings, type ResolvedTemplateSettings, type TemplateSettings } from './template-settings';
import { collectTemplateSources, type TemplateSource } from './template-sources';
import { TemplateViews, type DigestView, type TemplateView } from './template-views';
import { subjectLine } from './text-tools';
import { ticketReference } from './ticket-reference';

/** Long enough for any sensible subject, short enough that a runaway value cannot make one unreadable. */
const MAX_SUBJECT = 200;

/**
 * Renders mails with eta: built-in templates for the six built-in kinds and the digest, overridden or
 * extended by the host's (see `TemplateOverrides` and `template-names.ts` for the naming). Build it with
 * `EtaTemplateRenderer.create(settings)`: every template compiles, and renders with sample payloads, there,
 * so a broken template stops start-up with its file, line and problem instead of failing mails later.
 */
export class EtaTemplateRenderer implements TemplateRenderer {
  private constructor(
    private readonly templates: CompiledTemplates,
    private readonly settings: ResolvedTemplateSettings,
    private readonly views: TemplateViews,
    private readonly origins: ReadonlyMap<string, TemplateSource>,
  ) {}

  /** Throws `MailroomError`: `CONFIG.*` for settings, `TEMPLATE.*` for a template that is broken or incomplete. */
  static async create(settings: TemplateSettings): Promise<EtaTemplateRenderer> {
    const resolved = resolveTemplateSettings(settings);
    const sources = await collectTemplateSources(BUILT_IN_TEMPLATES, resolved.overrides);
    const templates = new CompiledTemplates(sources.values());
    const views = new TemplateViews(resolved, new LinkBuilder(resolved.baseUrl));
    const renderer = new EtaTemplateRenderer(templates, resolved, views, sources);
    renderer.rehearse();
    return renderer;
  }

  /** Whether `kind` has mail templates (built-in or the host's): the app can check its kinds at start-up. */
  supports(kind: string): boolean {
    return this.templates.has(templateName(kind, 'subject'));
  }

  /** Every template in use, with its text and where it comes from (for an admin's template list and editor). */
  sources(): TemplateSource[] {
    return [...this.origins.values()];
  }

  /** The built-in text of a template, if there is one. */
  static builtIn(name: string): string | undefined {
    return BUILT_IN_TEMPLATES[name];
  }

  /**
   * A kind's mail rendered with its sample payload (built-in kinds have samples; the host's come from
   * `overrides.samples`), or `digest` with every sample as an item: a preview. Throws `TEMPLATE.NO_SAMPLE` for a
   * kind without one.
   */
  renderSample(kind: string): RenderedMail {
    if (kind === DIGEST_KIND) return this.renderDigestMail(SAMPLE_RECIPIENT, this.sampleDigest());
    const sample = this.samples().find(([k]) => k === kind);
    if (!sample) {
      throw new MailroomError(
        'TEMPLATE.NO_SAMPLE',
        `Kind "${kind}" has no sample payload to preview with; pass one in samples (createMailroom({ samples: { "${kind}": { … } } })).`,
      );
    }
    return this.renderMail(kind, sample[1], SAMPLE_RECIPIENT);
  }

  async render(notification: Notification): Promise<RenderedMail> {
    return this.renderMail(notification.kind, notification.payload, notification.recipient);
  }

  async renderDigest(recipient: Recipient, digest: DigestPayload): Promise<RenderedMail> {
    return this.renderDigestMail(recipient, digest);
  }

  private renderMail(kind: string, payload: Record<string, unknown>, recipient: Recipient): RenderedMail {
    if (kind === DIGEST_KIND || !this.supports(kind)) {
      const names = overrideNames(this.settings.overrides);
      throw new MailroomError(
        'TEMPLATE.MISSING',
        `There are no templates for kind "${kind}". Add ${kind}.subject.eta, ${kind}.html.eta and ${kind}.text.eta to ${names.directory}, or pass them in ${names.templates}. ${NAMING_HELP}`,
      );
    }
    const view = this.views.mail(kind, payload, recipient);
    return this.compose(kind, view);
  }

  private renderDigestMail(recipient: Recipient, digest: DigestPayload): RenderedMail {
    const html = digest.items.map((item) => this.renderItem(recipient, item, 'item.html'));
    const text = digest.items.map((item) => this.renderItem(recipient, item, 'item.text'));
    const view = this.views.digest(recipient, digest, []);
    const subject = this.subject(DIGEST_KIND, view);
    const htmlView: DigestView = { ...view, items: html };
    const textView: DigestView = { ...view, items: text };
    return {
      subject,
      html: this.inLayout('_layout.html', htmlView, DIGEST_KIND, 'html', subject),
      text: this.inLayout('_layout.text', textView, DIGEST_KIND, 'text', subject),
    };
  }

  private compose(kind: string, view: TemplateView): RenderedMail {
    const subject = this.subject(kind, view);
    return {
      subject,
      html: this.inLayout('_layout.html', view, kind, 'html', subject),
      text: this.inLayout('_layout.text', view, kind, 'text', subject),
    };
  }

  /** Prefix, ticket reference, rendered subject: one line (no CR/LF can reach the header), cut to length. */
  private subject(kind: string, view: TemplateView): string {
    const rendered = subjectLine(this.templates.render(templateName(kind, 'subject'), view), MAX_SUBJECT);
    const reference = ticketReference(kind, view.payload);
    // The reference goes in front, where no cut reaches it; an override that already has it is left alone.
    const withReference = reference === undefined || rendered.includes(`[${reference}]`) ? rendered : `[${reference}] ${rendered}`;
    return subjectLine(this.settings.subjectPrefix + withReference, MAX_SUBJECT);
  }

  private inLayout(layout: string, view: TemplateView, kind: string, part: 'html' | 'text', title: string): string {
    const body = this.templates.render(templateName(kind, part), view).trim();
    return this.templates.render(layout, { ...view, body, title });
  }

  /** An item by its kind's item template, or the generic `_item.*` for a kind without one. */
  private renderItem(recipient: Recipient, item: DigestItem, part: 'item.html' | 'item.text'): string {
    const own = templateName(item.kind, part);
    const name = this.templates.has(own) ? own : part === 'item.html' ? '_item.html' : '_item.text';
    return this.templates.render(name, this.views.item(recipient, item)).trim();
  }

  /** Renders every kind that has a sample, and a digest of them all, once: run-time template errors show now. */
  private rehearse(): void {
    for (const [kind, payload] of this.samples()) this.renderMail(kind, payload, SAMPLE_RECIPIENT);
    this.renderDigestMail(SAMPLE_RECIPIENT, this.sampleDigest());
  }

  private samples(): [string, Record<string, unknown>][] {
    return [
      ...Object.entries(BUILT_IN_SAMPLES).flatMap(([kind, list]) => list.map((p): [string, Record<string, unknown>] => [kind, { ...p }])),
      ...Object.entries(this.settings.overrides.samples ?? {}),
    ];
  }

  /** A digest of every sample, a kind without item templates, and "2 more". */
  private sampleDigest(): DigestPayload {
    const items = this.samples().map(([kind, payload], i) => ({ id: `sample-${i}`, kind, payload, createdAt: '2026-12-01T09:00:00Z' }));
    const empty: DigestItem = { id: 'sample-generic', kind: 'sample.generic-kind', payload: {}, createdAt: '2026-12-01T09:00:00Z' };
    return {
      periodStart: '2026-12-01T08:00:00Z',
      periodEnd: '2026-12-01T09:00:00Z',
      items: [...items, empty],
      totalCount: items.length + 3,
      moreCount: 2,
    };
  }
}

const SAMPLE_RECIPIENT: Recipient = {
  userId: 'sample',
  email: EmailAddress.parse('sample@example.com', 'Sam Sample'),
  timeZone: 'Europe/Zurich',
};
