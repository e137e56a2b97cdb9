import { MailroomError } from '../errors';

/** When a failed mail is tried again, and when it becomes a dead letter (`retry.*` in the configuration). */
export interface RetrySettings {
  /** Delay before the second attempt. Default 60 000 (1 min). */
  readonly initialDelayMs: number;
  /** Each further delay is the previous one times this. Default 2. */
  readonly multiplier: number;
  /** No delay is longer than this. Default 3 600 000 (1 h). */
  readonly maxDelayMs: number;
  /** After this many failed attempts the mail becomes a dead letter. Default 10. */
  readonly maxAttempts: number;
  /** Each delay is spread by ± this fraction so many failed mails do not retry in one burst. Default 0.2. */
  readonly jitter: number;
}

/** 1 minute, doubling to at most an hour, 10 attempts, with jitter. */
export const DEFAULT_RETRY: RetrySettings = {
  initialDelayMs: 60_000,
  multiplier: 2,
  maxDelayMs: 3_600_000,
  maxAttempts: 10,
  jitter: 0.2,
};

/** Exponential backoff with jitter; decides between "retry at" and "dead letter". */
export class RetryPolicy {
  private current: RetrySettings;

  constructor(
    settings: Partial<RetrySettings> = {},
    private readonly random: () => number = Math.random,
  ) {
    this.current = checkRetrySettings({ ...DEFAULT_RETRY, ...settings });
  }

  get settings(): RetrySettings {
    return this.current;
  }

  /** New settings (an admin changed them): the next failure is scheduled with them; unset ones keep the defaults. */
  reconfigure(settings: Partial<RetrySettings>): void {
    this.current = checkRetrySettings({ ...DEFAULT_RETRY, ...settings });
  }

  /** The delay without jitter after `attempts` failed attempts (1 → initialDelayMs). */
  baseDelayMs(attempts: number): number {
    const { initialDelayMs, multiplier, maxDelayMs } = this.settings;
    return Math.min(maxDelayMs, initialDelayMs * multiplier ** Math.max(0, attempts - 1));
  }

  /** When to try again after `attempts` failed attempts, or undefined when the mail is out of attempts. */
  nextAttemptAt(attempts: number, now: Date): Date | undefined {
    if (attempts >= this.settings.maxAttempts) return undefined;
    const spread = 1 - this.settings.jitter + 2 * this.settings.jitter * this.random();
    return new Date(now.getTime() + Math.round(this.baseDelayMs(attempts) * spread));
  }
}

function checkRetrySettings(s: RetrySettings): RetrySettings {
  if (!(s.initialDelayMs > 0) || !(s.multiplier >= 1) || !(s.maxDelayMs >= s.initialDelayMs)) {
    throw new MailroomError('CONFIG.RETRY', 'Retry settings need initialDelayMs > 0, multiplier ≥ 1 and maxDelayMs ≥ initialDelayMs.');
  }
  if (!Number.isInteger(s.maxAttempts) || s.maxAttempts < 1) {
    throw new MailroomError('CONFIG.RETRY', 'retry.maxAttempts must be a whole number of 1 or more.');
  }
  if (!(s.jitter >= 0 && s.jitter < 1)) throw new MailroomError('CONFIG.RETRY', 'retry.jitter must be at least 0 and below 1.');
  return s;
}
