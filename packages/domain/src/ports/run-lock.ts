/** What `RunLock.tryRun` did: ran `work` and has its result, or did not run it (another process was running the job). */
export type LockedRun<T> = { readonly ran: true; readonly result: T } | { readonly ran: false };

/**
 * Runs a named job on one process of the cluster at a time; a process that finds the job running elsewhere skips it
 * rather than waiting (the Postgres adapter holds a session advisory lock for the job's duration). The lock saves the
 * doubled work, not correctness: a lock lost with its connection lets another process start, so jobs under it must
 * stay safe when they do overlap (retention's deletes lock their rows and skip locked ones).
 */
export interface RunLock {
  /** Runs `work` unless the job `job` is running in another process (or this one): then `ran` is false and `work` is not called. */
  tryRun<T>(job: string, work: () => Promise<T>): Promise<LockedRun<T>>;
}
