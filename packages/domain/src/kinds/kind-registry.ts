import type { Delivery } from '../notification';
import { IssueCollector, MailroomError, ValidationError } from '../errors';
import { DEFAULT_PAYLOAD_LIMITS, payloadLimitIssues, type PayloadLimits } from './payload-limits';
import type { PayloadValidator } from './payload-schema';
import { BUILT_IN_KINDS } from './built-in-kinds';
import { DIGEST_KIND } from './payloads';

/**
 * What Mailroom knows about a notification kind. Templates live in the renderer, keyed by `kind`. `Name` keeps the
 * kind's name in the type, so a Mailroom built with a host's kinds accepts exactly those names (and the built-in ones).
 */
export interface KindDefinition<Name extends string = string> {
  readonly kind: Name;
  /** Issues with the payload (fields named `payload.x`); empty when valid. */
  readonly validate: PayloadValidator;
  /**
   * Mails with the same thread key share a thread (References / In-Reply-To), so a ticketing
   * system files them on one ticket. Undefined: the mail starts no thread.
   */
  readonly threadKey?: (payload: Record<string, unknown>) => string | undefined;
  /**
   * Mails of this kind go to a ticketing mailbox (a service desk), where an automatic answer would open a ticket or
   * loop: they carry `X-Auto-Response-Suppress: All` besides `Auto-Submitted`. `change-request` is one.
   */
  readonly ticketing?: boolean;
  /**
   * Every recipient gets it (an invite, a security notice): a recipient may move it to the digest, never turn it
   * off. Default false.
   */
  readonly mandatory?: boolean;
  /** How `notify` delivers it when the host names no delivery and the recipient made no choice. Default `immediate`. */
  readonly defaultDelivery?: Delivery;
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

  /** The kind's definition; throws `NOTIFICATION.UNKNOWN_KIND` naming the kinds there are. */
  definitionOf(kind: string): KindDefinition {
    const definition = typeof kind === 'string' ? this.definitions.get(kind) : undefined;
    if (!definition) {
      throw new ValidationError(
        'NOTIFICATION.UNKNOWN_KIND',
        [
          {
            field: 'kind',
            problem: `${JSON.stringify(String(kind))} is not a known kind; use one of ${this.kinds().join(', ')}, or define it first with KindRegistry.define()`,
          },
        ],
        'Unknown notification kind',
      );
    }
    return definition;
  }

  /**
   * Gathers every issue with a payload: first the limits any payload obeys (size, depth, characters), then
   * the kind's own validation — skipped for a payload nested too deep, which a recursive validator might
   * not survive. Without a definition (an unknown kind) only the limits are checked.
   */
  collectPayloadIssues(definition: KindDefinition | undefined, payload: unknown, limits: PayloadLimits, collector: IssueCollector): void {
    const { issues, tooDeep } = payloadLimitIssues(payload, limits);
    if (issues.length > 0) collector.add(issues[0]!.code ?? 'NOTIFICATION.INVALID_PAYLOAD', issues, 'Invalid payload');
    if (definition && !tooDeep) {
      collector.add('NOTIFICATION.INVALID_PAYLOAD', definition.validate(payload), `Invalid payload for kind "${definition.kind}"`);
    }
  }

  /**
   * Throws `NOTIFICATION.UNKNOWN_KIND`, `NOTIFICATION.INVALID_PAYLOAD` or `NOTIFICATION.PAYLOAD_TOO_LARGE`
   * naming every wrong field; returns the definition.
   */
  check(kind: string, payload: unknown, limits: PayloadLimits = DEFAULT_PAYLOAD_LIMITS): KindDefinition {
    const definition = this.definitionOf(kind);
    const collector = new IssueCollector();
    this.collectPayloadIssues(definition, payload, limits, collector);
    collector.done(`Invalid payload for kind "${kind}"`);
    return definition;
  }
}
