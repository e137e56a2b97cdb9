import { fork } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Measurement } from './figure';
import { FIGURES } from './figures';
import { jsonLine, table, type Row } from './report';
import { embeddedTarget, systemTarget, type Target } from './targets';

const USAGE = `pnpm bench [-- options]
  --quick         smaller N everywhere: a smoke run of a minute or two
  --embedded      against the embedded PostgreSQL instead of the system one
  --both          against both, the system PostgreSQL first
  --only=a,b      only these figures (${Object.keys(FIGURES).join(', ')})`;

/** Each figure runs in a fresh process, so one figure's heap, JIT and pools never colour the next. */
function runFigure(name: string, target: Target, quick: boolean, logDir: string): Promise<Measurement[]> {
  const logFile = join(logDir, `${target.name}-${name}.log`);
  const log = openSync(logFile, 'w');
  const child = fork(join(__dirname, 'figure-main.js'), [name], {
    env: { ...process.env, BENCH_DATABASE_URL: target.url, BENCH_QUICK: quick ? '1' : '0' },
    // Mailroom logs as it does in production (info: a summary line per delivery run) to stderr: here, a file.
    stdio: ['ignore', 'inherit', log, 'ipc'],
  });
  closeSync(log);
  const limitMs = (quick ? 4 : 12) * 60_000;
  return new Promise((resolve, reject) => {
    let result: Measurement[] | undefined;
    let failure: string | undefined;
    const timer = setTimeout(() => {
      failure = `took longer than ${limitMs / 60_000} minutes; stopped`;
      child.kill('SIGKILL');
    }, limitMs);
    child.on('message', (m: { type: 'result'; measurements: Measurement[] } | { type: 'error'; message: string }) => {
      if (m.type === 'result') result = m.measurements;
      else failure = m.message;
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (result) return resolve(result);
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
      reject(
        new Error(
          `figure ${name} on ${target.name} failed (exit ${code}): ${failure ?? 'no result'}\n--- last lines of ${logFile} ---\n${tail}`,
        ),
      );
    });
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help')) return void console.log(USAGE);
  const quick = args.includes('--quick');
  const only = args
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const names = only ?? Object.keys(FIGURES);
  for (const n of names) if (!(n in FIGURES)) throw new Error(`unknown figure "${n}"\n${USAGE}`);
  const targets = args.includes('--both')
    ? [systemTarget, embeddedTarget]
    : args.includes('--embedded')
      ? [embeddedTarget]
      : [systemTarget];
  const logDir = mkdtempSync(join(tmpdir(), 'mailroom-bench-logs-'));
  const rows: Row[] = [];
  let failed = false;
  const started = Date.now();
  for (const open of targets) {
    const target = await open();
    try {
      for (const name of names) {
        const t = Date.now();
        process.stderr.write(`${target.name}: ${name}…`);
        try {
          const measurements = await runFigure(name, target, quick, logDir);
          for (const m of measurements) rows.push({ database: target.name, ...m });
          process.stderr.write(` ${((Date.now() - t) / 1000).toFixed(0)} s\n`);
        } catch (error) {
          failed = true;
          process.stderr.write(` failed\n${(error as Error).message}\n`);
        }
      }
    } finally {
      await target.close();
    }
  }
  console.log(`\nMailroom benchmarks${quick ? ' (quick)' : ''}, ${((Date.now() - started) / 1000).toFixed(0)} s; logs in ${logDir}\n`);
  console.log(table(rows));
  console.log('');
  for (const r of rows) if (r.notes) console.log(`${r.database} ${r.figure}: ${r.notes}`);
  console.log('');
  for (const r of rows) console.log(jsonLine(r));
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
