import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from './until';

/** The built CLI: tests run it as a user does, a process with its output and exit code. */
export const CLI = join(__dirname, '../../packages/app/dist/cli/main.js');

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of a fresh machine (no MAILROOM_ settings, no NODE_ENV) plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('MAILROOM_') && k !== 'NODE_ENV') env[k] = v;
  return { ...env, ...extra };
}

/**
 * The environment of a Mailroom CLI on a test's database schema and plain-SMTP test server (on 127.0.0.1, no TLS),
 * plus `extra`, on a fresh machine's environment (`cleanEnv`).
 */
export function mailroomEnv(
  at: { databaseUrl: string; schema: string; smtpPort: number },
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return cleanEnv({
    MAILROOM_DATABASE_URL: at.databaseUrl,
    MAILROOM_DATABASE_SCHEMA: at.schema,
    MAILROOM_SMTP_HOST: '127.0.0.1',
    MAILROOM_SMTP_PORT: String(at.smtpPort),
    MAILROOM_SMTP_TLS: 'none',
    ...extra,
  });
}

/**
 * `mailroom <args>` as a process. Asynchronous: the servers it talks to may run in the test's process, which
 * blocking on the child (spawnSync) would starve.
 */
export function runCli(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = cleanEnv(), timeoutMs = 60_000): Promise<CliRun> {
  return runProcess(process.execPath, [CLI, ...args], { cwd, env, timeoutMs });
}

/** Any command as a process, to its end or until `timeoutMs` (then killed), with its output. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** An empty working folder; open to others because, as root, the embedded PostgreSQL runs as "postgres". */
export function aWorkingFolder(prefix = 'mailroom-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

/** A port nothing listens on: a refused connection. */
export { aFreePort as aClosedPort } from './ports';

export interface CliProcess {
  readonly child: ChildProcess;
  /** stdout and stderr so far, interleaved. */
  output(): string;
  /** The exit code (or the signal's name) once the process ended. */
  readonly exited: Promise<number | string>;
}

/** `mailroom start` as a long-running child process, resolved once it says it is running. */
export async function startCli(cwd: string, env: NodeJS.ProcessEnv): Promise<CliProcess> {
  // Tests run side by side: each start's admin API on a port of its own unless the test says otherwise.
  const child = spawn(process.execPath, [CLI, 'start'], { cwd, env: { MAILROOM_ADMIN_LISTEN: '127.0.0.1:0', ...env } });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  await until(
    () => {
      if (child.exitCode !== null) throw new Error(`mailroom start exited: ${output}`);
      return output.includes('Mailroom is running.');
    },
    'mailroom start to run',
    60_000,
  );
  return { child, output: () => output, exited };
}
