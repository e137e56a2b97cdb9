import type { Figure, FigureContext } from './figure';
import { FIGURES } from './figures';

/** A figure in a process of its own: `node figure-main.js <name>`; the result goes back over IPC. */
async function main(): Promise<void> {
  const name = process.argv[2] ?? '';
  const figure: Figure | undefined = (FIGURES as Record<string, Figure>)[name];
  if (!figure) throw new Error(`no figure "${name}"; known: ${Object.keys(FIGURES).join(', ')}`);
  const ctx: FigureContext = { databaseUrl: process.env.BENCH_DATABASE_URL!, quick: process.env.BENCH_QUICK === '1' };
  const measurements = await figure(ctx);
  await new Promise<void>((resolve) => process.send!({ type: 'result', measurements }, () => resolve()));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.send?.({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 100);
  },
);
