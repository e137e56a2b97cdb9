/** What a recipient chose for a kind of mail (or for a kind on one topic): at once, in the digest, or not at all. */
export type PreferenceChoice = 'immediate' | 'digest' | 'off';

/** The three choices, for validating what a recipient or the host sends. */
export const PREFERENCE_CHOICES: readonly PreferenceChoice[] = ['immediate', 'digest', 'off'];

/** One saved choice. Without `topic` it holds for the kind on every topic (and for mails without a topic). */
export interface Preference {
  readonly userId: string;
  readonly kind: string;
  readonly topic?: string;
  readonly choice: PreferenceChoice;
  readonly updatedAt: Date;
}

/** Where one recipient's choice is looked up: a kind, and the topic the mail came from (if any). */
export interface PreferenceKey {
  readonly userId: string;
  readonly kind: string;
  readonly topic?: string;
}

/**
 * The recipients' choices per kind and per kind on a topic. The most specific choice wins: kind on the topic, then
 * the kind on every topic. Mandatory kinds and the host's defaults are applied by the domain (`effectiveChoice`; the
 * notification stores apply it as they add, `RecipientRules`), not stored.
 */
export interface PreferenceStore {
  /** Saves a choice, replacing the one for the same user, kind and topic. */
  set(preference: Preference): Promise<void>;
  /** Removes a choice; false when there was none. */
  clear(key: PreferenceKey): Promise<boolean>;
  /** A user's choices, ordered by kind, then topic (the kind-wide one first). */
  of(userId: string): Promise<Preference[]>;
  /** The choice that applies to this key (kind on the topic, else the kind on every topic), if the user made one. */
  lookup(key: PreferenceKey): Promise<PreferenceChoice | undefined>;
}
