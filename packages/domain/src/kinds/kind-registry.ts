import { MailroomError, ValidationError } from '../errors';
import type { PayloadValidator } from './payload-schema';
import { BUILT_IN_KINDS } from './built-in-kinds';
import { DIGEST_KIND } from './payloads';

/** What Mailroom knows about a notification kind. Templates live in the renderer, keyed by `kind`. */
export interface KindDefinition {
  readonly kind: string;
  /** Issues with the payload (fields named `payload.x`); empty when valid. */
  readonly validate: PayloadValidator;
  /**
   * Mails with the same thread key share a thread (References / In-Reply-To), so a ticketing
   * system files them on one ticket. Undefined: the mail starts no thread.
   */
  readonly threadKey?: (payload: Record<string, unknown>) => string | undefined;
}

/** The form of a kind name: lower-case words joined by `-`, namespaced with `.` (`acme.report-ready`). */
export const KIND_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*(\.[a-z][a-z0-9]*(-[a-z0-9]+)*)*$/;

/** The kinds a Mailroom instance accepts: the six built-in ones plus the host's own. */
export class KindRegistry {
  private readonly definitions = new Map<string, KindDefinition>();

  constructor(definitions: readonly KindDefinition[] = BUILT_IN_KINDS) {
    for (const d of definitions) this.define(d);
  }

  /** Adds a host-defined kind (or replaces one, e.g. to tighten a built-in kind's validation). */
  define(definition: KindDefinition): this {
    if (definition.kind === DIGEST_KIND) {
      throw new MailroomError('KIND.RESERVED', `The kind "${DIGEST_KIND}" is reserved for digest mails; choose another name.`);
    }
    if (!KIND_NAME.test(definition.kind)) {
      throw new MailroomError(
        'KIND.INVALID_NAME',
        `Kind name "${definition.kind}" is not allowed: use lower-case words joined by "-" (and "." for a namespace), e.g. "acme.report-ready".`,
      );
    }
    this.definitions.set(definition.kind, definition);
    return this;
  }

  get(kind: string): KindDefinition | undefined {
    return this.definitions.get(kind);
  }

  kinds(): string[] {
    return [...this.definitions.keys()];
  }

  /** Throws `NOTIFICATION.UNKNOWN_KIND` or `NOTIFICATION.INVALID_PAYLOAD`; returns the definition. */
  check(kind: string, payload: unknown): KindDefinition {
    const definition = typeof kind === 'string' ? this.definitions.get(kind) : undefined;
    if (!definition) {
      throw new ValidationError(
        'NOTIFICATION.UNKNOWN_KIND',
        [{ field: 'kind', problem: `"${String(kind)}" is not a known kind; use one of ${this.kinds().join(', ')}, or define it first with KindRegistry.define()` }],
        'Unknown notification kind',
      );
    }
    const issues = definition.validate(payload);
    if (issues.length > 0) {
      throw new ValidationError('NOTIFICATION.INVALID_PAYLOAD', issues, `Invalid payload for kind "${kind}"`);
    }
    return definition;
  }
}
