import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { Figure } from '../figure';

interface Drained {
  readonly n: number;
  readonly maxRssKb: number;
  readonly rssBeforeKb: number;
  readonly ms: number;
}

/** A drain of `n` mails in a fresh process (see drain-main). */
function drain(n: number, databaseUrl: string): Promise<Drained> {
  const child = fork(join(__dirname, '..', 'drain-main.js'), [String(n)], {
    env: { ...process.env, BENCH_DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let result: Drained | undefined;
    child.on('message', (m: { type: 'drained'; result: Drained }) => (result = m.result));
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`the drain of ${n} exited (${code}) without a result`))));
  });
}

/** Memory: the worker's peak RSS draining a large backlog against a small one, each in a fresh process. */
export const memory: Figure = async ({ databaseUrl, quick }) => {
  const large = quick ? 10_000 : 100_000;
  const small = await drain(1000, databaseUrl);
  const big = await drain(large, databaseUrl);
  const ratio = big.maxRssKb / small.maxRssKb;
  const mb = (kb: number) => Number((kb / 1024).toFixed(1));
  return [
    {
      figure: 'memory',
      what: `peak RSS draining ${large} vs 1000`,
      mailroom: mb(big.maxRssKb),
      baseline: mb(small.maxRssKb),
      unit: 'MB',
      ratio,
      target: '≤ 1.2×',
      met: ratio <= 1.2,
      notes: `RSS before the drain ${mb(big.rssBeforeKb)} / ${mb(small.rssBeforeKb)} MB; drains took ${Math.round(big.ms)} / ${Math.round(small.ms)} ms (${Math.round((big.n / big.ms) * 1000)} / ${Math.round((small.n / small.ms) * 1000)} mails/s)`,
    },
  ];
};
