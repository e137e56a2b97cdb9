import type { Clock, NotificationStore, OutboxBacklog } from '@mailroom/domain';

/** One look at the outbox's backlog: what it held, or why the database did not say. */
export type BacklogReading =
  | { readonly ok: true; readonly backlog: OutboxBacklog; readonly at: Date }
  | { readonly ok: false; readonly error: { readonly code?: string; readonly message: string }; readonly at: Date };

export interface BacklogProbeSettings {
  /** A reading is reused this long: every gauge and every probe within it costs no query. Default 5 s. */
  readonly maxAgeMs: number;
  /** A scrape or probe waits this long for the query; a slower database reads as one that does not answer. Default 2 s. */
  readonly waitMs: number;
}

const DEFAULTS: BacklogProbeSettings = { maxAgeMs: 5000, waitMs: 2000 };

/**
 * The outbox's backlog for metrics and readiness: one query (`NotificationStore.backlog`), its answer reused for a few
 * seconds, one query in flight however many ask. The reuse and the wait are paced in real time (they pace calls to
 * the database); a reading's `at` is the domain's clock, as the mails' creation times are.
 */
export class BacklogProbe {
  private last: { reading: BacklogReading; until: number } | undefined;
  private inFlight: Promise<BacklogReading> | undefined;
  private readonly settings: BacklogProbeSettings;

  constructor(
    private readonly store: Pick<NotificationStore, 'backlog'>,
    private readonly clock: Clock,
    settings: Partial<BacklogProbeSettings> = {},
  ) {
    this.settings = { ...DEFAULTS, ...settings };
  }

  /** The latest reading, at most `maxAgeMs` old; a query still running after `waitMs` reads as a failure (it is kept when it ends). */
  async read(): Promise<BacklogReading> {
    const now = Date.now();
    if (this.last && now < this.last.until) return this.last.reading;
    this.inFlight ??= this.query().finally(() => {
      this.inFlight = undefined;
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<BacklogReading>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            ok: false,
            error: { code: 'DATABASE.SLOW', message: `the database did not answer within ${this.settings.waitMs} ms` },
            at: this.clock.now(),
          }),
        this.settings.waitMs,
      );
      timer.unref();
    });
    try {
      return await Promise.race([this.inFlight, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async query(): Promise<BacklogReading> {
    let reading: BacklogReading;
    try {
      const backlog = await this.store.backlog();
      reading = { ok: true, backlog, at: this.clock.now() };
    } catch (error) {
      const e = error as { code?: unknown; message?: unknown };
      reading = {
        ok: false,
        error: {
          ...(typeof e.code === 'string' ? { code: e.code } : {}),
          message: typeof e.message === 'string' ? e.message : String(error),
        },
        at: this.clock.now(),
      };
    }
    this.last = { reading, until: Date.now() + this.settings.maxAgeMs };
    return reading;
  }
}
