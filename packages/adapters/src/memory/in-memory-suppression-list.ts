import { suppressionKey, type SuppressedAddress, type SuppressionList, type SuppressionQuery } from '@mailroom/domain';

/** The suppression list in a map keyed by the lower-case address: for tests and hosts' tests. */
export class InMemorySuppressionList implements SuppressionList {
  private readonly entries = new Map<string, SuppressedAddress>();

  async add(entry: SuppressedAddress): Promise<void> {
    const address = suppressionKey(entry.address);
    if (!this.entries.has(address)) this.entries.set(address, { ...entry, address });
  }

  async has(address: string): Promise<boolean> {
    return this.holds(address);
  }

  /** `has` without a promise: the in-memory fan-out reads it inside its one synchronous step. */
  holds(address: string): boolean {
    return this.entries.has(suppressionKey(address));
  }

  async list({ limit, afterAddress }: SuppressionQuery): Promise<SuppressedAddress[]> {
    const after = afterAddress === undefined ? undefined : suppressionKey(afterAddress);
    return [...this.entries.values()]
      .filter((e) => after === undefined || e.address > after)
      .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0))
      .slice(0, limit);
  }

  async remove(address: string): Promise<boolean> {
    return this.entries.delete(suppressionKey(address));
  }

  async clear(): Promise<number> {
    const count = this.entries.size;
    this.entries.clear();
    return count;
  }
}
