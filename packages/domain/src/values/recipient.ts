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
  /**
   * The host's id of the user: digests are grouped by it and the outbox is searched by it. `notify` may leave it out
   * for someone who has no user yet (an invite): the id is then `address:` and the lower-cased address (see
   * `addressUserId`). `subscribe` needs it.
   */
  readonly userId?: string;
  readonly address: string;
  readonly name?: string;
  readonly locale?: string;
  readonly timeZone?: string;
}

/** A recipient with the host's user id, as `subscribe` needs: subscriptions are kept per user. */
export type UserRecipientInput = RecipientInput & { readonly userId: string };

const MAX_USER_ID = 200;

/** The prefix of the user id a recipient without one gets; a host's own ids should not start with it. */
export const ADDRESS_USER_ID_PREFIX = 'address:';

/**
 * The user id of a recipient the host gave no id (`address:ada@example.com`): the same for every notification to
 * that address whatever its case, so that person's digest items are grouped together and the outbox finds them.
 */
export function addressUserId(address: EmailAddress): string {
  return `${ADDRESS_USER_ID_PREFIX}${address.address.toLowerCase()}`;
}

/**
 * Validates a host's recipient; throws `ValidationError` (`RECIPIENT.INVALID` or `ADDRESS.INVALID`) naming
 * every wrong field. With `userId: 'optional'` (notify), a recipient without a user id gets `addressUserId`; by
 * default (subscribe) the user id is required.
 */
export function recipient(input: RecipientInput, field = 'recipient', options: { userId?: 'required' | 'optional' } = {}): Recipient {
  const issues: FieldIssue[] = [];
  if (input === null || typeof input !== 'object') {
    const shape = options.userId === 'optional' ? '{ address }, or { userId, address }' : '{ userId, address }';
    throw new ValidationError('RECIPIENT.INVALID', [{ field, problem: `is missing; give ${shape}` }], 'Invalid recipient');
  }
  // null too: hosts in JavaScript (or JSON) write "no user yet" that way.
  const withoutUserId = options.userId === 'optional' && (input.userId === undefined || input.userId === null);
  if (withoutUserId) {
    // The address gives the id, below.
  } else if (typeof input.userId !== 'string' || input.userId.trim() === '') {
    const problem =
      options.userId === 'optional'
        ? "must be the host's id of the user, or left out for someone who has no user yet (the address then names them)"
        : "is required: the host's id of the user (subscriptions are kept per user)";
    issues.push({ field: `${field}.userId`, problem });
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
    userId: withoutUserId ? addressUserId(email!) : input.userId!,
    email: email!,
    ...(input.locale !== undefined ? { locale: input.locale } : {}),
    ...(input.timeZone !== undefined ? { timeZone: input.timeZone } : {}),
  };
}

/** Plain data of a recipient, as stores keep it. */
export function recipientToInput(r: Recipient): UserRecipientInput {
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
