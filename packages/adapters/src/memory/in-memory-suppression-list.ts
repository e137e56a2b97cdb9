import type { SuppressedAddress, SuppressionList, SuppressionQuery } from '@mailroom/domain';

/** The suppression list in a map keyed by the lower-case address: for tests and hosts' tests. */
export class InMemorySuppressionList implements SuppressionList {
  private readonly entries = new Map<string, SuppressedAddress>();

  async add(entry: SuppressedAddress): Promise<void> {
    const address = entry.address.toLowerCase();
    if (!this.entries.has(address)) this.entries.set(address, { ...entry, address });
  }

  async has(address: string): Promise<boolean> {
    return this.holds(address);
  }

  /** `has` without a promise: the in-memory fan-out reads it inside its one synchronous step. */
  holds(address: string): boolean {
    return this.entries.has(address.toLowerCase());
  }

  async list({ limit, afterAddress }: SuppressionQuery): Promise<SuppressedAddress[]> {
    const after = afterAddress?.toLowerCase();
    return [...this.entries.values()]
      .filter((e) => after === undefined || e.address > after)
      .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0))
      .slice(0, limit);
  }

  async remove(address: string): Promise<boolean> {
    return this.entries.delete(address.toLowerCase());
  }

  async clear(): Promise<number> {
    const count = this.entries.size;
    this.entries.clear();
    return count;
  }
}
