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
   * ran. With a `deadline` (epoch ms), a close still running then is left behind (reported as a failure), so a
   * stop never hangs on a connection that does not answer.
   */
  async closeAll(deadline?: number): Promise<void> {
    let first: unknown;
    while (this.closers.length > 0) {
      const { name, close } = this.closers.pop()!;
      try {
        await (deadline === undefined ? close() : beforeDeadline(close(), deadline, name));
      } catch (error) {
        first ??= new Error(`Closing ${name} failed: ${(error as Error).message}`, { cause: error });
      }
    }
    if (first) throw first;
  }
}

async function beforeDeadline(closing: Promise<void>, deadline: number, name: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  // At least a moment for each: a pool that closes at once should not be reported late.
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not close by the stop deadline; left behind`)), Math.max(50, deadline - Date.now()));
    timer.unref();
  });
  try {
    await Promise.race([closing, late]);
  } finally {
    clearTimeout(timer);
  }
}
