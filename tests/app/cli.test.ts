import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMailroomDataSource } from '@mailroom/adapters';
import { SYSTEM_POSTGRES_URL } from '../support/postgres';

const CLI = join(__dirname, '../../packages/app/dist/cli/main.js');

/** The environment of a fresh machine: no MAILROOM_ settings. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('MAILROOM_')) env[k] = v;
  return { ...env, ...extra };
}

function run(cwd: string, args: string[], env: NodeJS.ProcessEnv = cleanEnv()) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the mailroom CLI as a process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-cli-'));
  // As root, the embedded PostgreSQL runs as the "postgres" user, which must reach the data folder.
  chmodSync(dir, 0o755);
  let server: ChildProcess | undefined;
  let serverOutput = '';

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts with zero configuration on an empty folder: embedded PostgreSQL and the mail catcher', async () => {
    server = spawn(process.execPath, [CLI, 'start'], { cwd: dir, env: cleanEnv({ MAILROOM_WORKER_POLL_INTERVAL_MS: '200' }) });
    server.stdout!.on('data', (d: Buffer) => (serverOutput += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (serverOutput += d.toString()));
    const deadline = Date.now() + 90_000;
    while (!serverOutput.includes('Mailroom is running.')) {
      if (server.exitCode !== null) throw new Error(`start exited: ${serverOutput}`);
      if (Date.now() > deadline) throw new Error(`start did not come up: ${serverOutput}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(serverOutput).toMatch(/database: embedded PostgreSQL/);
    expect(serverOutput).toMatch(/smtp: +development mail catcher on 127\.0\.0\.1:\d+/);
    expect(serverOutput).toContain('pnpm mailroom inbox');
    // Progress of the migrations on a fresh database, one line per step when stderr is not a terminal.
    expect(serverOutput).toMatch(/migrating: 0\/3 \(0%\) MailroomOutbox\d+/);
    expect(serverOutput).toMatch(/migrating: 3\/3 \(100%\)/);
  }, 120_000);

  it('delivers a notification added by a second process, visible in the inbox', async () => {
    const payload = { inviterName: 'Grace Hopper', accountName: 'ada', acceptLinkPath: '/invitations/x/accept', expiresAt: '2026-12-01T09:00:00Z' };
    const added = run(dir, ['notify', '--kind', 'user-invite', '--to', 'ada@example.com', '--name', 'Ada', '--payload', JSON.stringify(payload), '--json']);
    expect(added.stderr).toBe('');
    expect(added.status).toBe(0);
    const { id } = JSON.parse(added.stdout) as { id: string };
    let mails: { to: string[]; subject: string; messageId: string }[] = [];
    const deadline = Date.now() + 20_000;
    while (mails.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      mails = (JSON.parse(run(dir, ['inbox', '--json']).stdout) as { mails: typeof mails }).mails;
    }
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual(['ada@example.com']);
    expect(mails[0]!.subject).toContain('Grace Hopper');
    expect(mails[0]!.messageId).toBe(`<${id}@localhost.localdomain>`);
    const human = run(dir, ['inbox']);
    expect(human.stdout).toMatch(/ada@example\.com\s+.*Grace Hopper/);
    const outbox = JSON.parse(run(dir, ['outbox', '--json']).stdout) as { counts: Record<string, number> };
    expect(outbox.counts).toMatchObject({ sent: 1, pending: 0, dead: 0 });
  }, 60_000);

  it('shows progress of a retry of dead letters; with --json as JSON lines on stderr, the result alone on stdout', () => {
    const human = run(dir, ['outbox', '--retry-all']);
    expect(human.status).toBe(0);
    expect(human.stderr).toMatch(/retrying dead letters: 0\/0/);
    expect(human.stdout).toMatch(/0 dead letters will be sent again\./);
    const json = run(dir, ['outbox', '--retry-all', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ ok: true, retried: 0 });
    expect(json.stderr.trim().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual([{ progress: { step: 'retrying dead letters', done: 0, total: 0 } }]);
  }, 60_000);

  it('migrates on its own, telling which migrations it applied', async () => {
    const schema = `cli_migrate_${process.pid}`;
    const env = cleanEnv({ MAILROOM_DATABASE_URL: SYSTEM_POSTGRES_URL, MAILROOM_DATABASE_SCHEMA: schema });
    try {
      const first = run(dir, ['migrate', '--json'], env);
      expect(first.status).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({ ok: true, applied: ['MailroomOutbox1767600000000', 'MailroomSendQuota1767600060000', 'MailroomClaims1767600120000'] });
      expect(first.stderr).toContain('"progress":{"step":"migrating","done":3,"total":3}');
      const again = run(dir, ['migrate'], env);
      expect(again.stdout).toMatch(/already up to date/);
    } finally {
      const admin = createMailroomDataSource({ url: SYSTEM_POSTGRES_URL, schema: 'public', poolSize: 1 });
      await admin.initialize();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => admin.destroy());
    }
  }, 60_000);

  it('sends a test mail and refuses an invalid recipient with a clear error', () => {
    const sent = run(dir, ['send-test', '--to', 'bob@example.com']);
    expect(sent.status).toBe(0);
    expect(sent.stdout).toMatch(/Test mail accepted for bob@example\.com/);
    const bad = run(dir, ['send-test', '--to', 'bob@@example.com']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/error: Invalid e-mail address: to /);
  }, 60_000);

  it('reports bad configuration naming the setting and the variable', () => {
    const result = run(dir, ['config'], cleanEnv({ MAILROOM_SMTP_HOST: 'mail.example.com', MAILROOM_SMTP_PORT: '465', MAILROOM_SMTP_TLS: 'starttls' }));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/smtp\.tls \(MAILROOM_SMTP_TLS\): port 465 speaks TLS from the first byte/);
  });

  it('refuses an unknown MAILROOM_LOG_LEVEL naming log.level and the levels, before it opens anything', () => {
    const result = run(dir, ['outbox'], cleanEnv({ MAILROOM_LOG_LEVEL: 'loud' }));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('log.level (MAILROOM_LOG_LEVEL): must be one of "fatal", "error", "warn", "info", "debug", "trace", "silent" (got "loud")');
  });

  it('stops gracefully on SIGTERM', async () => {
    const exited = new Promise<number | null>((r) => server!.once('exit', (code) => r(code)));
    server!.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(serverOutput).toContain('Mailroom stopped.');
  }, 30_000);
});
