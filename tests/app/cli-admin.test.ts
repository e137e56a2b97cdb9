import { rmSync } from 'node:fs';
import { aClosedPort, aWorkingFolder, mailroomEnv, runCli, startCli, type CliProcess } from '../support/cli';
import { describeOnSystemPostgres, dropSchema, SYSTEM_POSTGRES_URL, uniqueSchema } from '../support/postgres';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server';

const TOKEN = 'start-Admin-Token-0123456789abcdef';

/** `mailroom start` serves the admin API next to the worker: loopback by default, a bearer token off loopback. */
describeOnSystemPostgres()('mailroom start serves the admin API', () => {
  const schema = uniqueSchema();
  let dir: string;
  let smtp: SmtpTestServer;
  let server: CliProcess | undefined;

  beforeAll(async () => {
    dir = aWorkingFolder();
    smtp = await startSmtpServer();
  });

  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
    await smtp.close();
    await dropSchema(SYSTEM_POSTGRES_URL, schema);
    rmSync(dir, { recursive: true, force: true });
  });

  const env = (extra: Record<string, string>) =>
    mailroomEnv(
      { databaseUrl: SYSTEM_POSTGRES_URL, schema, smtpPort: smtp.port },
      {
        NODE_ENV: 'production',
        ...extra,
      },
    );

  it('refuses to listen beyond loopback without a token, naming both settings', async () => {
    const run = await runCli(dir, ['start'], env({ MAILROOM_ADMIN_LISTEN: '0.0.0.0:0' }));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('admin.token (MAILROOM_ADMIN_TOKEN)');
    expect(run.stderr).toContain('MAILROOM_ADMIN_LISTEN');
  });

  it('with a token: refuses calls without it, and saves a settings change made with it, as the admin', async () => {
    const port = await aClosedPort();
    server = await startCli(dir, env({ MAILROOM_ADMIN_LISTEN: `0.0.0.0:${port}`, MAILROOM_ADMIN_TOKEN: TOKEN }));
    expect(server.output()).toContain(`admin:    http://0.0.0.0:${port}`);
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/settings`)).status).toBe(401);
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'x-mailroom-request': '1' };
    const saved = await fetch(`${base}/settings`, { method: 'PATCH', headers, body: JSON.stringify({ set: { subjectPrefix: '[IDM]' } }) });
    expect(saved.status).toBe(200);
    const history = (await (await fetch(`${base}/settings/history`, { headers })).json()) as { entries: { by: string }[] };
    expect(history.entries[0]!.by).toBe('admin (token)');
    // A locked setting, set by the environment of this process, is refused with its variable.
    const locked = await fetch(`${base}/settings`, { method: 'PATCH', headers, body: JSON.stringify({ set: { 'smtp.port': 25 } }) });
    expect(locked.status).toBe(422);
    expect(await locked.text()).toContain('MAILROOM_SMTP_PORT');
    // Next to it: /metrics with the same token, the probes without one.
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const metrics = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('# TYPE mailroom_mails_sent_total counter');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect(server.output()).not.toContain(TOKEN);
  });
});
