import type { Delivery, NewNotification } from '../notification';
import type { PreferenceChoice } from '../ports/preference-store';

/** What the host says about a kind: how it is delivered unless a recipient chose, and whether it may be turned off. */
export interface KindDeliveryPolicy {
  /** The delivery the host asked for (on the notification or the subscription). */
  readonly requested: Delivery;
  /** A kind every recipient gets (an invite, a security notice): a recipient's "off" does not hold for it. */
  readonly mandatory?: boolean;
}

/**
 * How one notification goes out: the recipient's choice when there is one (immediate, digest or off), else what the
 * host asked for; a mandatory kind is never off (it goes out as the host asked).
 */
export function effectiveChoice(chosen: PreferenceChoice | undefined, policy: KindDeliveryPolicy): PreferenceChoice {
  if (chosen === undefined) return policy.requested;
  if (chosen === 'off' && policy.mandatory) return policy.requested;
  return chosen;
}

/**
 * A notification as a store adds it under its `rules` (see `RecipientRules`): `chosen` is the recipient's choice for
 * its kind (on its topic, else on every topic), `listed` whether its address is on the suppression list. Without
 * rules it is added as it is.
 */
export function applyRecipientRules(n: NewNotification, chosen: PreferenceChoice | undefined, listed: boolean): NewNotification {
  if (n.rules === undefined) return n;
  const choice = effectiveChoice(chosen, { requested: n.delivery, mandatory: n.rules.mandatory });
  // A recipient's "off" says more than a dead address: a notification both off and suppressed is skipped.
  if (choice === 'off') return { ...n, status: 'skipped' };
  return { ...n, delivery: choice, ...(n.rules.suppress && listed ? { status: 'suppressed' as const } : {}) };
}
