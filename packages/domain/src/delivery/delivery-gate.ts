import type { MailSendError } from '../mail';
import type { DeliveryHealth } from './delivery-health';

/**
 * Whether mail may go out. A refusal that is not the mail's own — credentials, configuration, a sending quota —
 * closes the gate: mails wait without spending attempts, and one probe mail per delay (not one login per pending
 * mail) finds out whether it opened again. A successful send opens it.
 */
export class DeliveryGate {
  private current: DeliveryHealth = { state: 'healthy' };
  private probeAt: Date | undefined;

  constructor(
    /** Between probes while closed, unless the refusal names its own pause (a quota). */
    private readonly probeDelayMs: number,
  ) {}

  get health(): DeliveryHealth {
    return this.current;
  }

  get closed(): boolean {
    return this.current.state === 'stopped';
  }

  /** While closed: when the next probe may go. */
  get nextProbeAt(): Date | undefined {
    return this.closed ? this.probeAt : undefined;
  }

  /** Closed, and the next probe is not due yet: nothing is to be claimed now. */
  waiting(now: Date): boolean {
    return this.closed && this.probeAt !== undefined && now < this.probeAt;
  }

  /** A mail was accepted. */
  open(at: Date): void {
    this.current = { state: 'healthy', lastSentAt: at };
    this.probeAt = undefined;
  }

  /** A refusal that holds delivery: closes the gate (or renews its reason) until the next probe. */
  close(now: Date, reason: MailSendError): void {
    this.probeAt = this.dueAgain(now, reason);
    if (this.current.state !== 'stopped') {
      const { lastSentAt } = this.current;
      this.current = { state: 'stopped', since: now, reason, ...(lastSentAt ? { lastSentAt } : {}) };
    } else {
      this.current = { ...this.current, reason };
    }
  }

  /** When mails released for `reason` are due again: after the refusal's own pause (a quota), else the probe delay. */
  dueAgain(now: Date, reason: MailSendError): Date {
    return new Date(now.getTime() + (reason.pauseMs ?? this.probeDelayMs));
  }
}
