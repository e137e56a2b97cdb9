import { checkDigestSettings, digestDedupeKey, digestPayload, digestPeriodEnd, type DigestBatch, type DigestSettings } from '../digest';
import { DIGEST_KIND } from '../kinds/payloads';
import { inParallel } from '../in-parallel';
import type { Clock, IdSource } from '../ports/clock';
import type { NotificationStore } from '../ports/notification-store';

/** What one digest run did. */
export interface DigestRunReport {
  readonly periodEnd: Date;
  /** Digest mails created in this run (a recipient another worker served already is not counted). */
  readonly digests: number;
  /** Chunks of recipients whose digests failed (the others went on); they are tried again at the next run. */
  readonly failures: readonly { readonly userIds: readonly string[]; readonly error: unknown }[];
}

/**
 * Once per digest period, turns each recipient's pending digest items into one digest mail, which then goes
 * out through the same outbox as any immediate mail. Periods are aligned on the interval, and each recipient's
 * digest for a period has a unique dedupe key, so running this twice, or on two workers at once, makes one digest.
 * An item waits at most one interval (plus the scheduler's tick) before its digest is made.
 */
export class SendDigests {
  private settings: DigestSettings;

  constructor(
    private readonly store: NotificationStore,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    settings: DigestSettings,
    /** Chunks of recipients handled at once. */
    private readonly concurrency = 4,
    private readonly pageSize = 500,
    /** Recipients whose digests are made together (one short transaction in Postgres). */
    private readonly chunkSize = 100,
  ) {
    this.settings = checkDigestSettings(settings);
  }

  /** New interval and size (an admin changed them): the next run uses them. */
  reconfigure(settings: DigestSettings): void {
    this.settings = checkDigestSettings(settings);
  }

  async run(now: Date = this.clock.now()): Promise<DigestRunReport> {
    const { intervalMinutes, maxItems } = this.settings;
    const periodEnd = digestPeriodEnd(now, intervalMinutes);
    let digests = 0;
    const failures: { userIds: string[]; error: unknown }[] = [];
    let after: string | undefined;
    for (;;) {
      const userIds = await this.store.digestRecipients(periodEnd, this.pageSize, after);
      if (userIds.length === 0) break;
      const requests = userIds.map((userId) => ({
        userId,
        periodEnd,
        maxItems,
        dedupeKey: digestDedupeKey(userId, periodEnd),
        build: (batch: DigestBatch) => ({
          id: this.ids.next(),
          kind: DIGEST_KIND,
          // The newest item carries the recipient's current address and name.
          recipient: batch.listed[0]!.recipient,
          payload: digestPayload(batch, periodEnd, intervalMinutes) as unknown as Record<string, unknown>,
          delivery: 'immediate' as const,
          dedupeKey: digestDedupeKey(userId, periodEnd),
          createdAt: this.clock.now(),
        }),
      }));
      // Chunks of recipients, a few at once: each chunk is a short transaction in Postgres.
      const chunks: (typeof requests)[] = [];
      for (let i = 0; i < requests.length; i += this.chunkSize) chunks.push(requests.slice(i, i + this.chunkSize));
      let next = 0;
      await inParallel(
        Math.min(this.concurrency, chunks.length),
        () => chunks[next++],
        async (chunk) => {
          try {
            // Awaited first: `digests += await …` would read `digests` before the wait and lose other chunks' counts.
            const made = await this.store.createDigests(chunk);
            digests += made.length;
          } catch (error) {
            // One chunk's trouble must not hold back every recipient after it for another interval.
            failures.push({ userIds: chunk.map((r) => r.userId), error });
          }
        },
      );
      after = userIds[userIds.length - 1];
    }
    return { periodEnd, digests, failures };
  }

  /** When the next period ends: the scheduler's next wake-up. */
  nextRunAt(now: Date = this.clock.now()): Date {
    return new Date(digestPeriodEnd(now, this.settings.intervalMinutes).getTime() + this.settings.intervalMinutes * 60_000);
  }
}
