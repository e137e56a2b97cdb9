import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aClosedPort, aWorkingFolder, cleanEnv, runCli, type CliRun } from '../support/cli';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server';

/** Human output: the error (after a progress note at most), nothing else — no log line (JSON) of any level. */
function expectOnlyTheError(run: CliRun): void {
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^(Migrating…\n)?error: /);
  expect(run.stderr.split('\n').filter((line) => line.trimStart().startsWith('{'))).toEqual([]);
}

function expectJsonFailure(run: CliRun): { error: string; code?: string } {
  expect(run.status).toBe(1);
  const result = JSON.parse(run.stdout) as { ok: boolean; error: string; code?: string };
  expect(result.ok).toBe(false);
  return result;
}

describe('the CLI exits 1 on failure, with the error alone', () => {
  const dirs: string[] = [];
  let refusing: SmtpTestServer;
  let closedPort: number;

  const folder = () => {
    const dir = aWorkingFolder();
    dirs.push(dir);
    return dir;
  };
  const smtpEnv = (port: number, extra: Record<string, string> = {}) =>
    cleanEnv({
      MAILROOM_SMTP_HOST: '127.0.0.1',
      MAILROOM_SMTP_PORT: String(port),
      MAILROOM_SMTP_TLS: 'none',
      MAILROOM_SMTP_CONNECTION_TIMEOUT_MS: '5000',
      ...extra,
    });

  beforeAll(async () => {
    // A real server that refuses every login, as one does for a wrong password (535).
    refusing = await startSmtpServer({
      authMethods: ['PLAIN', 'LOGIN'],
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      onAuth: (_auth, _session, callback) => callback(new Error('Authentication credentials invalid')),
    });
    closedPort = await aClosedPort();
  });

  afterAll(async () => {
    await refusing?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  describe('send-test', () => {
    it('against a refused connection: exit 1, the error alone, no database started or folder made', async () => {
      const dir = folder();
      const human = await runCli(dir, ['send-test', '--to', 'ada@example.com'], smtpEnv(closedPort));
      expect(human.status).toBe(1);
      expectOnlyTheError(human);
      expect(human.stderr).toMatch(/ECONNREFUSED/);
      const json = await runCli(dir, ['send-test', '--to', 'ada@example.com', '--json'], smtpEnv(closedPort));
      expect(expectJsonFailure(json).code).toMatch(/^SEND\./);
      expect(json.stderr).toBe('');
      // Straight through SMTP: no embedded PostgreSQL, no migrations, nothing made in the working folder.
      expect(existsSync(join(dir, '.mailroom'))).toBe(false);
    });

    it('with a wrong password: exit 1, with and without --json', async () => {
      const dir = folder();
      const env = smtpEnv(refusing.port, {
        MAILROOM_SMTP_AUTH: 'direct',
        MAILROOM_SMTP_USERNAME: 'ada',
        MAILROOM_SMTP_PASSWORD: 'wrong-Passw0rd',
        MAILROOM_SMTP_MECHANISM: 'PLAIN',
        MAILROOM_SMTP_ALLOW_INSECURE_AUTH: 'true',
      });
      const human = await runCli(dir, ['send-test', '--to', 'ada@example.com'], env);
      expect(human.status).toBe(1);
      expectOnlyTheError(human);
      expect(human.stderr).toMatch(/535/);
      expect(human.stderr).not.toContain('wrong-Passw0rd');
      const json = await runCli(dir, ['send-test', '--to', 'ada@example.com', '--json'], env);
      expect(expectJsonFailure(json).code).toMatch(/^SEND\.AUTHENTICATION/);
      expect(existsSync(join(dir, '.mailroom'))).toBe(false);
    });

    it('logs to stderr only at the level configured, by MAILROOM_LOG_LEVEL or in the configuration file, all of it before the exit', async () => {
      const dir = folder();
      const byVariable = await runCli(dir, ['send-test', '--to', 'ada@example.com'], smtpEnv(closedPort, { MAILROOM_LOG_LEVEL: 'warn' }));
      expect(byVariable.status).toBe(1);
      const logged = (run: CliRun) =>
        run.stderr
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as { level: number; msg: string });
      expect(logged(byVariable).length).toBeGreaterThan(0);
      expect(logged(byVariable).every((l) => l.level >= 40)).toBe(true);
      writeFileSync(join(dir, 'mailroom.config.json'), JSON.stringify({ log: { level: 'debug' } }));
      const byFile = await runCli(dir, ['send-test', '--to', 'ada@example.com'], smtpEnv(closedPort));
      expect(byFile.status).toBe(1);
      expect(logged(byFile).some((l) => l.level === 20)).toBe(true);
      // The last log lines of the failed send are written before the process ends, not lost with it.
      expect(logged(byFile).some((l) => /ECONNREFUSED/.test(l.msg))).toBe(true);
    });
  });

  it('notify of an unknown kind with the embedded PostgreSQL started in the process: exit 1, the error alone', async () => {
    const dir = folder();
    const args = ['notify', '--kind', 'user-invtie', '--to', 'ada@example.com', '--payload', '{}'];
    const human = await runCli(dir, args);
    expect(human.status).toBe(1);
    expectOnlyTheError(human);
    expect(human.stderr).toContain('"user-invtie" is not a known kind');
    expect(existsSync(join(dir, '.mailroom/postgres'))).toBe(true); // the embedded server did run here
    const json = await runCli(dir, [...args, '--json']);
    expect(expectJsonFailure(json).code).toBe('NOTIFICATION.UNKNOWN_KIND');
  }, 120_000);

  it('with a database that does not answer: exit 1 naming database.url (DatabaseUnavailableError)', async () => {
    const dir = folder();
    const env = smtpEnv(refusing.port, { MAILROOM_DATABASE_URL: `postgres://postgres:Db-Secret-1@127.0.0.1:${closedPort}/mailroom` });
    for (const command of [['outbox'], ['migrate'], ['notify', '--kind', 'user-invite', '--to', 'ada@example.com']]) {
      const human = await runCli(dir, command, env);
      expect(human.status).toBe(1);
      expectOnlyTheError(human);
      expect(human.stderr).toContain('database.url');
      expect(human.stderr).not.toContain('Db-Secret-1');
      const json = await runCli(dir, [...command, '--json'], env);
      const result = expectJsonFailure(json);
      expect(result.code).toBe('DATABASE.UNAVAILABLE');
      expect(result.error).toContain(`127.0.0.1:${closedPort}/mailroom, database.url`);
    }
  });

  describe('under NODE_ENV=production, the development defaults only when asked', () => {
    const production = (extra: Record<string, string> = {}) => cleanEnv({ NODE_ENV: 'production', ...extra });

    it('start refuses to run on an embedded PostgreSQL and the mail catcher, naming both settings and the way to ask', async () => {
      const dir = folder();
      const run = await runCli(dir, ['start'], production());
      expect(run.status).toBe(1);
      expectOnlyTheError(run);
      expect(run.stderr).toContain('database.url (MAILROOM_DATABASE_URL): is not set');
      expect(run.stderr).toContain('smtp.host (MAILROOM_SMTP_HOST): is not set');
      expect(run.stderr).toContain('--development or MAILROOM_DEVELOPMENT=true');
      expect(existsSync(join(dir, '.mailroom'))).toBe(false);
    });

    it('send-test refuses the mail catcher, and takes it with --development or MAILROOM_DEVELOPMENT=true', async () => {
      const dir = folder();
      const refused = await runCli(dir, ['send-test', '--to', 'ada@example.com'], production());
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('smtp.host (MAILROOM_SMTP_HOST): is not set');
      expect(refused.stderr).not.toContain('database.url'); // send-test needs no database
      const flag = await runCli(dir, ['--development', 'send-test', '--to', 'ada@example.com'], production());
      expect(flag.status).toBe(0);
      expect(flag.stdout).toMatch(/Test mail accepted for ada@example\.com/);
      const variable = await runCli(dir, ['send-test', '--to', 'ada@example.com'], production({ MAILROOM_DEVELOPMENT: 'true' }));
      expect(variable.status).toBe(0);
      expect(existsSync(join(dir, '.mailroom/postgres'))).toBe(false);
    });
  });
});
