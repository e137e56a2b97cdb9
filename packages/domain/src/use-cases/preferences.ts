import { IssueCollector, ValidationError } from '../errors';
import type { KindRegistry } from '../kinds/kind-registry';
import type { Clock } from '../ports/clock';
import { PREFERENCE_CHOICES, type Preference, type PreferenceChoice, type PreferenceStore } from '../ports/preference-store';
import { topic as checkTopic } from '../subscription';
import { checkKey } from './notify';

/** What the host passes to `preferences.set`: a recipient's choice for a kind, on one topic or (without) on all. */
export interface PreferenceInput {
  readonly userId: string;
  readonly kind: string;
  readonly topic?: string;
  readonly choice: PreferenceChoice;
}

/** Which choice `preferences.clear` removes. */
export interface PreferenceRef {
  readonly userId: string;
  readonly kind: string;
  readonly topic?: string;
}

/** The recipients' choices, as the host reads and changes them; refuses what `notify` could not honour. */
export class Preferences {
  constructor(
    private readonly store: PreferenceStore,
    private readonly kinds: KindRegistry,
    private readonly clock: Clock,
  ) {}

  /** A user's choices, ordered by kind, then topic (the kind-wide one first). */
  async of(userId: string): Promise<Preference[]> {
    return this.store.of(checkKey(userId, 'userId', 'RECIPIENT.INVALID', 200));
  }

  /**
   * Saves a choice, replacing the one for the same user, kind and topic. Throws a `ValidationError` for an unknown
   * kind, a wrong choice, or "off" for a mandatory kind (naming the kind).
   */
  async set(input: PreferenceInput): Promise<void> {
    const issues = new IssueCollector();
    const ref = this.checkRef(input, issues);
    const definition = ref.kind === undefined ? undefined : this.kinds.get(ref.kind);
    if (!PREFERENCE_CHOICES.includes(input.choice)) {
      issues.check(() => {
        throw new ValidationError(
          'PREFERENCE.INVALID_CHOICE',
          [{ field: 'choice', problem: `must be one of ${PREFERENCE_CHOICES.join(', ')} (got ${JSON.stringify(input.choice)})` }],
          'Invalid choice',
        );
      });
    } else if (input.choice === 'off' && definition?.mandatory === true) {
      issues.check(() => {
        throw new ValidationError(
          'PREFERENCE.MANDATORY_KIND',
          [{ field: 'choice', problem: `"${definition.kind}" is mandatory: it cannot be turned off (choose immediate or digest)` }],
          'Invalid choice',
        );
      });
    }
    issues.done('Invalid preference');
    await this.store.set({ ...ref.key!, choice: input.choice, updatedAt: this.clock.now() });
  }

  /** Removes a choice (the kind's default applies again); false when there was none. */
  async clear(input: PreferenceRef): Promise<boolean> {
    const issues = new IssueCollector();
    const ref = this.checkRef(input, issues);
    issues.done('Invalid preference');
    return this.store.clear(ref.key!);
  }

  private checkRef(input: PreferenceRef, issues: IssueCollector) {
    if (input === null || typeof input !== 'object') {
      throw new ValidationError(
        'PREFERENCE.INVALID',
        [{ field: 'input', problem: 'must be { userId, kind, topic?, choice }' }],
        'Invalid preference',
      );
    }
    const userId = issues.check(() => checkKey(input.userId, 'userId', 'RECIPIENT.INVALID', 200));
    const kind = issues.check(() => this.kinds.definitionOf(input.kind).kind);
    const topic = input.topic === undefined ? undefined : issues.check(() => checkTopic(input.topic!));
    const key = userId === undefined || kind === undefined ? undefined : { userId, kind, ...(topic !== undefined ? { topic } : {}) };
    return { kind, key };
  }
}
