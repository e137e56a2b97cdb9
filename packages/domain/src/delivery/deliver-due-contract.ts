import type { UnsubscribeLinks } from '../recipients/unsubscribe';
import type { KindRegistry } from '../kinds/kind-registry';
import type { Clock, Timers } from '../ports/clock';
import type { MailSender } from '../ports/mail-sender';
import type { NotificationStore, Settlement } from '../ports/notification-store';
import type { SendQuota, StopSignal } from '../ports/send-quota';
import type { SuppressionList } from '../ports/suppression-list';
import type { TemplateRenderer } from '../ports/template-renderer';
import type { SendFailureClass } from '../mail';
import type { DeliveryError } from '../notification';
import type { EmailAddress } from '../values/email-address';
import type { Recipient } from '../values/recipient';
import type { RetryPolicy } from './retry-policy';
import type { SettlerSettings } from './settler';

/** The settings, collaborators, listener and report of `DeliverDue`: its contract with the app. */

/** How delivery runs: From, leases, concurrency, batches (from the `worker.*` settings). */
export interface DeliverySettings {
  readonly from: EmailAddress;
  /** How long a claim lasts unless the worker's heartbeat (every third of it) extends it. */
  readonly leaseMs: number;
  /** Sends handed to the mail sender at once (the app gives two per pooled SMTP connection: one sending, one waiting). */
  readonly concurrency: number;
  /** While delivery is stopped (credentials or configuration refused), mails wait this long between probes. */
  readonly stoppedProbeDelayMs: number;
  /** Who claims, kept on each claimed row: host, process and a random part, e.g. `node-1/4711/9f3a`. */
  readonly owner: string;
  /** Group commit of settlements; see `SettlerSettings`. Default 25 mails or 20 ms, sends wait past 50 unsettled. */
  readonly settle?: Partial<SettlerSettings>;
}

/**
 * Why an attempt failed, as failures are counted and told: the send's class (see `SendFailureClass`), or `template`
 * when the mail could not be rendered.
 */
export type DeliveryFailureClass = SendFailureClass | 'template';

/** The mail an outcome is about. */
export interface AttemptedMail {
  readonly id: string;
  readonly kind: string;
  readonly recipient: Recipient;
  /** Which attempt this was: 1 for the first (an admin's retry of a dead letter starts again at 1). */
  readonly attempt: number;
  /** When the attempt ended. */
  readonly at: Date;
  /** How long the mail sender took over it (absent when nothing was sent: a template that could not render). */
  readonly sendMs?: number;
}

/**
 * What one attempt came to, told once its settlement is in the store: `sent` (the server accepted it; `refused`
 * names recipients it refused while taking the others), `failed` (it is tried again at `retryAt`: after the retry
 * backoff, or once delivery resumes when the failure stopped or paused it), or `dead` (dead-lettered).
 */
export type DeliveryOutcome = AttemptedMail &
  (
    | { readonly type: 'sent'; readonly messageId: string; readonly refused?: DeliveryError }
    | { readonly type: 'failed'; readonly error: DeliveryError; readonly failure: DeliveryFailureClass; readonly retryAt: Date }
    | { readonly type: 'dead'; readonly error: DeliveryError; readonly failure: DeliveryFailureClass }
  );

/**
 * Delivery paused for a sending quota until `until`: this worker's share of the per-minute rate limit is spent
 * (`rate-limit`), or the server refuses every mail for a while (`server`, with the reply's code).
 */
export interface QuotaPause {
  readonly source: 'rate-limit' | 'server';
  readonly until: Date;
  readonly code?: string;
}

/** What a host or the worker hears about delivery as it happens (one log line per mail, say). */
export interface DeliveryListener {
  /** The server accepted the mail; its settlement may still wait for the database. */
  readonly accepted?: (mail: { readonly id: string; readonly messageId: string }) => void;
  /** Settlements that are in the store. */
  readonly settled?: (batch: readonly Settlement[]) => void;
  /**
   * Settlements cannot be written: delivery pauses (no claims, no sends) until they are; told once per outage, with
   * the settlements that wait (the `sent` ones are mails the server accepted whose outcome is not recorded yet).
   */
  readonly settlementFailed?: (error: unknown, unsettled: readonly Settlement[]) => void;
  /** The settlements that waited are written; delivery goes on. */
  readonly settlementRecovered?: () => void;
  /** An address could not be put on the suppression list (its mail is dead-lettered all the same). */
  readonly suppressionFailed?: (error: unknown, address: string) => void;
  /** A lease heartbeat could not reach the database (the leases then run out as claimed). */
  readonly heartbeatFailed?: (error: unknown) => void;
  /**
   * The outcomes of attempts whose settlements are in the store, in the batches they were written in. A mail that
   * went back to pending without an attempt (a shutdown, a claim running out) has none.
   */
  readonly recorded?: (outcomes: readonly DeliveryOutcome[]) => void;
  /** Delivery pauses for a sending quota (once per pause: a run that finds the quota spent, a server's refusal). */
  readonly quotaPaused?: (pause: QuotaPause) => void;
}

/** What one delivery run did, by outcome. */
export interface DeliveryReport {
  readonly claimed: number;
  readonly sent: number;
  readonly retried: number;
  readonly dead: number;
  /** Returned to pending without spending an attempt (delivery stopped or paused, a shutdown, a claim running out). */
  readonly released: number;
  /** The last claim of the run got all it asked for: more is probably due, so the worker goes on at once. */
  readonly full: boolean;
  /** Settlements that could not be written yet (the database is away): the next run writes them before anything else. */
  readonly unsettled: number;
  /**
   * Nothing can be sent before this (the minute's quota is spent, delivery is stopped and the next probe is not
   * due, or settlements wait for the database): the worker sleeps until then instead of asking again at once.
   */
  readonly notBefore?: Date;
}

/** Options of one `DeliverDue.run`. */
export interface RunOptions {
  /** When it aborts, mails not yet sent go back to pending without spending an attempt. */
  readonly signal?: StopSignal;
  /** Claim up to this many batches in one run, the next while the last mails of the previous are in flight. Default 1. */
  readonly maxBatches?: number;
}

/** The ports and policies `DeliverDue` works with. */
export interface DeliverDueDeps {
  readonly store: NotificationStore;
  readonly sender: MailSender;
  readonly renderer: TemplateRenderer;
  readonly kinds: KindRegistry;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly retry: RetryPolicy;
  /** A per-minute budget shared by all workers; absent means no limit. */
  readonly quota?: SendQuota;
  readonly listener?: DeliveryListener;
  /** Signs the one-click unsubscribe links of optional mails; absent: mails carry no `List-Unsubscribe`. */
  readonly unsubscribe?: UnsubscribeLinks;
  /**
   * Where a dead-lettered "no such mailbox" failure puts the address, while `enabled()` (the `suppression.enabled`
   * setting); absent, nothing is suppressed.
   */
  readonly suppressions?: { readonly list: SuppressionList; enabled(): boolean };
}
