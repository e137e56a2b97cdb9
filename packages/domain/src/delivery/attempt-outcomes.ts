import type { Notification } from '../notification';
import type { Settlement } from '../ports/notification-store';
import type { AttemptedMail, DeliveryFailureClass, DeliveryOutcome } from './deliver-due-contract';

interface Attempt {
  readonly claim: number;
  readonly mail: AttemptedMail;
  readonly failure?: DeliveryFailureClass;
}

/**
 * The attempts whose settlements are not in the store yet, kept so their outcomes can be told once they are (a
 * listener hears what the outbox now says, not what may still be undone by a database outage). At most one per mail
 * this worker holds.
 */
export class AttemptOutcomes {
  private readonly waiting = new Map<string, Attempt>();

  /** `settlement` ends an attempt of `n` that took `sendMs` (absent when nothing was sent) and failed as `failure`. */
  note(n: Notification, settlement: Settlement, at: Date, details: { sendMs?: number; failure?: DeliveryFailureClass } = {}): void {
    const mail: AttemptedMail = {
      id: n.id,
      kind: n.kind,
      recipient: n.recipient,
      attempt: n.attempts,
      at,
      ...(details.sendMs !== undefined ? { sendMs: details.sendMs } : {}),
    };
    this.waiting.set(n.id, { claim: settlement.claim, mail, ...(details.failure ? { failure: details.failure } : {}) });
  }

  /** The outcomes of the noted attempts among these settlements, now in the store; each is told once. */
  written(batch: readonly Settlement[]): DeliveryOutcome[] {
    const outcomes: DeliveryOutcome[] = [];
    for (const s of batch) {
      const attempt = this.waiting.get(s.id);
      if (attempt?.claim !== s.claim) continue;
      this.waiting.delete(s.id);
      const outcome = outcomeOf(attempt, s);
      if (outcome) outcomes.push(outcome);
    }
    return outcomes;
  }
}

function outcomeOf({ mail, failure = 'transient' }: Attempt, s: Settlement): DeliveryOutcome | undefined {
  switch (s.type) {
    case 'sent':
      return { ...mail, type: 'sent', messageId: s.messageId, ...(s.error ? { refused: s.error } : {}) };
    case 'dead':
      return { ...mail, type: 'dead', error: s.error, failure };
    case 'retry':
      return { ...mail, type: 'failed', error: s.error, failure, retryAt: s.nextAttemptAt };
    case 'release':
      // An attempt that stopped or paused delivery: the mail waits without spending the attempt.
      return s.error ? { ...mail, type: 'failed', error: s.error, failure, retryAt: s.nextAttemptAt } : undefined;
  }
}
