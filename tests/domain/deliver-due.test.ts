import { InMemorySendQuota } from '@mailroom/adapters';
import { DeliverDue, EmailAddress, MailSendError, messageIdSafe } from '@mailroom/domain';
import { aCore } from '../support/core';
import { until } from '../support/until';
import { aNewNotification, aRecipient } from '../support/mothers';
import { fullPayloads } from '../support/payloads';

const ada = { userId: 'u1', address: 'ada@example.com', name: 'Ada Lovelace' };
const transient = () =>
  new MailSendError('transient', '421 4.3.2 Service not available, closing channel', { responseCode: 421, enhancedCode: '4.3.2' });
const permanent = () => new MailSendError('permanent', '550 5.1.1 Mailbox unavailable', { responseCode: 550, enhancedCode: '5.1.1' });
const authFailure = () =>
  new MailSendError('authentication', '535 5.7.3 Authentication unsuccessful', {
    responseCode: 535,
    enhancedCode: '5.7.3',
    hint: 'Check the SendAsApp permission.',
  });

async function oneInvite(core: ReturnType<typeof aCore>): Promise<string> {
  return core.notify.execute({ kind: 'user-invite', recipient: ada, payload: fullPayloads['user-invite'] });
}

describe('deliverDue', () => {
  it('renders and sends due mails with a stable Message-ID, then marks them sent', async () => {
    const core = aCore();
    const id = await oneInvite(core);
    const report = await core.deliverDue.run(10);
    expect(report).toMatchObject({ claimed: 1, sent: 1, retried: 0, dead: 0, released: 0 });
    const [mail] = core.sender.sent;
    expect(mail!.messageId).toBe(`${id}@idm.example.com`);
    expect(mail!.from.toString()).toBe('"Mailroom" <noreply@idm.example.com>');
    expect(mail!.to.map(String)).toEqual(['"Ada Lovelace" <ada@example.com>']);
    expect(mail!.subject).toBe('user-invite for u1');
    expect(mail!.inReplyTo).toBeUndefined();
    // RFC 3834: no auto-replies to it; Exchange: no out-of-office or rule replies (its bounces still come back).
    expect(mail!.headers).toEqual({ 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'OOF, AutoReply' });
    expect(await core.store.get(id)).toMatchObject({ status: 'sent', attempts: 1, messageId: `${id}@idm.example.com` });
    expect(core.deliverDue.health()).toMatchObject({ state: 'healthy' });
    expect((await core.deliverDue.run(10)).claimed).toBe(0);
  });

  it('threads every mail about one change request', async () => {
    const core = aCore();
    await core.notify.execute({
      kind: 'change-request',
      recipient: { userId: 'itsm', address: 'tickets@itsm.example.com' },
      payload: fullPayloads['change-request'],
    });
    await core.notify.execute({
      kind: 'change-request',
      recipient: { userId: 'itsm', address: 'tickets@itsm.example.com' },
      payload: { ...fullPayloads['change-request'], title: 'Updated' },
    });
    await core.deliverDue.run(10);
    const [a, b] = core.sender.sent;
    expect(a!.references).toEqual(['change-request.CR-1234@idm.example.com']);
    expect(a!.inReplyTo).toBe('change-request.CR-1234@idm.example.com');
    expect(b!.references).toEqual(a!.references);
    expect(a!.messageId).not.toBe(b!.messageId);
  });

  it('asks a ticketing mailbox for no automatic answer of any kind (change requests), and every other mail for no auto-reply', async () => {
    const core = aCore();
    await core.notify.execute({
      kind: 'change-request',
      recipient: { userId: 'itsm', address: 'tickets@itsm.example.com' },
      payload: fullPayloads['change-request'],
    });
    await oneInvite(core);
    await core.deliverDue.run(10);
    expect(core.sender.to('tickets@itsm.example.com')[0]!.headers).toEqual({
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
    });
    expect(core.sender.to('ada@example.com')[0]!.headers).toEqual({
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'OOF, AutoReply',
    });
  });

  it('leaves digest items alone', async () => {
    const core = aCore();
    await core.notify.execute({ kind: 'user-invite', recipient: ada, payload: fullPayloads['user-invite'], delivery: 'digest' });
    expect((await core.deliverDue.run(10)).claimed).toBe(0);
  });

  it('retries a transient failure with exponential backoff, then dead-letters after the last attempt', async () => {
    const core = aCore({ retry: { maxAttempts: 4 } });
    const id = await oneInvite(core);
    core.sender.failNext(4, transient);
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const report = await core.deliverDue.run(10);
      expect(report.retried).toBe(1);
      const row = (await core.store.get(id))!;
      expect(row).toMatchObject({ status: 'pending', attempts: attempt, lastError: { code: 'SEND.TRANSIENT', responseCode: 421 } });
      delays.push((row.nextAttemptAt.getTime() - core.clock.now().getTime()) / 60_000);
      expect((await core.deliverDue.run(10)).claimed).toBe(0); // not due before the backoff
      core.clock.set(row.nextAttemptAt);
    }
    expect(delays).toEqual([1, 2, 4]);
    expect((await core.deliverDue.run(10)).dead).toBe(1);
    const dead = (await core.store.get(id))!;
    expect(dead.status).toBe('dead');
    expect(dead.attempts).toBe(4);
    expect(dead.lastError!.message).toMatch(/^Gave up after 4 attempts; the last one failed: 421 4\.3\.2/);
    expect(core.sender.sent).toEqual([]);
  });

  it('dead-letters a permanent failure at once, with the reason', async () => {
    const core = aCore();
    const id = await oneInvite(core);
    core.sender.failNext(1, permanent);
    expect((await core.deliverDue.run(10)).dead).toBe(1);
    expect(await core.store.get(id)).toMatchObject({
      status: 'dead',
      attempts: 1,
      lastError: { code: 'SEND.PERMANENT', responseCode: 550, message: '550 5.1.1 Mailbox unavailable' },
    });
    expect(core.deliverDue.health().state).toBe('healthy');
  });

  it('dead-letters a mail its template cannot render, and goes on with the others', async () => {
    const core = aCore();
    core.renderer.failFor('import-failed');
    const bad = await core.notify.execute({ kind: 'import-failed', recipient: ada, payload: fullPayloads['import-failed'] });
    const good = await oneInvite(core);
    expect(await core.deliverDue.run(10)).toMatchObject({ sent: 1, dead: 1 });
    expect(await core.store.get(bad)).toMatchObject({ status: 'dead', lastError: { code: 'TEMPLATE.FAILED' } });
    expect((await core.store.get(good))!.status).toBe('sent');
  });

  it('stops on an authentication failure without spending attempts, reports it, and resumes after a probe succeeds', async () => {
    const core = aCore({ delivery: { concurrency: 1 } });
    const ids = [await oneInvite(core), await oneInvite(core), await oneInvite(core)];
    core.sender.failNext(100, authFailure);
    const report = await core.deliverDue.run(10);
    expect(report).toMatchObject({ claimed: 3, sent: 0, retried: 0, dead: 0, released: 3 });
    for (const id of ids) {
      expect(await core.store.get(id)).toMatchObject({
        status: 'pending',
        attempts: 0,
        lastError: { code: 'SEND.AUTHENTICATION', responseCode: 535 },
      });
    }
    const health = core.deliverDue.health();
    expect(health.state).toBe('stopped');
    if (health.state === 'stopped') {
      expect(health.reason.failure).toBe('authentication');
      expect(health.since).toEqual(core.clock.now());
    }
    expect((await core.store.get(ids[0]!))!.lastError!.message).toContain('Check the SendAsApp permission.');

    // While stopped, one probe mail a minute; still no attempts spent, still stopped.
    expect((await core.deliverDue.run(10)).claimed).toBe(0);
    core.clock.advanceMinutes(1);
    expect(await core.deliverDue.run(10)).toMatchObject({ claimed: 1, released: 1 });
    expect(core.deliverDue.health().state).toBe('stopped');

    core.sender.clear(); // the admin fixed the credentials
    core.clock.advanceMinutes(1);
    expect(await core.deliverDue.run(10)).toMatchObject({ claimed: 1, sent: 1 });
    expect(core.deliverDue.health().state).toBe('healthy');
    expect(await core.deliverDue.run(10)).toMatchObject({ claimed: 2, sent: 2 });
    for (const id of ids) expect(await core.store.get(id)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('treats a configuration failure like an authentication failure', async () => {
    const core = aCore();
    const id = await oneInvite(core);
    core.sender.failNext(1, () => new MailSendError('configuration', '554 5.2.252 SendAsDenied', { responseCode: 554 }));
    expect((await core.deliverDue.run(10)).released).toBe(1);
    expect(await core.store.get(id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(core.deliverDue.health().state).toBe('stopped');
  });

  it('pauses for a sending quota without spending attempts, probing once per pause, not once per minute', async () => {
    const core = aCore({ delivery: { concurrency: 1 } });
    const ids = [await oneInvite(core), await oneInvite(core)];
    const quota = () =>
      new MailSendError('transient', '554 5.2.0 SubmissionQuotaExceededException', {
        responseCode: 554,
        code: 'SEND.TRANSIENT.QUOTA',
        pauseMs: 15 * 60_000,
      });
    core.sender.failNext(100, quota);
    expect(await core.deliverDue.run(10)).toMatchObject({ claimed: 2, retried: 0, dead: 0, released: 2 });
    for (const id of ids)
      expect(await core.store.get(id)).toMatchObject({ status: 'pending', attempts: 0, lastError: { code: 'SEND.TRANSIENT.QUOTA' } });
    const health = core.deliverDue.health();
    expect(health).toMatchObject({ state: 'stopped', reason: { code: 'SEND.TRANSIENT.QUOTA' } });

    core.clock.advanceMinutes(14);
    expect(await core.deliverDue.run(10)).toMatchObject({ claimed: 0, notBefore: new Date(core.clock.now().getTime() + 60_000) });
    core.clock.advanceMinutes(1);
    expect(await core.deliverDue.run(10)).toMatchObject({ claimed: 1, released: 1 });

    core.sender.clear(); // the 24-hour window moved on
    core.clock.advanceMinutes(15);
    expect(await core.deliverDue.run(10)).toMatchObject({ claimed: 1, sent: 1 });
    expect(await core.deliverDue.run(10)).toMatchObject({ claimed: 1, sent: 1 });
    for (const id of ids) expect(await core.store.get(id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(core.deliverDue.health().state).toBe('healthy');
  });

  it('treats an unexpected error as transient', async () => {
    const core = aCore();
    const id = await oneInvite(core);
    core.sender.failNext(1, new Error('socket hang up'));
    expect((await core.deliverDue.run(10)).retried).toBe(1);
    expect(await core.store.get(id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: { code: 'SEND.TRANSIENT', message: 'socket hang up' },
    });
  });

  it('sends no more at once than its concurrency', async () => {
    const core = aCore({ delivery: { concurrency: 2 } });
    for (let i = 0; i < 7; i++) await oneInvite(core);
    let inFlight = 0;
    let peak = 0;
    const send = core.sender.send.bind(core.sender);
    core.sender.send = async (mail) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return send(mail);
    };
    expect((await core.deliverDue.run(50)).sent).toBe(7);
    expect(peak).toBe(2);
  });

  it('claims no more than the batch size', async () => {
    const core = aCore();
    for (let i = 0; i < 5; i++) await oneInvite(core);
    expect(await core.deliverDue.run(2)).toMatchObject({ sent: 2, full: true });
    expect(await core.deliverDue.run(10)).toMatchObject({ sent: 3, full: false });
  });

  it('claims the next batch while the last mails of a full one are in flight, up to maxBatches, never above its concurrency', async () => {
    const core = aCore({ delivery: { concurrency: 2 } });
    for (let i = 0; i < 7; i++) await oneInvite(core);
    let inFlight = 0;
    let peak = 0;
    let finished = 0;
    const claims: number[] = [];
    const claimDue = core.store.claimDue.bind(core.store);
    core.store.claimDue = async (request) => {
      claims.push(finished); // sends finished when each claim went out
      return claimDue(request);
    };
    const send = core.sender.send.bind(core.sender);
    core.sender.send = async (mail) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      finished++;
      return send(mail);
    };
    const report = await core.deliverDue.run(2, { maxBatches: 3 });
    const settledBatches = core.events.settledBatches.map((batch) => batch.length);
    expect(report).toMatchObject({ claimed: 6, sent: 6, full: true });
    expect(claims).toHaveLength(3);
    // Each next batch was claimed before the previous one's sends had all finished.
    expect(claims).toEqual([0, expect.any(Number), expect.any(Number)]);
    expect(claims[1]).toBeLessThan(2);
    expect(claims[2]).toBeLessThan(4);
    expect(peak).toBe(2);
    expect(settledBatches.reduce((a, b) => a + b, 0)).toBe(6);
    expect(await core.deliverDue.run(2, { maxBatches: 3 })).toMatchObject({ claimed: 1, sent: 1, full: false });
  });

  it('claims no further batch once delivery stopped in the run; what it claimed ahead goes back without spending attempts', async () => {
    const core = aCore({ delivery: { concurrency: 1 } });
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push(await oneInvite(core));
    core.sender.failNext(100, authFailure);
    const report = await core.deliverDue.run(2, { maxBatches: 4 });
    // The first batch, and the one claimed while its first mail was in flight; no third.
    expect(report).toMatchObject({ claimed: 4, sent: 0, released: 4, full: false });
    for (const id of ids) expect(await core.store.get(id)).toMatchObject({ status: 'pending', attempts: 0 });
  });
});

describe('deliverDue with a per-minute quota and a stop signal', () => {
  it('sends no more per minute than the quota grants, and gives back what it did not use', async () => {
    const quota = new InMemorySendQuota(3);
    const core = aCore();
    const limited = new DeliverDue(
      {
        ...core.deliveryDeps,
        quota,
      },
      {
        from: EmailAddress.parse('noreply@idm.example.com'),
        leaseMs: 60_000,
        concurrency: 2,
        stoppedProbeDelayMs: 60_000,
        owner: 'test-worker',
      },
    );
    await oneInvite(core);
    expect((await limited.run(10)).sent).toBe(1); // took 10, used 1, gave back the rest
    for (let i = 0; i < 5; i++) await oneInvite(core);
    expect((await limited.run(10)).sent).toBe(2);
    expect((await limited.run(10)).claimed).toBe(0);
    core.clock.advanceMinutes(1);
    expect((await limited.run(10)).sent).toBe(3);
  });

  it('returns unsent mails to pending without spending attempts when stopped', async () => {
    const core = aCore({ delivery: { concurrency: 1 } });
    const ids = [await oneInvite(core), await oneInvite(core), await oneInvite(core)];
    const signal = { aborted: false };
    const send = core.sender.send.bind(core.sender);
    core.sender.send = async (mail) => {
      signal.aborted = true; // a shutdown arrives while the first mail is on the wire
      return send(mail);
    };
    expect(await core.deliverDue.run(10, { signal })).toMatchObject({ claimed: 3, sent: 1, released: 2 });
    expect(await core.store.get(ids[1]!)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await core.store.get(ids[2]!)).toMatchObject({ status: 'pending', attempts: 0 });
  });
});

describe('deliverDue and leases', () => {
  it('does not send a mail whose claim is about to run out; it goes back without spending an attempt', async () => {
    const core = aCore({ delivery: { concurrency: 1, leaseMs: 60_000 } });
    const ids = [await oneInvite(core), await oneInvite(core), await oneInvite(core)];
    const send = core.sender.send.bind(core.sender);
    core.sender.send = async (mail) => {
      core.clock.advance(30_000); // a slow server: each send takes half the lease
      return send(mail);
    };
    const report = await core.deliverDue.run(10);
    expect(report).toMatchObject({ claimed: 3, sent: 2, released: 1 });
    expect(await core.store.get(ids[2]!)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('extends the leases of the mails it holds while a send is slow, so a slow server does not cost the claims', async () => {
    const core = aCore({ delivery: { concurrency: 1, leaseMs: 300 } });
    const ids = [await oneInvite(core), await oneInvite(core), await oneInvite(core)];
    const send = core.sender.send.bind(core.sender);
    core.sender.send = async (mail) => {
      // Each send takes most of a lease, in the clock's time and in real time (the heartbeat runs on real timers).
      core.clock.advance(250);
      await new Promise((r) => setTimeout(r, 250));
      return send(mail);
    };
    expect(await core.deliverDue.run(10)).toMatchObject({ claimed: 3, sent: 3, released: 0 });
    for (const id of ids) expect(await core.store.get(id)).toMatchObject({ status: 'sent', attempts: 1 });
  });
});

describe('deliverDue when outcomes cannot be recorded', () => {
  /** A store whose settle fails while `down` is true. */
  function withFlakySettle(core: ReturnType<typeof aCore>) {
    const state = { down: false, calls: 0 };
    const settle = core.store.settle.bind(core.store);
    core.store.settle = async (batch) => {
      state.calls++;
      if (state.down) throw new Error('connection terminated');
      return settle(batch);
    };
    return state;
  }

  it('pauses: no further sends once a settlement fails; the outcomes wait and are written first when the store answers', async () => {
    // One unsettled outcome at most: each send waits until the previous outcome is written (or failed).
    const core = aCore({ delivery: { concurrency: 1, settle: { maxBatch: 1, maxUnsettled: 1 } } });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await oneInvite(core));
    const db = withFlakySettle(core);
    const send = core.sender.send.bind(core.sender);
    core.sender.send = async (mail) => {
      const receipt = await send(mail);
      if (core.sender.sent.length === 2) db.down = true; // the database goes away after the second mail
      return receipt;
    };
    const paused = await core.deliverDue.run(10);
    // The second mail's outcome could not be written; nothing was sent after it.
    expect(core.sender.sent).toHaveLength(2);
    expect(paused).toMatchObject({ claimed: 6, sent: 2, released: 4, full: false });
    expect(paused.unsettled).toBe(5);
    expect(paused.notBefore).toBeDefined();
    expect(core.events.failures).toHaveLength(1);
    expect(await core.store.get(ids[1]!)).toMatchObject({ status: 'sending' });

    // Still down: the next run writes nothing, claims nothing, sends nothing.
    expect(await core.deliverDue.run(10)).toMatchObject({ claimed: 0, unsettled: 5 });
    expect(core.sender.sent).toHaveLength(2);
    expect(core.events.failures).toHaveLength(1); // told once per outage

    db.down = false;
    const resumed = await core.deliverDue.run(10);
    expect(core.events.recoveries).toBe(1);
    expect(await core.store.get(ids[1]!)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(resumed).toMatchObject({ claimed: 4, sent: 4, unsettled: 0 });
    expect(core.sender.sent).toHaveLength(6);
    expect(new Set(core.sender.sent.map((m) => m.messageId)).size).toBe(6); // nothing twice
    for (const id of ids) expect(await core.store.get(id)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('tells the listener about each accepted mail at once, before its settlement is written', async () => {
    const core = aCore();
    const db = withFlakySettle(core);
    db.down = true;
    const id = await oneInvite(core);
    await core.deliverDue.run(10);
    expect(core.events.accepted).toEqual([id]);
    expect(core.events.settledBatches).toEqual([]);
  });

  it('writes an outcome within the settlement window even while other sends are still on the wire', async () => {
    const core = aCore({ delivery: { concurrency: 2, settle: { maxBatch: 25, maxDelayMs: 20 } } });
    const quick = await oneInvite(core);
    await oneInvite(core);
    let release!: () => void;
    const stalled = new Promise<void>((r) => (release = r));
    const send = core.sender.send.bind(core.sender);
    let calls = 0;
    core.sender.send = async (mail) => {
      if (++calls === 2) await stalled;
      return send(mail);
    };
    const run = core.deliverDue.run(10);
    await until(
      async () => (await core.store.get(quick))?.status === 'sent',
      'the quick mail settled while the other is on the wire',
      2000,
    );
    release();
    expect(await run).toMatchObject({ sent: 2 });
  });

  it('waits before a send while too many outcomes are unwritten (a slow database), instead of running ahead', async () => {
    const core = aCore({ delivery: { concurrency: 1, settle: { maxBatch: 1, maxUnsettled: 2 } } });
    for (let i = 0; i < 5; i++) await oneInvite(core);
    let openGate!: () => void;
    const gate = new Promise<void>((r) => (openGate = r));
    const settle = core.store.settle.bind(core.store);
    core.store.settle = async (batch) => {
      await gate;
      return settle(batch);
    };
    const run = core.deliverDue.run(10);
    await until(() => core.sender.sent.length === 2, 'two sends', 2000);
    await new Promise((r) => setTimeout(r, 50));
    expect(core.sender.sent).toHaveLength(2); // the third waits for room
    openGate();
    expect(await run).toMatchObject({ sent: 5 });
  });

  it('at a shutdown deadline gives back every claim not decided yet; a send that finishes later settles nothing', async () => {
    const core = aCore({ delivery: { concurrency: 1 } });
    const ids = [await oneInvite(core), await oneInvite(core)];
    let finish!: () => void;
    const onTheWire = new Promise<void>((r) => (finish = r));
    const send = core.sender.send.bind(core.sender);
    core.sender.send = async (mail) => {
      await onTheWire;
      return send(mail);
    };
    const signal = { aborted: false };
    const run = core.deliverDue.run(10, { signal });
    await until(() => core.store.get(ids[0]!).then((n) => n?.status === 'sending'), 'the claim', 2000);
    signal.aborted = true;
    expect(await core.deliverDue.abandon()).toBe(true);
    for (const id of ids) expect(await core.store.get(id)).toMatchObject({ status: 'pending', attempts: 0 });
    finish();
    await run;
    for (const id of ids) expect(await core.store.get(id)).toMatchObject({ status: 'pending', attempts: 0 });
  });
});

describe('thread ids', () => {
  it('stay one valid Message-ID token whatever the ticket reference holds', async () => {
    expect(messageIdSafe('change-request.CR-1234')).toBe('change-request.CR-1234');
    expect(messageIdSafe('change-request.INC 12<34>')).toBe('change-request.INC=2012=3C34=3E');
    expect(messageIdSafe('x.Ä=1')).toBe('x.=C3=84=3D1');
    const core = aCore();
    // notify() now refuses such a reference; a row stored before that rule may still hold one.
    await core.store.add(
      aNewNotification({
        kind: 'change-request',
        recipient: aRecipient({ userId: 'itsm', address: 'tickets@itsm.example.com' }),
        payload: { ...fullPayloads['change-request'], ticketReference: 'INC 0042' },
      }),
    );
    await core.deliverDue.run(10);
    expect(core.sender.sent[0]!.references).toEqual(['change-request.INC=200042@idm.example.com']);
  });
});
