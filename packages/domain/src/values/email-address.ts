import { ValidationError } from '../errors';
import { unstorableText } from './text';

const MAX_ADDRESS_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;
const MAX_NAME_LENGTH = 200;
// RFC 5322 dot-atom characters for the local part; anything else (quotes, angle brackets,
// commas, white space) is how a header gets a second address or a second line.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+)*$/u;
const DOMAIN_LABEL = /^(?!-)[\p{L}\p{N}-]{1,63}(?<!-)$/u;
// C0 controls (CR, LF, TAB, NUL…), DEL, C1 controls and the Unicode line/paragraph separators.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;

/**
 * A validated e-mail address with an optional display name. Nothing that could inject a header
 * (CR, LF, other control characters, a second address) gets through `parse`.
 */
export class EmailAddress {
  private constructor(
    readonly address: string,
    readonly name: string | undefined,
  ) {}

  /**
   * Parses `user@example.com`, `Ada Lovelace <ada@example.com>`, or an address with a separate name.
   * Throws `ValidationError` (`ADDRESS.INVALID`) naming `field` and the problem.
   */
  static parse(input: string, name?: string, field = 'address'): EmailAddress {
    const problem = (p: string): never => {
      throw new ValidationError('ADDRESS.INVALID', [{ field, problem: p }], 'Invalid e-mail address');
    };
    if (typeof input !== 'string') return problem('must be a string such as "user@example.com"');
    const unstorable = unstorableText(input);
    if (unstorable !== undefined) return problem(unstorable);
    if (CONTROL.test(input)) return problem('contains a line break or control character; give one address on one line');
    let address = input.trim();
    let displayName = name;
    const angled = /^(.*)<([^<>]*)>$/su.exec(address);
    if (angled) {
      const inner = angled[2] ?? '';
      const outer = (angled[1] ?? '')
        .trim()
        .replace(/^"(.*)"$/su, '$1')
        .trim();
      address = inner.trim();
      if (displayName === undefined && outer !== '') displayName = outer;
    }
    if (address === '') return problem('is empty; give an address such as "user@example.com"');
    if (address.length > MAX_ADDRESS_LENGTH) return problem(`is longer than ${MAX_ADDRESS_LENGTH} characters`);
    const at = address.lastIndexOf('@');
    if (at <= 0 || at === address.length - 1) return problem(`"${address}" needs the form local-part@domain`);
    const local = address.slice(0, at);
    const domain = address.slice(at + 1);
    if (local.length > MAX_LOCAL_LENGTH) return problem(`local part is longer than ${MAX_LOCAL_LENGTH} characters`);
    if (!LOCAL_PART.test(local)) {
      return problem(
        `"${address}" has a character not allowed before the @ (spaces, quotes, commas, brackets and double dots are refused)`,
      );
    }
    const labels = domain.split('.');
    if (labels.length < 2 || !labels.every((l) => DOMAIN_LABEL.test(l))) {
      return problem(`"${address}" has an invalid domain; use a domain such as example.com`);
    }
    return new EmailAddress(address, EmailAddress.cleanName(displayName, field));
  }

  private static cleanName(name: string | undefined, field: string): string | undefined {
    if (name === undefined) return undefined;
    const unstorable = typeof name === 'string' ? unstorableText(name) : undefined;
    if (unstorable !== undefined) {
      throw new ValidationError('ADDRESS.INVALID', [{ field: `${field}.name`, problem: unstorable }], 'Invalid display name');
    }
    if (typeof name !== 'string' || CONTROL.test(name)) {
      throw new ValidationError(
        'ADDRESS.INVALID',
        [{ field: `${field}.name`, problem: 'contains a line break or control character; a display name is one line' }],
        'Invalid display name',
      );
    }
    const trimmed = name.trim();
    if (trimmed.length > MAX_NAME_LENGTH) {
      throw new ValidationError(
        'ADDRESS.INVALID',
        [{ field: `${field}.name`, problem: `is longer than ${MAX_NAME_LENGTH} characters` }],
        'Invalid display name',
      );
    }
    return trimmed === '' ? undefined : trimmed;
  }

  /** The domain part, lower-cased (used for Message-IDs). */
  get domain(): string {
    return this.address.slice(this.address.lastIndexOf('@') + 1).toLowerCase();
  }

  /** The same address with another display name (checked like one given to `parse`). */
  withName(name: string | undefined): EmailAddress {
    return new EmailAddress(this.address, EmailAddress.cleanName(name, 'name'));
  }

  /** The same mailbox: the addresses equal without regard to case; the display name does not count. */
  equals(other: EmailAddress): boolean {
    return this.address.toLowerCase() === other.address.toLowerCase();
  }

  /** `"Name" <address>` with the name quoted and escaped, or the bare address. */
  toString(): string {
    if (this.name === undefined) return this.address;
    return `"${this.name.replace(/(["\\])/g, '\\$1')}" <${this.address}>`;
  }

  /** The address and display name as plain JSON. */
  toJSON(): { address: string; name?: string } {
    return this.name === undefined ? { address: this.address } : { address: this.address, name: this.name };
  }
}
