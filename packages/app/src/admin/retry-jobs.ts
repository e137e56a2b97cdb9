import { randomUUID } from 'node:crypto';
import type { AdminBackend } from './admin-backend';
import { errorAnswer } from './admin-errors';

/** How far a retry of every dead letter has come. */
export interface RetryJob {
  readonly id: string;
  /** Dead letters put back in line so far, of `total` (which grows when mail dies meanwhile). */
  readonly done: number;
  readonly total: number;
  readonly finished: boolean;
  readonly startedAt: Date;
  readonly startedBy: string;
  /** Why it stopped early; what it did before stays done (start another for the rest). */
  readonly error?: { readonly code: string; readonly message: string };
}

const KEEP_FINISHED = 50;

/**
 * Retries of every dead letter running in this process, for `POST /outbox/retry-all` and its progress. One at a time:
 * starting while one runs answers the running one. Behind a load balancer, ask the node that started it (or count dead
 * letters with `/outbox/counts`).
 */
export class RetryJobs {
  private readonly jobs = new Map<string, RetryJob>();

  constructor(private readonly backend: AdminBackend) {}

  start(by: string, batchSize?: number): RetryJob {
    const running = [...this.jobs.values()].find((j) => !j.finished);
    if (running) return running;
    const id = randomUUID();
    this.put({ id, done: 0, total: 0, finished: false, startedAt: new Date(), startedBy: by });
    const update = (change: Partial<RetryJob>) => this.put({ ...this.jobs.get(id)!, ...change });
    this.backend.outbox
      .retryDead('all', { ...(batchSize ? { batchSize } : {}), onProgress: ({ done, total }) => update({ done, total }) })
      .then(
        (done) => update({ done, total: Math.max(done, this.jobs.get(id)!.total), finished: true }),
        (error: unknown) => {
          const { code, message } = errorAnswer(error, this.backend.logger, 'POST /outbox/retry-all').body.error;
          update({ finished: true, error: { code, message } });
        },
      );
    return this.jobs.get(id)!;
  }

  get(id: string): RetryJob | undefined {
    return this.jobs.get(id);
  }

  private put(job: RetryJob): void {
    this.jobs.set(job.id, job);
    const finished = [...this.jobs.values()].filter((j) => j.finished);
    for (const old of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(old.id);
  }
}
