import { MailSendError, NotFoundError } from '@mailroom/domain';
import { aCore } from '../support/core';
import { fullPayloads } from '../support/payloads';

const ada = { userId: 'u1', address: 'ada@example.com' };

describe('outbox administration', () => {
  it('counts by status and retries dead letters with fresh attempts', async () => {
    const core = aCore();
    const a = await core.notify.execute({ kind: 'user-invite', recipient: ada, payload: fullPayloads['user-invite'] });
    const b = await core.notify.execute({ kind: 'user-invite', recipient: ada, payload: fullPayloads['user-invite'] });
    core.sender.failNext(2, () => new MailSendError('permanent', '550 5.1.1 no such user', { responseCode: 550 }));
    await core.deliverDue.run(10);
    expect(await core.outbox.counts()).toMatchObject({ dead: 2, pending: 0, sent: 0 });
    expect((await core.outbox.list({ status: 'dead', limit: 10 })).map((n) => n.id).sort()).toEqual([a, b].sort());

    expect(await core.outbox.retryDead([a])).toBe(1);
    await core.deliverDue.run(10);
    expect(await core.outbox.get(a)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await core.outbox.retryDead('all')).toBe(1);
    await core.deliverDue.run(10);
    expect(await core.outbox.counts()).toMatchObject({ dead: 0, sent: 2 });
  });

  it('retries all dead letters in batches, reporting progress after each', async () => {
    const core = aCore();
    for (let i = 0; i < 7; i++) await core.notify.execute({ kind: 'user-invite', recipient: ada, payload: fullPayloads['user-invite'] });
    core.sender.failNext(7, () => new MailSendError('permanent', '550 5.1.1 no such user', { responseCode: 550 }));
    await core.deliverDue.run(10);
    const progress: { done: number; total: number }[] = [];
    expect(await core.outbox.retryDead('all', { batchSize: 3, onProgress: (p) => progress.push(p) })).toBe(7);
    expect(progress).toEqual([
      { done: 0, total: 7 },
      { done: 3, total: 7 },
      { done: 6, total: 7 },
      { done: 7, total: 7 },
    ]);
    expect(await core.outbox.counts()).toMatchObject({ dead: 0, pending: 7 });
    await expect(core.outbox.retryDead('all', { batchSize: 0 })).rejects.toThrow(/batchSize/);
  });

  it('names ids that are not dead letters', async () => {
    const core = aCore();
    const id = await core.notify.execute({ kind: 'user-invite', recipient: ada, payload: fullPayloads['user-invite'] });
    await expect(core.outbox.retryDead([id, 'missing'])).rejects.toThrow(new RegExp(`not dead letters.*${id}, missing`));
    await expect(core.outbox.get('missing')).rejects.toBeInstanceOf(NotFoundError);
  });
});
