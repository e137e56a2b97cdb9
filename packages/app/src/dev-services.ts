import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EmbeddedPostgresServer } from '@mailroom/adapters';
import type { Log } from './logging/log';
import type { MailroomConfig, SmtpConfig } from './config';
import { MailCatcher } from './catcher/mail-catcher';
import type { Resources } from './container/resources';

// The embedded server's fixed development credentials; it listens on 127.0.0.1 only.
const EMBEDDED_USER = 'mailroom';
const EMBEDDED_PASSWORD = 'mailroom';
const EMBEDDED_DATABASE = 'mailroom';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user (postgres)
  }
}

/**
 * The embedded PostgreSQL's URL: the one another Mailroom process on this data folder already runs
 * (its `postmaster.pid` names the port), or a server this process starts and stops.
 */
export async function embeddedDatabaseUrl(
  config: MailroomConfig,
  resources: Resources,
  logger: Log,
): Promise<{ url: string; started: boolean }> {
  const dataDir = resolve(config.database.embedded.dataDir);
  const pidFile = join(dataDir, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const [pid, , , port] = readFileSync(pidFile, 'utf8').split('\n');
    if (pid && port && alive(Number(pid))) {
      return { url: `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${Number(port)}/${EMBEDDED_DATABASE}`, started: false };
    }
  }
  const server = await EmbeddedPostgresServer.start({
    dataDir,
    ...(config.database.embedded.port ? { port: config.database.embedded.port } : {}),
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    database: EMBEDDED_DATABASE,
  });
  resources.add('embedded PostgreSQL', () => server.stop());
  logger.info('embedded PostgreSQL started', { dataDir, port: server.port });
  return { url: server.url, started: true };
}

/** The port of the development mail catcher another Mailroom process runs (its port file in the inbox folder), if any. */
export function runningCatcherPort(config: MailroomConfig): number | undefined {
  const portFile = join(resolve(config.catcher.dir), 'catcher.json');
  if (!existsSync(portFile)) return undefined;
  try {
    const running = JSON.parse(readFileSync(portFile, 'utf8')) as { pid: number; port: number };
    return alive(running.pid) ? running.port : undefined;
  } catch {
    return undefined; // a half-written or stale file
  }
}

/** SMTP settings that reach the development mail catcher on this machine: no TLS, no login. */
export function catcherSmtpConfig(port: number): SmtpConfig {
  return {
    host: '127.0.0.1',
    port,
    tls: 'none',
    poolSize: 3,
    connectionTimeoutMs: 10_000,
    socketTimeoutMs: 30_000,
    allowInsecureAuth: false,
    auth: { type: 'none' },
  };
}

/**
 * SMTP settings for the development mail catcher: the one another Mailroom process runs, or one this
 * process starts when `startCatcher` is set (or when none runs).
 */
export async function catcherSmtp(
  config: MailroomConfig,
  resources: Resources,
  logger: Log,
  startCatcher: boolean,
): Promise<{ smtp: SmtpConfig; port: number; started: boolean }> {
  const dir = resolve(config.catcher.dir);
  const portFile = join(dir, 'catcher.json');
  let port = runningCatcherPort(config);
  let started = false;
  if (port === undefined || startCatcher) {
    const catcher = new MailCatcher(dir, config.catcher.port);
    port = await catcher.start();
    started = true;
    writeFileSync(portFile, JSON.stringify({ pid: process.pid, port }));
    resources.add('mail catcher', async () => {
      rmSync(portFile, { force: true });
      await catcher.stop();
    });
    logger.info('development mail catcher listening on 127.0.0.1', { port, dir });
  }
  return { smtp: catcherSmtpConfig(port), port, started };
}
