import type { Preference, PreferenceChoice, PreferenceKey, PreferenceStore } from '@mailroom/domain';

/** The recipients' choices in a map: for tests and hosts' tests. */
export class InMemoryPreferenceStore implements PreferenceStore {
  private readonly choices = new Map<string, Preference>();

  async set(preference: Preference): Promise<void> {
    const { topic, ...rest } = preference;
    this.choices.set(keyOf(preference), topic === undefined || topic === '' ? rest : preference);
  }

  async clear(key: PreferenceKey): Promise<boolean> {
    return this.choices.delete(keyOf(key));
  }

  async of(userId: string): Promise<Preference[]> {
    return [...this.choices.values()]
      .filter((p) => p.userId === userId)
      .sort((a, b) => compare(a.kind, b.kind) || compare(a.topic ?? '', b.topic ?? ''));
  }

  async lookup(key: PreferenceKey): Promise<PreferenceChoice | undefined> {
    return this.choiceFor(key);
  }

  /** `lookup` without a promise: the in-memory fan-out reads it inside its one synchronous step. */
  choiceFor(key: PreferenceKey): PreferenceChoice | undefined {
    const onTopic = key.topic === undefined || key.topic === '' ? undefined : this.choices.get(keyOf(key));
    return (onTopic ?? this.choices.get(keyOf({ userId: key.userId, kind: key.kind })))?.choice;
  }
}

function keyOf(key: PreferenceKey): string {
  return JSON.stringify([key.userId, key.kind, key.topic ?? '']);
}

// Code-point order, as PostgreSQL's "C" collation sorts.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
