/**
 * Runs `work` on each item that `next` hands out, at most `concurrency` at a time, until `next` has none left
 * (undefined). `next` may wait, e.g. for a claim in progress; an item is handed out once.
 */
export async function inParallel<T>(
  concurrency: number,
  next: () => T | undefined | Promise<T | undefined>,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const lane = async (): Promise<void> => {
    for (let item = await next(); item !== undefined; item = await next()) await work(item);
  };
  await Promise.all(Array.from({ length: Math.max(0, concurrency) }, lane));
}
