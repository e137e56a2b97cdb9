/**
 * What the container opened and must close, in reverse order of opening: pools, database connections,
 * the embedded PostgreSQL, the development mail catcher.
 */
export class Resources {
  private readonly closers: { name: string; close: () => Promise<void> }[] = [];

  add(name: string, close: () => Promise<void>): void {
    this.closers.push({ name, close });
  }

  /**
   * Closes everything, newest first; one failure does not keep the others open. Throws the first failure after all
   * ran. With a `deadline` (epoch ms), a close still running then is left behind, so a stop never hangs on a
   * connection that does not answer (an SMTP server that stopped answering mid-send); returns their names.
   */
  async closeAll(deadline?: number): Promise<string[]> {
    let first: Error | undefined;
    const leftBehind: string[] = [];
    while (this.closers.length > 0) {
      const { name, close } = this.closers.pop()!;
      try {
        const closed = await (deadline === undefined ? close().then(() => true) : beforeDeadline(close(), deadline));
        if (!closed) leftBehind.push(name);
      } catch (error) {
        first ??= new Error(`Closing ${name} failed: ${(error as Error).message}`, { cause: error });
      }
    }
    if (first) throw first;
    return leftBehind;
  }
}

/** True when closed in time, false when still closing at the deadline (it goes on closing, unwaited). */
async function beforeDeadline(closing: Promise<void>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  // At least a moment for each: a pool that closes at once should not be reported late.
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(50, deadline - Date.now()));
    timer.unref();
  });
  closing.catch(() => undefined); // a close that fails after the deadline has nobody left to tell
  try {
    return await Promise.race([closing.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
