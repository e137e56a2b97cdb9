import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { cleanEnv, runProcess, type CliRun } from './cli';
import { PACKAGES, type PackageName } from './public-api';

const ROOT = join(__dirname, '../..');

/**
 * npm's cache for the host projects, kept between runs (outside the workspace and the host folders) so that a
 * second run installs the third-party packages without the network.
 */
export const NPM_CACHE = join(tmpdir(), 'mailroom-npm-cache');

/** What a command run gave back. */
export type ProcessRun = CliRun;

/**
 * The environment of a fresh shell: no `MAILROOM_` settings, and none of the `npm_…`/`pnpm_…` variables
 * `pnpm test` sets, which would make the host's npm behave as if run by pnpm's scripts.
 */
export function hostEnv(): NodeJS.ProcessEnv {
  const env = cleanEnv();
  for (const key of Object.keys(env)) if (/^(npm|pnpm)_/i.test(key)) delete env[key];
  return env;
}

/** Runs a command to its end (asynchronously, so jest's timers and timeouts keep working), in a host's environment. */
export function run(command: string, args: readonly string[], cwd: string, timeoutMs = 300_000): Promise<ProcessRun> {
  return runProcess(command, args, { cwd, env: hostEnv(), timeoutMs });
}

/** Fails with the command's output unless it exited with 0. */
export async function succeed(command: string, args: readonly string[], cwd: string, timeoutMs?: number): Promise<ProcessRun> {
  const result = await run(command, args, cwd, timeoutMs);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** The version in a workspace package's package.json. */
export function versionOf(p: PackageName): string {
  return (JSON.parse(readFileSync(join(ROOT, 'packages', p, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * `pnpm pack` of the three packages, as a release would make them: each package's `prepack` builds it (`tsc -b`),
 * and pnpm writes version ranges in place of `workspace:` ones. Returns the tarballs' paths.
 */
export async function packTarballs(into: string): Promise<Record<PackageName, string>> {
  await succeed('pnpm', ['--recursive', '--filter', './packages/*', 'pack', '--pack-destination', into], ROOT);
  const tarballs = {} as Record<PackageName, string>;
  for (const p of PACKAGES) tarballs[p] = join(into, `mailroom-${p}-${versionOf(p)}.tgz`);
  return tarballs;
}

/** A tarball's contents, unpacked. */
export interface Unpacked {
  /** The folder holding the package (the tarball's `package/`). */
  readonly dir: string;
  /** Every file's path inside the package, sorted. */
  readonly files: readonly string[];
  /** The package.json a host's npm reads. */
  readonly manifest: Record<string, unknown>;
}

export async function unpack(tarball: string, into: string): Promise<Unpacked> {
  mkdirSync(into, { recursive: true });
  await succeed('tar', ['-xzf', tarball, '-C', into], into);
  const dir = join(into, 'package');
  return { dir, files: filesUnder(dir).sort(), manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) };
}

/** Every file under `dir`, as paths relative to it with forward slashes. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .map((f) => relative(dir, join(dir, f)).split('\\').join('/'));
}

/**
 * A throwaway host project in the system's temporary folder, outside the workspace (no pnpm, no workspace links):
 * `files` written, then the tarballs and `dependencies` installed with npm, the third-party packages from the
 * registry through {@link NPM_CACHE}.
 */
export async function installHostProject(
  tarballs: readonly string[],
  dependencies: readonly string[],
  files: Readonly<Record<string, string>>,
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-host-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  await succeed(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', `--cache=${NPM_CACHE}`, ...tarballs, ...dependencies],
    dir,
    600_000,
  );
  return dir;
}
