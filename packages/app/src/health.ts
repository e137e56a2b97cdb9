import type { DeliveryHealth, MailSendError } from '@mailroom/domain';
import type { DeliveryActivity, ObservedFailure } from './worker/delivery-monitor';

/** A reason as health shows it: plain data, never the library error it came from (which may hold a secret). */
export interface HealthReason {
  readonly code?: string;
  readonly message: string;
  readonly hint?: string;
  readonly responseCode?: number;
}

/** Whether this Mailroom's delivery is going, and why not. */
export interface DeliveryStatus {
  /**
   * `healthy`: mail goes out, or there is none to send. `failing`: sends fail (the server unreachable, say) and none
   * was accepted since `since`. `stopped`: the server refuses our credentials or configuration, or a sending quota is
   * spent (`reason`); mails wait without spending attempts. `paused`: delivery outcomes cannot be written to the
   * database; nothing is sent until they are.
   */
  readonly state: 'healthy' | 'failing' | 'stopped' | 'paused';
  readonly since?: Date;
  readonly reason?: HealthReason;
  /** This process's worker: `not started` on a node that only notifies (a worker elsewhere delivers). */
  readonly worker: 'running' | 'not started' | 'stopped';
  readonly lastSentAt?: Date;
  /** The last failure that may pass (kept after delivery recovers), with when it happened. */
  readonly lastError?: ObservedFailure;
  /** Failed sends since `since` while `failing`. */
  readonly failures: number;
}

/** What `mailroom.health()` reports. */
export interface MailroomHealth {
  /** False while nothing is going out: delivery stopped or paused, sends failing with mail waiting, the database away, this Mailroom stopped, or (with `verify`) the SMTP check failing. */
  readonly ok: boolean;
  /** Why `ok` is false, one sentence each, for an admin; empty when ok. */
  readonly problems: readonly string[];
  readonly database: { readonly ok: boolean; readonly error?: string; readonly code?: string };
  readonly delivery: DeliveryStatus;
  /** Mails this process dead-lettered: in the last `windowMinutes`, since it started, and the last one. */
  readonly deadLetters: DeliveryActivity['deadLetters'];
  /** The oldest immediate mail not sent yet: when it was created and how long it has waited. */
  readonly oldestPending?: { readonly since: Date; readonly ageSeconds: number };
  /** With `verify`: connect, TLS, token and AUTH against the SMTP server now. */
  readonly smtp?: { readonly ok: boolean; readonly error?: string; readonly code?: string; readonly hint?: string };
  /** Mails by status (absent while the database does not answer). */
  readonly outbox?: Record<string, number>;
}

export interface HealthInputs {
  readonly now: Date;
  readonly stopped: DeliveryHealth;
  readonly activity: DeliveryActivity;
  readonly worker: DeliveryStatus['worker'];
  readonly database: MailroomHealth['database'];
  readonly outbox?: Record<string, number>;
  readonly oldestPendingAt?: Date;
  readonly smtp?: MailroomHealth['smtp'];
}

/** The health report and whether it is ok, from what the delivery, the monitor and the database said. */
export function assessHealth(i: HealthInputs): MailroomHealth {
  const { activity } = i;
  const delivery = deliveryStatus(i);
  const oldestPending = i.oldestPendingAt
    ? { since: i.oldestPendingAt, ageSeconds: Math.max(0, Math.round((i.now.getTime() - i.oldestPendingAt.getTime()) / 1000)) }
    : undefined;
  const problems: string[] = [];
  if (!i.database.ok) problems.push(`The database does not answer: ${i.database.error ?? 'no reason given'}`);
  if (i.worker === 'stopped') problems.push('This Mailroom was stopped: it sends nothing; create a new one.');
  if (delivery.state === 'stopped')
    problems.push(`Delivery stopped at ${delivery.since!.toISOString()}: ${sentence(delivery.reason!)} Mails wait, no attempts are spent.`);
  if (delivery.state === 'paused')
    problems.push(
      `Delivery paused at ${delivery.since!.toISOString()}: its outcomes cannot be written to the database (${delivery.reason!.message}).`,
    );
  if (delivery.state === 'failing' && oldestPending) {
    const last = activity.lastError!;
    problems.push(
      `No mail went out since ${delivery.since!.toISOString()}: ${delivery.failures} send${delivery.failures === 1 ? '' : 's'} failed, the last (${last.code}) with: ${last.message} ` +
        `The oldest waiting mail is ${oldestPending.ageSeconds} s old.`,
    );
  }
  if (i.smtp && !i.smtp.ok) problems.push(`The SMTP check failed: ${i.smtp.error ?? 'no reason given'}`);
  return {
    ok: problems.length === 0,
    problems,
    database: i.database,
    delivery,
    deadLetters: activity.deadLetters,
    ...(oldestPending ? { oldestPending } : {}),
    ...(i.smtp ? { smtp: i.smtp } : {}),
    ...(i.outbox ? { outbox: i.outbox } : {}),
  };
}

function deliveryStatus(i: HealthInputs): DeliveryStatus {
  const { activity, stopped } = i;
  const common = {
    worker: i.worker,
    failures: activity.failures,
    ...(activity.lastSentAt ? { lastSentAt: activity.lastSentAt } : {}),
    ...(activity.lastError ? { lastError: activity.lastError } : {}),
  };
  if (stopped.state === 'stopped') return { state: 'stopped', since: stopped.since, reason: reasonOf(stopped.reason), ...common };
  if (activity.paused)
    return {
      state: 'paused',
      since: activity.paused.since,
      reason: { message: activity.paused.reason, ...(activity.paused.code ? { code: activity.paused.code } : {}) },
      ...common,
    };
  if (activity.failingSince) return { state: 'failing', since: activity.failingSince, ...common };
  return { state: 'healthy', ...common };
}

function reasonOf(error: MailSendError): HealthReason {
  return {
    ...(error.code ? { code: error.code } : {}),
    message: error.message,
    ...(error.hint ? { hint: error.hint } : {}),
    ...(error.responseCode !== undefined ? { responseCode: error.responseCode } : {}),
  };
}

function sentence(reason: HealthReason): string {
  const text = reason.hint && !reason.message.includes(reason.hint) ? `${reason.message} ${reason.hint}` : reason.message;
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
