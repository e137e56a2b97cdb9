import { asText } from './text-tools';

/**
 * Dates and numbers as a recipient reads them: in their time zone when known, else UTC, with the zone named
 * so nobody has to guess. A date without a time (`2026-12-01`, a due date) is a calendar day everywhere, so it
 * is shown as that day and never shifted by a time zone.
 */
export class Formatting {
  readonly timeZone: string;
  private readonly dateTimeFormat: Intl.DateTimeFormat;
  private readonly dayFormat: Intl.DateTimeFormat;
  private readonly numberFormat: Intl.NumberFormat;
  /** Whether the locale writes small whole numbers as plain ASCII digits (`-123`): then `String()` says the same, faster. */
  private readonly plainSmallIntegers: boolean;

  constructor(locale: string, timeZone: string | undefined) {
    // Recipient.timeZone is an IANA zone the domain validated (recipient()), so it needs no second check here.
    this.timeZone = timeZone ?? 'UTC';
    this.dateTimeFormat = new Intl.DateTimeFormat(locale, {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
      timeZone: this.timeZone,
    });
    this.dayFormat = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
    this.numberFormat = new Intl.NumberFormat(locale);
    this.plainSmallIntegers = this.numberFormat.format(-987) === '-987' && this.numberFormat.format(123) === '123';
  }

  /** `2026-12-01T09:00:00Z` → `1 Dec 2026, 10:00 CET` (Europe/Zurich); a date alone → `1 Dec 2026`. */
  date(iso: unknown): string {
    const parsed = parseIso(iso);
    if (!parsed) return asText(iso);
    return parsed.dayOnly ? this.dayFormat.format(parsed.date) : this.dateTimeFormat.format(parsed.date);
  }

  /** A period, shortened where start and end share a day: `1 Dec 2026, 09:00–10:00 CET`. */
  period(startIso: unknown, endIso: unknown): string {
    const start = parseIso(startIso);
    const end = parseIso(endIso);
    if (!start || !end) return `${this.date(startIso)} – ${this.date(endIso)}`;
    return this.dateTimeFormat.formatRange(start.date, end.date);
  }

  number(value: unknown): string {
    if (typeof value !== 'number' || !Number.isFinite(value)) return asText(value);
    // ICU formatting costs microseconds a call, and most numbers in a mail are small counts (below any grouping).
    if (this.plainSmallIntegers && Number.isInteger(value) && value > -1000 && value < 1000) return String(value);
    return this.numberFormat.format(value);
  }
}

function parseIso(value: unknown): { date: Date; dayOnly: boolean } | undefined {
  if (typeof value !== 'string') return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return undefined;
  return { date: new Date(time), dayOnly: /^\d{4}-\d{2}-\d{2}$/.test(value) };
}
