import { rmSync } from 'node:fs';
import { aWorkingFolder, cleanEnv, runCli, startCli, type CliProcess } from '../support/cli';
import { describeOnSystemPostgres, dropSchema, SYSTEM_POSTGRES_URL, uniqueSchema } from '../support/postgres';
import { until } from '../support/until';

const ALL_MIGRATIONS = [
  'MailroomOutbox1767600000000',
  'MailroomSendQuota1767600060000',
  'MailroomClaims1767600120000',
  'MailroomSettings1767600180000',
  'MailroomPreferences1767600240000',
  'MailroomRecipientStatuses1767600300000',
  'MailroomSuppressions1767600360000',
  'MailroomDeadLetters1767600420000',
];

describe('the mailroom CLI as a process', () => {
  describe('mailroom start with zero configuration, on an empty folder', () => {
    const dir = aWorkingFolder();
    let server: CliProcess;

    beforeAll(async () => {
      server = await startCli(dir, cleanEnv({ MAILROOM_WORKER_POLL_INTERVAL_MS: '200' }));
    }, 120_000);

    afterAll(async () => {
      if (server?.child.exitCode === null) {
        server.child.kill('SIGTERM');
        await server.exited;
      }
      rmSync(dir, { recursive: true, force: true });
    });

    it('runs on the embedded PostgreSQL and the mail catcher, showing the progress of the migrations', () => {
      const output = server.output();
      expect(output).toMatch(/database: embedded PostgreSQL/);
      expect(output).toMatch(/smtp: +development mail catcher on 127\.0\.0\.1:\d+/);
      expect(output).toContain('pnpm mailroom inbox');
      // One line per step when stderr is not a terminal.
      expect(output).toMatch(new RegExp(`migrating: 0/${ALL_MIGRATIONS.length} \\(0%\\) MailroomOutbox\\d+`));
      expect(output).toContain(`migrating: ${ALL_MIGRATIONS.length}/${ALL_MIGRATIONS.length} (100%)`);
    });

    it('delivers a notification added by a second process, visible in the inbox', async () => {
      const payload = {
        inviterName: 'Grace Hopper',
        accountName: 'ada',
        acceptLinkPath: '/invitations/x/accept',
        expiresAt: '2026-12-01T09:00:00Z',
      };
      const added = await runCli(dir, [
        'notify',
        '--kind',
        'user-invite',
        '--to',
        'ada@example.com',
        '--name',
        'Ada',
        '--payload',
        JSON.stringify(payload),
        '--json',
      ]);
      expect(added.stderr).toBe('');
      expect(added.status).toBe(0);
      const { id } = JSON.parse(added.stdout) as { id: string };
      let mails: { to: string[]; subject: string; messageId: string }[] = [];
      await until(
        async () => {
          mails = (JSON.parse((await runCli(dir, ['inbox', '--json'])).stdout) as { mails: typeof mails }).mails;
          return mails.some((m) => m.messageId === `<${id}@localhost.localdomain>`);
        },
        'the mail in the inbox',
        20_000,
      );
      const mail = mails.find((m) => m.messageId === `<${id}@localhost.localdomain>`)!;
      expect(mail.to).toEqual(['ada@example.com']);
      expect(mail.subject).toContain('Grace Hopper');
      expect((await runCli(dir, ['inbox'])).stdout).toMatch(/ada@example\.com\s+.*Grace Hopper/);
      await until(
        async () => {
          const { counts } = JSON.parse((await runCli(dir, ['outbox', '--json'])).stdout) as { counts: Record<string, number> };
          return counts.sent! >= 1 && counts.pending === 0 && counts.sending === 0;
        },
        'the outbox to show the mail sent',
        20_000,
      );
    }, 60_000);

    it('shows progress of a retry of dead letters; with --json as JSON lines on stderr, the result alone on stdout', async () => {
      const human = await runCli(dir, ['outbox', '--retry-all']);
      expect(human.status).toBe(0);
      expect(human.stderr).toMatch(/retrying dead letters: 0\/0/);
      expect(human.stdout).toMatch(/0 dead letters will be sent again\./);
      const json = await runCli(dir, ['outbox', '--retry-all', '--json']);
      expect(JSON.parse(json.stdout)).toEqual({ ok: true, retried: 0 });
      expect(
        json.stderr
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as unknown),
      ).toEqual([{ progress: { step: 'retrying dead letters', done: 0, total: 0 } }]);
    }, 60_000);

    it('sends a test mail to the running catcher and refuses an invalid recipient with a clear error', async () => {
      const sent = await runCli(dir, ['send-test', '--to', 'bob@example.com']);
      expect(sent.status).toBe(0);
      expect(sent.stdout).toMatch(/Test mail accepted for bob@example\.com/);
      const bad = await runCli(dir, ['send-test', '--to', 'bob@@example.com']);
      expect(bad.status).toBe(1);
      expect(bad.stderr).toMatch(/error: Invalid e-mail address: to /);
    }, 60_000);
  });

  it('mailroom start stops gracefully on SIGTERM, exit code 0', async () => {
    const dir = aWorkingFolder();
    try {
      const server = await startCli(dir, cleanEnv());
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(server.output()).toContain('Mailroom stopped.');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  describeOnSystemPostgres()('on the system PostgreSQL', () => {
    const schema = uniqueSchema();
    const dir = aWorkingFolder();
    afterAll(async () => {
      await dropSchema(SYSTEM_POSTGRES_URL, schema);
      rmSync(dir, { recursive: true, force: true });
    });

    it('migrates on its own, telling which migrations it applied', async () => {
      const env = cleanEnv({ MAILROOM_DATABASE_URL: SYSTEM_POSTGRES_URL, MAILROOM_DATABASE_SCHEMA: schema });
      const first = await runCli(dir, ['migrate', '--json'], env);
      expect(first.status).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({ ok: true, applied: ALL_MIGRATIONS });
      expect(first.stderr).toContain(`"progress":{"step":"migrating","done":${ALL_MIGRATIONS.length},"total":${ALL_MIGRATIONS.length}}`);
      const again = await runCli(dir, ['migrate'], env);
      expect(again.stdout).toMatch(/already up to date/);
    }, 60_000);
  });

  describe('bad configuration', () => {
    const dir = aWorkingFolder();
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('is reported naming the setting and the variable', async () => {
      const result = await runCli(
        dir,
        ['config'],
        cleanEnv({ MAILROOM_SMTP_HOST: 'mail.example.com', MAILROOM_SMTP_PORT: '465', MAILROOM_SMTP_TLS: 'starttls' }),
      );
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/smtp\.tls \(MAILROOM_SMTP_TLS\): port 465 speaks TLS from the first byte/);
    });

    it('refuses an unknown MAILROOM_LOG_LEVEL naming log.level and the levels, before it opens anything', async () => {
      const result = await runCli(dir, ['outbox'], cleanEnv({ MAILROOM_LOG_LEVEL: 'loud' }));
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        'log.level (MAILROOM_LOG_LEVEL): must be one of "fatal", "error", "warn", "info", "debug", "trace", "silent" (got "loud")',
      );
    });
  });
});
