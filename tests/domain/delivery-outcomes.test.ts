import { InMemorySendQuota } from '@mailroom/adapters';
import { DeliverDue, EmailAddress, MailSendError, type DeliveryOutcome } from '@mailroom/domain';
import { aCore } from '../support/core';
import { fullPayloads } from '../support/payloads';

const ada = { userId: 'u1', address: 'ada@example.com', name: 'Ada Lovelace' };

async function oneInvite(core: ReturnType<typeof aCore>, to = ada): Promise<string> {
  return core.notify.execute({ kind: 'user-invite', recipient: to, payload: fullPayloads['user-invite'] });
}

describe('delivery outcomes, told once they are in the store', () => {
  it('tells a sent mail with its kind, recipient, attempt and Message-ID', async () => {
    const core = aCore();
    const id = await oneInvite(core);
    await core.deliverDue.run(10);
    expect(core.events.outcomes).toEqual([
      expect.objectContaining({ type: 'sent', id, kind: 'user-invite', attempt: 1, messageId: `${id}@idm.example.com`, sendMs: 0 }),
    ]);
    expect(core.events.outcomes[0]!.recipient).toMatchObject({ userId: 'u1', email: { address: 'ada@example.com' } });
    expect(await core.store.get(id)).toMatchObject({ status: 'sent' });
  });

  it('tells each failed attempt with its class and when the mail is tried again, then the dead letter', async () => {
    const core = aCore({ retry: { maxAttempts: 2 } });
    const id = await oneInvite(core);
    const transient = () => new MailSendError('transient', '421 4.3.2 Service not available', { responseCode: 421 });
    core.sender.failNext(2, transient);
    await core.deliverDue.run(10);
    const [failed] = core.events.outcomes as (DeliveryOutcome & { type: 'failed' })[];
    expect(failed).toMatchObject({
      type: 'failed',
      id,
      attempt: 1,
      failure: 'transient',
      error: { code: 'SEND.TRANSIENT', responseCode: 421 },
    });
    expect(failed!.retryAt.getTime()).toBe((await core.store.get(id))!.nextAttemptAt.getTime());
    core.clock.advanceMinutes(60);
    await core.deliverDue.run(10);
    expect(core.events.outcomes[1]).toMatchObject({
      type: 'dead',
      id,
      attempt: 2,
      failure: 'transient',
      error: { code: 'SEND.TRANSIENT' },
    });
  });

  it('tells a permanent refusal as a dead letter of class permanent, and a template that cannot render as template', async () => {
    const core = aCore();
    const refused = await oneInvite(core, { userId: 'u2', address: 'nobody@example.com', name: 'Nobody' });
    core.sender.failNext(1, new MailSendError('permanent', '550 5.1.1 Mailbox unavailable', { responseCode: 550 }));
    await core.deliverDue.run(10);
    core.renderer.failFor('import-failed');
    const broken = await core.notify.execute({ kind: 'import-failed', recipient: ada, payload: fullPayloads['import-failed'] });
    await core.deliverDue.run(10);
    expect(core.events.outcomes).toEqual([
      expect.objectContaining({ type: 'dead', id: refused, failure: 'permanent', error: expect.objectContaining({ responseCode: 550 }) }),
      expect.objectContaining({
        type: 'dead',
        id: broken,
        failure: 'template',
        error: expect.objectContaining({ code: 'TEMPLATE.FAILED' }),
      }),
    ]);
    expect(core.events.outcomes[1]).not.toHaveProperty('sendMs');
  });

  it('tells the attempt that stopped delivery as failed (the mail waits), and nothing for the mails that were not tried', async () => {
    const core = aCore({ delivery: { concurrency: 1 } });
    const first = await oneInvite(core);
    await oneInvite(core);
    core.sender.failNext(1, new MailSendError('authentication', '535 5.7.3 Authentication unsuccessful', { responseCode: 535 }));
    expect(await core.deliverDue.run(10)).toMatchObject({ claimed: 2, released: 2 });
    expect(core.events.outcomes).toEqual([
      expect.objectContaining({
        type: 'failed',
        id: first,
        failure: 'authentication',
        error: expect.objectContaining({ code: 'SEND.AUTHENTICATION' }),
      }),
    ]);
  });

  it('tells a pause for a sending quota: the server refusing every mail, and the per-minute rate limit spent', async () => {
    const core = aCore({ delivery: { concurrency: 1 } });
    await oneInvite(core);
    core.sender.failNext(
      1,
      new MailSendError('transient', '554 5.2.0 SubmissionQuotaExceededException', { code: 'SEND.TRANSIENT.QUOTA', pauseMs: 15 * 60_000 }),
    );
    await core.deliverDue.run(10);
    expect(core.events.quotaPauses).toEqual([
      { source: 'server', code: 'SEND.TRANSIENT.QUOTA', until: new Date(core.clock.now().getTime() + 15 * 60_000) },
    ]);

    const limited = new DeliverDue(
      {
        ...core.deliveryDeps,
        quota: new InMemorySendQuota(1),
        listener: core.events.listener,
      },
      { from: EmailAddress.parse('noreply@idm.example.com'), leaseMs: 60_000, concurrency: 1, stoppedProbeDelayMs: 60_000, owner: 'w' },
    );
    core.clock.set('2026-01-05T10:00:10.000Z');
    await oneInvite(core);
    await limited.run(10);
    expect(await limited.run(10)).toMatchObject({ claimed: 0, notBefore: new Date('2026-01-05T10:01:00.000Z') });
    expect(core.events.quotaPauses[1]).toEqual({ source: 'rate-limit', until: new Date('2026-01-05T10:01:00.000Z') });
  });

  it('goes on delivering when a listener throws', async () => {
    const core = aCore();
    const deliverDue = new DeliverDue(
      {
        ...core.deliveryDeps,
        listener: {
          accepted: () => {
            throw new Error('listener broke');
          },
          recorded: () => {
            throw new Error('listener broke');
          },
        },
      },
      { from: EmailAddress.parse('noreply@idm.example.com'), leaseMs: 60_000, concurrency: 2, stoppedProbeDelayMs: 60_000, owner: 'w' },
    );
    const ids = [await oneInvite(core), await oneInvite(core)];
    expect(await deliverDue.run(10)).toMatchObject({ claimed: 2, sent: 2, retried: 0 });
    for (const id of ids) expect(await core.store.get(id)).toMatchObject({ status: 'sent' });
  });
});
