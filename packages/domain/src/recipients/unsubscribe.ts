import type { DigestPayload } from '../digest';
import type { KindDefinition, KindRegistry } from '../kinds/kind-registry';
import { DIGEST_KIND } from '../kinds/payloads';
import type { Notification } from '../notification';
import type { Clock } from '../ports/clock';
import type { PreferenceStore } from '../ports/preference-store';
import type { SubscriptionStore } from '../ports/subscription-store';

/**
 * What one unsubscribe link turns off for one recipient: the topic the mail came from (the subscription ends), or
 * else the kinds it carried (each set to "off"; a digest carries several).
 */
export interface UnsubscribeScope {
  readonly userId: string;
  /** The address the mail went to, so a page can say whose mail stops. */
  readonly address: string;
  readonly kinds: readonly string[];
  readonly topic?: string;
}

/**
 * Builds the `List-Unsubscribe` headers of a mail (RFC 2369, RFC 8058) for a scope; undefined when the host set no
 * unsubscribe key (the mail then carries none). The signing lives in the adapters; `composeMail` stays pure.
 */
export interface UnsubscribeLinks {
  headersFor(scope: UnsubscribeScope): Readonly<Record<string, string>> | undefined;
}

/**
 * A kind every recipient gets (an invite, a security notice): its mails offer no unsubscribe. Read defensively, so a
 * registry whose definitions do not declare the flag yet treats every kind as optional.
 */
export function isMandatoryKind(definition: KindDefinition | undefined): boolean {
  return (definition as { mandatory?: boolean } | undefined)?.mandatory === true;
}

/**
 * What an unsubscribe link in this mail should turn off: the topic for a mail from a subscription, else its kind; for
 * a digest, the non-mandatory kinds it lists. Undefined when there is nothing the recipient may turn off.
 */
export function unsubscribeScope(n: Notification, kinds: KindRegistry): UnsubscribeScope | undefined {
  const recipient = { userId: n.recipient.userId, address: n.recipient.email.address };
  if (n.kind === DIGEST_KIND) {
    const listed = (n.payload as unknown as DigestPayload).items.map((item) => item.kind);
    const optional = [...new Set(listed)].filter((kind) => !isMandatoryKind(kinds.get(kind))).sort();
    return optional.length > 0 ? { ...recipient, kinds: optional } : undefined;
  }
  if (isMandatoryKind(kinds.get(n.kind))) return undefined;
  return { ...recipient, kinds: [n.kind], ...(n.topic !== undefined ? { topic: n.topic } : {}) };
}

/** What applying an unsubscribe changed. */
export interface UnsubscribeOutcome {
  /** The topic whose subscription ended (false when there was none any more). */
  readonly topic?: { readonly topic: string; readonly ended: boolean };
  /** The kinds now "off" for the recipient. */
  readonly kindsOff: readonly string[];
}

/**
 * Applies a verified unsubscribe: ends the topic's subscription, or turns each kind off. A kind that became mandatory
 * since the mail went out stays on. Applying twice changes nothing more (a provider may POST twice).
 */
export class Unsubscribe {
  constructor(
    private readonly preferences: PreferenceStore,
    private readonly subscriptions: SubscriptionStore,
    private readonly kinds: KindRegistry,
    private readonly clock: Clock,
  ) {}

  async apply(scope: UnsubscribeScope): Promise<UnsubscribeOutcome> {
    if (scope.topic !== undefined) {
      const ended = await this.subscriptions.unsubscribe(scope.userId, scope.topic);
      return { topic: { topic: scope.topic, ended }, kindsOff: [] };
    }
    const kindsOff = scope.kinds.filter((kind) => !isMandatoryKind(this.kinds.get(kind)));
    const updatedAt = this.clock.now();
    for (const kind of kindsOff) await this.preferences.set({ userId: scope.userId, kind, choice: 'off', updatedAt });
    return { kindsOff };
  }
}
