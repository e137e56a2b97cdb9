import { rmSync } from 'node:fs';
import { aWorkingFolder, mailroomEnv, runCli, startCli, type CliProcess } from '../support/cli';
import { scrape, valueOf } from '../support/metrics';
import { fullPayloads } from '../support/payloads';
import { describeOnSystemPostgres, dropSchema, SYSTEM_POSTGRES_URL, uniqueSchema } from '../support/postgres';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server';
import { until } from '../support/until';

/** `mailroom start` serves /metrics, /healthz and /readyz next to the admin API (loopback, no token: all open). */
describeOnSystemPostgres()('mailroom start serves the operations endpoints', () => {
  const schema = uniqueSchema();
  let dir: string;
  let smtp: SmtpTestServer;
  let server: CliProcess | undefined;

  beforeAll(async () => {
    dir = aWorkingFolder();
    smtp = await startSmtpServer({ disabledCommands: ['STARTTLS'] });
  });

  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
    await smtp.close();
    await dropSchema(SYSTEM_POSTGRES_URL, schema);
    rmSync(dir, { recursive: true, force: true });
  });

  const env = () =>
    mailroomEnv(
      { databaseUrl: SYSTEM_POSTGRES_URL, schema, smtpPort: smtp.port },
      {
        MAILROOM_FROM_ADDRESS: 'noreply@idm.example.com',
        MAILROOM_WORKER_POLL_INTERVAL_MS: '200',
        NODE_ENV: 'production',
      },
    );

  it('serves Mailroom’s and the process’s metrics, and counts a mail a second process adds', async () => {
    server = await startCli(dir, env());
    const base = /metrics:\s+(http:\/\/\S+)\/metrics/.exec(server.output())?.[1];
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const first = await scrape(`${base}/metrics`);
    expect(valueOf(first, 'mailroom_mails_sent_total')).toBe(0);
    expect(valueOf(first, 'mailroom_database_up')).toBe(1);
    expect(valueOf(first, 'process_resident_memory_bytes')).toBeGreaterThan(0);

    const notify = await runCli(
      dir,
      ['notify', '--kind', 'user-invite', '--to', 'ada@example.com', '--payload', JSON.stringify(fullPayloads['user-invite'])],
      env(),
    );
    expect(notify.status).toBe(0);
    await until(async () => valueOf(await scrape(`${base}/metrics`), 'mailroom_mails_sent_total') === 1, 'the mail counted as sent');
    expect(smtp.received.map((m) => m.to)).toEqual([['ada@example.com']]);
    const after = await scrape(`${base}/metrics`);
    expect(valueOf(after, 'mailroom_send_duration_seconds_count', { outcome: 'sent' })).toBe(1);
  }, 90_000);
});
