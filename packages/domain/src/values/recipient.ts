import { IssueCollector, ValidationError, type FieldIssue } from '../errors';
import { EmailAddress } from './email-address';
import { quoted, unstorableText } from './text';

/** Who a notification goes to: the host's user id, the address, and how to speak to them. */
export interface Recipient {
  readonly userId: string;
  readonly email: EmailAddress;
  /** BCP 47 language tag, e.g. `de-CH`. */
  readonly locale?: string;
  /** IANA time zone, e.g. `Europe/Zurich`; digests show their period in it. */
  readonly timeZone?: string;
}

/** What a host passes in: plain data. */
export interface RecipientInput {
  readonly userId: string;
  readonly address: string;
  readonly name?: string;
  readonly locale?: string;
  readonly timeZone?: string;
}

const MAX_USER_ID = 200;

/**
 * Validates a host's recipient; throws `ValidationError` (`RECIPIENT.INVALID` or `ADDRESS.INVALID`) naming
 * every wrong field.
 */
export function recipient(input: RecipientInput, field = 'recipient'): Recipient {
  const issues: FieldIssue[] = [];
  if (input === null || typeof input !== 'object') {
    throw new ValidationError('RECIPIENT.INVALID', [{ field, problem: 'is missing; give { userId, address }' }], 'Invalid recipient');
  }
  if (typeof input.userId !== 'string' || input.userId.trim() === '') {
    issues.push({ field: `${field}.userId`, problem: "is required: the host's id of the user" });
  } else if (input.userId.length > MAX_USER_ID) {
    issues.push({ field: `${field}.userId`, problem: `is longer than ${MAX_USER_ID} characters` });
  } else {
    const unstorable = unstorableText(input.userId);
    if (unstorable !== undefined) issues.push({ field: `${field}.userId`, problem: unstorable });
  }
  if (input.locale !== undefined && !isLocale(input.locale)) {
    issues.push({ field: `${field}.locale`, problem: `${quoted(String(input.locale))} is not a language tag such as "en" or "de-CH"` });
  }
  if (input.timeZone !== undefined && !isTimeZone(input.timeZone)) {
    issues.push({
      field: `${field}.timeZone`,
      problem: `${quoted(String(input.timeZone))} is not an IANA time zone such as "Europe/Zurich"`,
    });
  }
  const collector = new IssueCollector();
  collector.add('RECIPIENT.INVALID', issues, 'Invalid recipient');
  const email = collector.check(() => EmailAddress.parse(input.address, input.name, `${field}.address`));
  collector.done('Invalid recipient');
  return {
    userId: input.userId,
    email: email!,
    ...(input.locale !== undefined ? { locale: input.locale } : {}),
    ...(input.timeZone !== undefined ? { timeZone: input.timeZone } : {}),
  };
}

/** Plain data of a recipient, as stores keep it. */
export function recipientToInput(r: Recipient): RecipientInput {
  return {
    userId: r.userId,
    address: r.email.address,
    ...(r.email.name !== undefined ? { name: r.email.name } : {}),
    ...(r.locale !== undefined ? { locale: r.locale } : {}),
    ...(r.timeZone !== undefined ? { timeZone: r.timeZone } : {}),
  };
}

function isLocale(value: unknown): boolean {
  if (typeof value !== 'string' || value === '') return false;
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false; // RangeError: not a well-formed tag, which is what we report
  }
}

function isTimeZone(value: unknown): boolean {
  if (typeof value !== 'string' || value === '') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false; // RangeError: unknown zone, which is what we report
  }
}
