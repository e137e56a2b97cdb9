import type { DigestItem, DigestPayload, Recipient } from '@mailroom/domain';
import { Formatting } from './formatting';
import type { LinkBuilder } from './links';
import { isLinkPath } from './links';
import type { ResolvedTemplateSettings } from './template-settings';
import { ticketReference } from './ticket-reference';
import { cut, humanizeKind, oneLine, plural } from './text-tools';

/**
 * What every template sees as `it`. Payload values are data: HTML templates print them with `<%= %>`
 * (escaped), never `<%~ %>`. Helpers turn paths into absolute links and dates into the recipient's time.
 */
export interface TemplateView {
  readonly kind: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly recipient: { readonly name?: string; readonly address: string };
  /** `Hello Ada` or `Hello` when the recipient has no name. */
  readonly greeting: string;
  readonly productName: string;
  /** Absolute URL of the subscription settings, when configured (the layouts' footer links to it). */
  readonly preferencesUrl?: string;
  /** Absolute URL of the notifications page (digests link to it). */
  readonly notificationsUrl: string;
  /** The stable reference ticketing systems file by (`CR-1234`), for kinds that have one. */
  readonly ticket?: string;
  /** The recipient's time zone as used for dates (`UTC` when unknown). */
  readonly timeZone: string;
  /** `/queries/42` → `https://lb.example.com/idm/queries/42`. */
  link(path: unknown): string;
  /** Cut to `max` characters with "…". */
  cut(value: unknown, max: number): string;
  /** One line of text, at most `max` characters: for values inside a heading or a subject. */
  line(value: unknown, max?: number): string;
  date(iso: unknown): string;
  number(value: unknown): string;
  plural(count: number, one: string, many: string): string;
}

/** The view of a digest mail: the period, the items already rendered by their kinds, "and N more". */
export interface DigestView extends TemplateView {
  readonly digest: DigestPayload;
  /** The period in the recipient's time zone, e.g. `1 Dec 2026, 09:00–10:00 CET`. */
  readonly period: string;
  /** Each listed item, rendered by its kind's item template (HTML or text, matching the template). */
  readonly items: readonly string[];
  readonly moreCount: number;
  readonly totalCount: number;
}

/** The view of one digest item; generic item templates read `kindName` and `itemUrl`. */
export interface ItemView extends TemplateView {
  readonly item: DigestItem;
  readonly kindName: string;
  /** The item's link when its payload has a valid `linkPath`, else the notifications page. */
  readonly itemUrl: string;
}

export class TemplateViews {
  // Intl formatters are costly to build and a digest needs one per item: keep one per time zone.
  private readonly formats = new Map<string, Formatting>();
  // The same for every mail: built once.
  private readonly notificationsUrl: string;
  private readonly preferencesUrl: string | undefined;

  constructor(
    private readonly settings: ResolvedTemplateSettings,
    private readonly links: LinkBuilder,
  ) {
    this.notificationsUrl = links.to(settings.notificationsPath);
    this.preferencesUrl = settings.preferencesPath === undefined ? undefined : links.to(settings.preferencesPath);
  }

  mail(kind: string, payload: Record<string, unknown>, recipient: Recipient): TemplateView {
    const format = this.formatting(recipient.timeZone);
    const links = this.links;
    const name = recipient.email.name;
    const { productName } = this.settings;
    const { preferencesUrl, notificationsUrl } = this;
    const reference = ticketReference(kind, payload);
    return {
      kind,
      payload,
      recipient: { address: recipient.email.address, ...(name !== undefined ? { name } : {}) },
      greeting: name !== undefined ? `Hello ${oneLine(name)}` : 'Hello',
      productName,
      ...(preferencesUrl !== undefined ? { preferencesUrl } : {}),
      notificationsUrl,
      ...(reference !== undefined ? { ticket: reference } : {}),
      timeZone: format.timeZone,
      link: (path) => links.to(path),
      cut,
      line: (value, max = 120) => cut(oneLine(value), max),
      date: (iso) => format.date(iso),
      number: (value) => format.number(value),
      plural: (count, one, many) => plural(count, one, many, (n) => format.number(n)),
    };
  }

  digest(recipient: Recipient, digest: DigestPayload, items: readonly string[]): DigestView {
    const base = this.mail('digest', digest as unknown as Record<string, unknown>, recipient);
    const format = this.formatting(recipient.timeZone);
    return {
      ...base,
      digest,
      period: format.period(digest.periodStart, digest.periodEnd),
      items,
      moreCount: digest.moreCount,
      totalCount: digest.totalCount,
    };
  }

  item(recipient: Recipient, item: DigestItem): ItemView {
    const base = this.mail(item.kind, item.payload, recipient);
    const linkPath = item.payload['linkPath'];
    return {
      ...base,
      item,
      kindName: humanizeKind(item.kind),
      itemUrl: isLinkPath(linkPath) ? this.links.to(linkPath) : base.notificationsUrl,
    };
  }

  private formatting(timeZone: string | undefined): Formatting {
    const key = timeZone ?? '';
    let format = this.formats.get(key);
    if (!format) {
      format = new Formatting(this.settings.locale, timeZone);
      this.formats.set(key, format);
    }
    return format;
  }
}
