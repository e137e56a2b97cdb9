import { ValidationError } from '../errors';
import type { SuppressedAddress, SuppressionList } from '../ports/suppression-list';
import { EmailAddress } from '../values/email-address';

/** One page of `suppressions.list`. */
export interface SuppressionPageQuery {
  /** 1 to 1000; default 50. */
  readonly limit?: number;
  /** Continue after this address (the last one of the previous page). */
  readonly afterAddress?: string;
}

/** The suppression list as admins and hosts read and clear it: addresses whose mailbox does not exist. */
export class Suppressions {
  constructor(private readonly entries: SuppressionList) {}

  /** Addresses in order, one page. */
  async list(query: SuppressionPageQuery = {}): Promise<SuppressedAddress[]> {
    const limit = query.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new ValidationError(
        'SUPPRESSION.INVALID_LIMIT',
        [{ field: 'limit', problem: 'must be a whole number from 1 to 1000' }],
        'Invalid page',
      );
    }
    return this.entries.list({ limit, ...(query.afterAddress !== undefined ? { afterAddress: query.afterAddress } : {}) });
  }

  /** Takes an address off the list (mail to it is sent again); false when it was not there. */
  async remove(address: string): Promise<boolean> {
    return this.entries.remove(EmailAddress.parse(address).address);
  }

  /** Empties the list; returns how many addresses it held. */
  clear(): Promise<number> {
    return this.entries.clear();
  }
}
