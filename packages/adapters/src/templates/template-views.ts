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
  /** The host's product (`brand.productName`), when it names one: test with `if (it.productName)`. */
  readonly productName?: string;
  /** The host's footer line (`brand.footer`), when given. */
  readonly footer?: string;
  /** Absolute URL of the subscription settings, when configured (the layouts' footer links to it). */
  readonly preferencesUrl?: string;
  /** Absolute URL of the host's notifications page, when it has one (`links.notificationsPath`); digests link to it. */
  readonly notificationsUrl?: string;
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
  /**
   * The item's link: its payload's `linkPath` (an invite's `acceptLinkPath`), else the notifications page, else none
   * (then the item is listed without a link).
   */
  readonly itemUrl?: string;
}

export class TemplateViews {
  // Intl formatters are costly to build and a digest needs one per item: keep one per time zone.
  private readonly formats = new Map<string, Formatting>();
  // The same for every mail: built once.
  private readonly notificationsUrl: string | undefined;
  private readonly preferencesUrl: string | undefined;

  constructor(
    private readonly settings: ResolvedTemplateSettings,
    private readonly links: LinkBuilder,
  ) {
    this.notificationsUrl = settings.notificationsPath === undefined ? undefined : links.to(settings.notificationsPath);
    this.preferencesUrl = settings.preferencesPath === undefined ? undefined : links.to(settings.preferencesPath);
  }

  mail(kind: string, payload: Record<string, unknown>, recipient: Recipient): TemplateView {
    const format = this.formatting(recipient.timeZone);
    const links = this.links;
    const name = recipient.email.name;
    const { productName, footer } = this.settings;
    const { preferencesUrl, notificationsUrl } = this;
    const reference = ticketReference(kind, payload);
    return {
      kind,
      payload,
      recipient: { address: recipient.email.address, ...(name !== undefined ? { name } : {}) },
      greeting: name !== undefined ? `Hello ${oneLine(name)}` : 'Hello',
      ...(productName !== undefined ? { productName } : {}),
      ...(footer !== undefined ? { footer } : {}),
      ...(preferencesUrl !== undefined ? { preferencesUrl } : {}),
      ...(notificationsUrl !== undefined ? { notificationsUrl } : {}),
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
    const linkPath = [item.payload['linkPath'], item.payload['acceptLinkPath']].find(isLinkPath);
    const itemUrl = linkPath !== undefined ? this.links.to(linkPath) : base.notificationsUrl;
    return { ...base, item, kindName: humanizeKind(item.kind), ...(itemUrl !== undefined ? { itemUrl } : {}) };
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
