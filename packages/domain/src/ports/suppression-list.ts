/**
 * The code of a permanent failure that says the recipient's mailbox does not exist (SMTP enhanced status 5.1.1,
 * 5.1.10, 5.1.0 on RCPT; Exchange's `550 5.4.1 Recipient address rejected`): the mail sender sets it, delivery puts
 * the address on the suppression list.
 */
export const NO_SUCH_MAILBOX = 'SEND.PERMANENT.NO_SUCH_MAILBOX';

/**
 * The form an address has on the suppression list, and is compared in: lower case, as JavaScript folds it (a store
 * must not fold it again with the database's rules, which may leave non-ASCII letters alone).
 */
export function suppressionKey(address: string): string {
  return address.toLowerCase();
}

/** An address no mail goes to any more: its mailbox does not exist (the server said so with a permanent failure). */
export interface SuppressedAddress {
  /** Lower case: addresses are compared without regard to case. */
  readonly address: string;
  /** Why: the error code and the server's reply that put it there (e.g. `550 5.1.1 … user unknown`). */
  readonly reason: string;
  readonly suppressedAt: Date;
  /** The notification whose failure put it there, when there was one. */
  readonly notificationId?: string;
}

/** One page of the list, in address order. */
export interface SuppressionQuery {
  readonly limit: number;
  /** Continue after this address (keyset paging). */
  readonly afterAddress?: string;
}

/**
 * The suppression list: addresses whose mailbox does not exist. Later notifications to them are recorded as
 * `suppressed` and never sent, until an admin removes the address. Addresses are compared without regard to case.
 */
export interface SuppressionList {
  /** Adds an address; already there, it keeps its first reason and time. */
  add(entry: SuppressedAddress): Promise<void>;
  /** Whether the address is on the list. */
  has(address: string): Promise<boolean>;
  list(query: SuppressionQuery): Promise<SuppressedAddress[]>;
  /** Takes an address off the list; false when it was not there. */
  remove(address: string): Promise<boolean>;
  /** Empties the list; returns how many addresses it held. */
  clear(): Promise<number>;
}
