import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { until } from './until';

/** The built CLI, as a user runs it (`pnpm test` builds it before jest runs). */
export const CLI = join(__dirname, '../../packages/app/dist/cli/main.js');

/** The environment of a fresh machine plus `extra`: no MAILROOM_ settings from the developer's shell. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('MAILROOM_')) env[k] = v;
  return { ...env, ...extra };
}

export interface CliProcess {
  readonly child: ChildProcess;
  /** stdout and stderr so far, interleaved. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process ended. */
  readonly exited: Promise<number | string>;
}

/** Runs `mailroom <args>` as a child process in `cwd`. */
export function runCli(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: options.env });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return { child, output: () => output, exited };
}

/** `mailroom start` as a child process, resolved once it says it is running. */
export async function startCli(options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<CliProcess> {
  const cli = runCli(['start'], options);
  await until(() => {
    if (cli.child.exitCode !== null) throw new Error(`mailroom start exited: ${cli.output()}`);
    return cli.output().includes('Mailroom is running.');
  }, 'mailroom start to run', 60_000);
  return cli;
}
