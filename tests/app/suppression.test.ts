import { rmSync } from 'node:fs';
import { createMailroom, TOKENS, type Mailroom } from '@mailroom/app';
import { change, mountAdmin } from '../support/admin-mounts';
import { aWorkingFolder, mailroomEnv, runCli } from '../support/cli';
import { Pool } from 'pg';
import { aQueryResultsChanged } from '../support/payloads';
import { describeOnSystemPostgres, SYSTEM_POSTGRES_URL, uniqueSchema } from '../support/postgres';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server';
import { until } from '../support/until';

const DEAD = 'gone@example.com';
/** Whether the server says the dead address's mailbox does not exist; a test makes the mailbox exist again. */
let mailboxGone = true;

/**
 * A real SMTP server that answers RCPT for one address with `550 5.1.1` (the mailbox does not exist), and a started
 * PostgreSQL Mailroom: the dead letter puts the address on the suppression list; later mail to it is kept as
 * suppressed and never reaches the server, by notify and by publish; taken off the list, it is sent again.
 */
describeOnSystemPostgres()('suppression of dead addresses', () => {
  let smtp: SmtpTestServer;
  let mailroom: Mailroom;
  const schema = uniqueSchema();
  const admin = new Pool({ connectionString: SYSTEM_POSTGRES_URL, max: 1 });

  beforeAll(async () => {
    smtp = await startSmtpServer({
      onRcptTo(address, _session, callback) {
        if (!mailboxGone || address.address.toLowerCase() !== DEAD) return callback();
        callback(Object.assign(new Error('5.1.1 <gone@example.com>: Recipient address rejected: User unknown'), { responseCode: 550 }));
      },
    });
    mailroom = await createMailroom({
      env: {},
      config: {
        database: { schema, url: SYSTEM_POSTGRES_URL },
        smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none', auth: { type: 'none' } },
        from: { address: 'noreply@idm.example.com' },
        links: { baseUrl: 'https://idm.example.com/' },
        worker: { pollIntervalMs: 50 },
        log: { level: 'silent' },
      },
    });
    mailroom.start();
  });

  afterAll(async () => {
    await mailroom?.stop();
    await smtp?.close();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  const notify = (address: string) =>
    mailroom.notify({ kind: 'query-results-changed', recipient: { userId: address, address }, payload: aQueryResultsChanged() });
  const receivedBy = (address: string) => smtp.received.filter((m) => m.to.some((to) => to.toLowerCase() === address));
  const statusOf = async (id: string) => (await mailroom.outbox.get(id)).status;

  it('a 550 5.1.1 dead-letters the mail and suppresses the address; later mail to it is kept as suppressed, unsent', async () => {
    const first = await notify(DEAD);
    await until(async () => (await statusOf(first)) === 'dead', 'the mail to the dead address dead-lettered');
    expect((await mailroom.outbox.get(first)).lastError).toMatchObject({ code: 'SEND.PERMANENT.NO_SUCH_MAILBOX', responseCode: 550 });
    const [listed, ...more] = await mailroom.suppressions.list();
    expect(more).toEqual([]);
    expect(listed).toMatchObject({ address: DEAD, notificationId: first });
    expect(listed!.reason).toContain('5.1.1');

    // Any case of the address, through notify and through the fan-out.
    const later = await notify('Gone@Example.com');
    expect(await statusOf(later)).toBe('suppressed');
    await mailroom.subscribe({ recipient: { userId: 'gone', address: DEAD }, topic: 'query:42' });
    await mailroom.subscribe({ recipient: { userId: 'alive', address: 'alive@example.com' }, topic: 'query:42' });
    expect(await mailroom.publish('query:42', 'query-results-changed', aQueryResultsChanged())).toBe(2);
    const published = await mailroom.outbox.list({ kind: 'query-results-changed', userId: 'gone', limit: 5 });
    expect(published.map((n) => n.status)).toEqual(['suppressed']);
    expect((await mailroom.outbox.counts()).suppressed).toBe(2);

    // The mail to the live subscriber goes out after the suppressed ones were added: nothing more reached the dead one.
    await until(async () => receivedBy('alive@example.com').length === 1, 'the live subscriber served');
    expect(smtp.commands.filter((c) => /RCPT TO:<gone@example.com>/i.test(c))).toHaveLength(1);
  });

  it('taken off the list (the mailbox exists again), the address gets mail again; clear empties the list', async () => {
    mailboxGone = false;
    expect(await mailroom.suppressions.remove('GONE@example.com')).toBe(true);
    expect(await mailroom.suppressions.list()).toEqual([]);
    const back = await notify(DEAD);
    expect(await statusOf(back)).not.toBe('suppressed');
    await until(async () => (await statusOf(back)) === 'sent', 'the mail to the address taken off the list sent');
    expect(receivedBy(DEAD)).toHaveLength(1);

    mailboxGone = true;
    const dead = await notify(DEAD);
    // The address is listed before the mail's dead letter is settled: wait for both.
    await until(async () => (await mailroom.suppressions.list()).length === 1, 'the address suppressed once more');
    await until(async () => (await statusOf(dead)) === 'dead', 'the mail dead-lettered');
    expect(await mailroom.suppressions.clear()).toBe(1);
    expect(await mailroom.suppressions.list()).toEqual([]);
  });

  it('turned off (suppression.enabled false, at run time), a dead address is not listed and a listed one gets mail again', async () => {
    mailboxGone = true;
    await mailroom.settings.update({ set: { 'suppression.enabled': false } }, 'ada');
    try {
      const dead = await notify(DEAD);
      await until(async () => (await statusOf(dead)) === 'dead', 'the mail to the dead address dead-lettered');
      expect(await mailroom.suppressions.list()).toEqual([]);

      mailboxGone = false;
      const list = mailroom.container.get(TOKENS.SuppressionList);
      await list.add({ address: DEAD, reason: 'SEND.PERMANENT.NO_SUCH_MAILBOX: 550 5.1.1 unknown', suppressedAt: new Date() });
      const sentAnyway = await notify(DEAD);
      // Not suppressed (the worker may already be sending it).
      expect(await statusOf(sentAnyway)).not.toBe('suppressed');
      await until(async () => (await statusOf(sentAnyway)) === 'sent', 'the mail to a listed address sent while suppression is off');
    } finally {
      await mailroom.settings.update({ unset: ['suppression.enabled'] }, 'ada');
      await mailroom.suppressions.clear();
    }
    // On again: the listed address is suppressed once more.
    await mailroom.container.get(TOKENS.SuppressionList).add({ address: DEAD, reason: 'x', suppressedAt: new Date() });
    expect(await statusOf(await notify(DEAD))).toBe('suppressed');
    await mailroom.suppressions.clear();
  });

  it('the admin API and the CLI (a child process) list the list, take one address off and clear it', async () => {
    const list = mailroom.container.get(TOKENS.SuppressionList);
    for (const address of ['a@example.com', 'b@example.com', 'c@example.com']) {
      await list.add({ address, reason: 'SEND.PERMANENT.NO_SUCH_MAILBOX: 550 5.1.1 unknown', suppressedAt: new Date() });
    }
    const admin = await mountAdmin(mailroom.adminHandler({ authorize: async () => ({ id: 'ada' }) }), 'fetch');
    try {
      const page = (await (await admin('/suppressions?limit=2')).json()) as { items: { address: string }[]; next?: string };
      expect(page.items.map((e) => e.address)).toEqual(['a@example.com', 'b@example.com']);
      const rest = (await (await admin(`/suppressions?after=${page.next}`)).json()) as { items: { address: string }[]; next?: string };
      expect(rest).toEqual({ items: [expect.objectContaining({ address: 'c@example.com' })] });
      expect(await (await admin('/suppressions/A@Example.com', change('DELETE'))).json()).toEqual({ removed: 'A@Example.com' });
      const missing = await admin('/suppressions/a@example.com', change('DELETE'));
      expect(missing.status).toBe(404);
    } finally {
      await admin.close();
    }

    const dir = aWorkingFolder();
    const env = mailroomEnv(
      { databaseUrl: SYSTEM_POSTGRES_URL, schema, smtpPort: smtp.port },
      {
        MAILROOM_SMTP_AUTH: 'none',
        MAILROOM_FROM_ADDRESS: 'noreply@idm.example.com',
        MAILROOM_LINKS_BASE_URL: 'https://idm.example.com/',
      },
    );
    try {
      const listed = await runCli(dir, ['suppressions', '--json'], env);
      expect(listed.status).toBe(0);
      expect((JSON.parse(listed.stdout) as { suppressions: { address: string }[] }).suppressions.map((e) => e.address)).toEqual([
        'b@example.com',
        'c@example.com',
      ]);
      const human = await runCli(dir, ['suppressions'], env);
      expect(human.stdout).toContain('b@example.com');
      const removed = await runCli(dir, ['suppressions', '--remove', 'B@example.com'], env);
      expect(removed.status).toBe(0);
      const again = await runCli(dir, ['suppressions', '--remove', 'b@example.com'], env);
      expect(again.status).toBe(1);
      expect(again.stderr).toContain('not on the suppression list');
      const cleared = await runCli(dir, ['suppressions', '--clear', '--json'], env);
      expect(JSON.parse(cleared.stdout)).toMatchObject({ ok: true, cleared: 1 });
      expect((await runCli(dir, ['suppressions'], env)).stdout).toContain('No address is suppressed.');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
