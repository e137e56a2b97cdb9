import { rmSync } from 'node:fs';
import { ManualClock } from '@mailroom/adapters';
import { createMailroom, createTestMailroom, MailSendError, TOKENS, type ConfigError, type Mailroom } from '@mailroom/app';
import { loadConfig, parseConfig } from '../../packages/app/src/config';
import { createLogger } from '../../packages/app/src/logger';
import { aWorkingFolder, mailroomEnv, runCli } from '../support/cli';
import { aQueryResultsChanged } from '../support/payloads';
import { describeOnSystemPostgres, SYSTEM_POSTGRES_URL, uniqueSchema } from '../support/postgres';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server';
import { until } from '../support/until';

const DAY = 24 * 60 * 60_000;

describe('retention settings', () => {
  it('has documented defaults: 30 days for sent, digested, skipped and suppressed, 90 for dead letters, hourly, 1 000 a statement', () => {
    expect(parseConfig({}).config.retention).toEqual({
      days: { sent: 30, digested: 30, skipped: 30, suppressed: 30, dead: 90 },
      intervalMinutes: 60,
      batchSize: 1000,
      pauseMs: 100,
    });
  });

  it('are validated by the configuration schema, naming the setting; 0 keeps a status forever', () => {
    expect(parseConfig({ retention: { days: { dead: 0 } } }).config.retention.days).toMatchObject({ dead: 0, sent: 30 });
    const refused = (input: unknown) => {
      try {
        parseConfig(input);
      } catch (error) {
        return (error as ConfigError).issues.map((i) => i.setting);
      }
      throw new Error('accepted');
    };
    expect(refused({ retention: { days: { sent: -1 } } })).toEqual(['retention.days.sent']);
    expect(refused({ retention: { days: { dead: 1.5 }, batchSize: 0, intervalMinutes: 0 } })).toEqual([
      'retention.days.dead',
      'retention.intervalMinutes',
      'retention.batchSize',
    ]);
    expect(refused({ retention: { days: { pending: 3 } } })).toEqual(['retention.days']);
  });

  it('come from the environment too', () => {
    const { config } = loadConfig({
      env: { MAILROOM_RETENTION_DAYS_SENT: '7', MAILROOM_RETENTION_INTERVAL_MINUTES: '15' },
      file: undefined,
    });
    expect(config.retention).toMatchObject({ days: { sent: 7, dead: 90 }, intervalMinutes: 15 });
  });
});

describe('retention in a host (in memory)', () => {
  const payload = (name: string) => aQueryResultsChanged({ queryName: name });

  it('is a run-time setting: an admin keeps sent mail for 7 days, and the next purge uses it', async () => {
    const mailroom = await createTestMailroom({ now: '2026-03-01T09:00:00Z' });
    await mailroom.notify({
      kind: 'query-results-changed',
      recipient: { userId: 'u1', address: 'ada@example.com' },
      payload: payload('A'),
    });
    await mailroom.deliver();
    mailroom.clock.advance(10 * DAY);
    expect((await mailroom.outbox.purge()).purged.sent).toBe(0);
    const page = await mailroom.settings.update({ set: { 'retention.days.sent': 7 } }, 'ada');
    expect(page.settings.find((s) => s.path === 'retention.days.sent')).toMatchObject({ value: 7, source: 'stored', runTime: true });
    expect(await mailroom.outbox.purge({ dryRun: true })).toMatchObject({ dryRun: true, purged: { sent: 1 } });
    expect((await mailroom.outbox.purge()).purged.sent).toBe(1);
    expect((await mailroom.outbox.counts()).sent).toBe(0);
  });

  it("never loses a digest's content: a dead digest whose items were purged, retried, lists every item", async () => {
    const mailroom = await createTestMailroom({ now: '2026-03-01T09:00:00Z' });
    for (const name of ['Leavers', 'Joiners', 'Movers']) {
      await mailroom.notify({
        kind: 'query-results-changed',
        recipient: { userId: 'u1', address: 'ada@example.com' },
        payload: payload(name),
        delivery: 'digest',
      });
    }
    mailroom.clock.advance(61 * 60_000);
    expect(await mailroom.runDigests()).toBe(1);
    mailroom.sender.failNext(1, new MailSendError('permanent', '554 5.6.0 message refused'));
    await mailroom.deliver();
    const [digest] = await mailroom.outbox.list({ status: 'dead', limit: 10 });
    expect(digest?.kind).toBe('digest');

    mailroom.clock.advance(40 * DAY);
    expect((await mailroom.outbox.purge()).purged).toMatchObject({ digested: 3, dead: 0 });
    expect((await mailroom.outbox.counts()).digested).toBe(0);
    await mailroom.outbox.retryDead([digest!.id]);
    expect(await mailroom.deliver()).toBe(1);
    const [mail] = mailroom.sentTo('ada@example.com');
    for (const name of ['Leavers', 'Joiners', 'Movers']) expect(mail!.text).toContain(name);
  });
});

/**
 * A Mailroom on the system PostgreSQL whose mails went out 40 days ago (its clock was set back while they were sent):
 * the CLI (a child process) counts them in a dry run, the worker purges them at start and logs the counts at info,
 * the CLI purges what came since, and an admin's "keep forever" reaches the CLI too.
 */
describeOnSystemPostgres()('retention on PostgreSQL: the worker and `mailroom purge`', () => {
  let smtp: SmtpTestServer;
  let mailroom: Mailroom;
  const lines: string[] = [];
  const clock = new ManualClock(new Date(Date.now() - 40 * DAY));
  const schema = uniqueSchema();
  const dir = aWorkingFolder();
  const env = () =>
    mailroomEnv(
      { databaseUrl: SYSTEM_POSTGRES_URL, schema, smtpPort: smtp.port },
      {
        MAILROOM_FROM_ADDRESS: 'noreply@idm.example.com',
        MAILROOM_LINKS_BASE_URL: 'https://idm.example.com/',
      },
    );

  async function sendOne(userId: string): Promise<void> {
    await mailroom.notify({
      kind: 'query-results-changed',
      recipient: { userId, address: `${userId}@example.com` },
      payload: aQueryResultsChanged(),
    });
    await until(async () => (await mailroom.outbox.counts()).pending === 0, 'the mail to go out');
  }
  const purgeLines = () =>
    lines
      .map((l) => JSON.parse(l) as { msg: string; level: number; purged?: Record<string, number> })
      .filter((l) => l.msg === 'old notifications purged');

  beforeAll(async () => {
    smtp = await startSmtpServer();
    mailroom = await createMailroom({
      env: {},
      config: {
        database: { schema, url: SYSTEM_POSTGRES_URL },
        smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none' },
        from: { address: 'noreply@idm.example.com' },
        links: { baseUrl: 'https://idm.example.com/' },
        worker: { pollIntervalMs: 50 },
      },
      logger: createLogger('info', { write: (line: string) => void lines.push(line) }),
      configure: (container) => void container.rebind(TOKENS.Clock).toConstantValue(clock),
    });
  });
  afterAll(async () => {
    await mailroom?.stop();
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("counts in a dry run, purges at the worker's start with an info line per status, then on `mailroom purge`", async () => {
    const deliver = mailroom.container.get(TOKENS.DeliverDue);
    // Three mails 40 days ago and one yesterday, sent by this Mailroom's own delivery.
    for (const userId of ['u1', 'u2', 'u3']) {
      await mailroom.notify({
        kind: 'query-results-changed',
        recipient: { userId, address: `${userId}@example.com` },
        payload: aQueryResultsChanged(),
      });
    }
    expect((await deliver.run(10)).sent).toBe(3);
    clock.set(new Date(Date.now() - DAY));
    await mailroom.notify({
      kind: 'query-results-changed',
      recipient: { userId: 'u4', address: 'u4@example.com' },
      payload: aQueryResultsChanged(),
    });
    expect((await deliver.run(10)).sent).toBe(1);
    clock.set(new Date());

    const dry = await runCli(dir, ['purge', '--dry-run', '--json'], env());
    expect(dry.status).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ ok: true, ran: true, dryRun: true, total: 3, purged: { sent: 3, dead: 0 } });
    const dryText = await runCli(dir, ['purge', '--dry-run'], env());
    expect(dryText.stdout).toContain('Would purge 3 old notifications (a dry run: nothing was deleted).');
    expect(dryText.stdout).toMatch(/sent\s+30 days\s+\S+\s+3/);
    expect((await mailroom.outbox.counts()).sent).toBe(4);

    // The worker purges shortly after it starts, and says so at info with the count per status.
    mailroom.start();
    await until(() => purgeLines().length > 0, 'the purge at start', 10_000);
    expect(purgeLines()[0]).toMatchObject({ level: 30, purged: { sent: 3, digested: 0, skipped: 0, suppressed: 0, dead: 0 }, total: 3 });
    expect((await mailroom.outbox.counts()).sent).toBe(1);

    // Two more go out "45 days ago"; `mailroom purge` takes them now.
    clock.set(new Date(Date.now() - 45 * DAY));
    await sendOne('u5');
    await sendOne('u6');
    clock.set(new Date());
    const purged = await runCli(dir, ['purge'], env());
    expect(purged.status).toBe(0);
    expect(purged.stdout).toMatch(/^Purged 2 old notifications in \d+ statements\./);
    expect(purged.stdout).toMatch(/dead\s+90 days\s+\S+\s+0/);
    expect((await mailroom.outbox.counts()).sent).toBe(1);

    // An admin keeps sent mail forever: the CLI reads the stored settings as every node does.
    await mailroom.settings.update({ set: { 'retention.days.sent': 0 } }, 'ada');
    clock.set(new Date(Date.now() - 45 * DAY));
    await sendOne('u7');
    clock.set(new Date());
    const kept = JSON.parse((await runCli(dir, ['purge', '--json'], env())).stdout) as {
      purged: { sent: number };
      keptDays: { sent: number };
    };
    expect(kept).toMatchObject({ purged: { sent: 0 }, keptDays: { sent: 0 } });
    expect((await mailroom.outbox.counts()).sent).toBe(2);
  }, 120_000);
});
