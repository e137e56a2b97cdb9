import type { Delivery } from '../notification';
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
