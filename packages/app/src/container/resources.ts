/**
 * What the container opened and must close, in reverse order of opening: pools, database connections,
 * the embedded PostgreSQL, the development mail catcher.
 */
export class Resources {
  private readonly closers: { name: string; close: () => Promise<void> }[] = [];

  add(name: string, close: () => Promise<void>): void {
    this.closers.push({ name, close });
  }

  /** Closes everything, newest first; one failure does not keep the others open. Throws the first failure after all ran. */
  async closeAll(): Promise<void> {
    let first: unknown;
    while (this.closers.length > 0) {
      const { name, close } = this.closers.pop()!;
      try {
        await close();
      } catch (error) {
        first ??= new Error(`Closing ${name} failed: ${(error as Error).message}`, { cause: error });
      }
    }
    if (first) throw first;
  }
}
