import { DeliverDue, EmailAddress, MailSendError, type DeliveryReport } from '@mailroom/domain';
import type { LogFields, Logger } from '../../packages/app/src/logging/logger';
import { hostLog, logOf } from '../../packages/app/src/logging/log';
import { createLogger } from '../../packages/app/src/logger';
import { deliveryLog } from '../../packages/app/src/worker/delivery-log';
import { DeliverySummary } from '../../packages/app/src/worker/delivery-summary';
import { aCore } from '../support/core';
import { fullPayloads } from '../support/payloads';

/** A host's logger that is not pino: four methods, keeping what they were given. */
class ListLogger implements Logger {
  readonly lines: { level: string; message: string; fields?: LogFields }[] = [];
  debug(message: string, fields?: LogFields) {
    this.lines.push({ level: 'debug', message, ...(fields ? { fields } : {}) });
  }
  info(message: string, fields?: LogFields) {
    this.lines.push({ level: 'info', message, ...(fields ? { fields } : {}) });
  }
  warn(message: string, fields?: LogFields) {
    this.lines.push({ level: 'warn', message, ...(fields ? { fields } : {}) });
  }
  error(message: string, fields?: LogFields) {
    this.lines.push({ level: 'error', message, ...(fields ? { fields } : {}) });
  }
}

describe("a host's logger", () => {
  it('is called at and above log.level only, and says so when asked', () => {
    const host = new ListLogger();
    const log = hostLog(host, 'info');
    log.debug('per mail', { id: '1' });
    log.info('summary', { sent: 3 });
    log.error('broken');
    expect(host.lines.map((l) => `${l.level} ${l.message}`)).toEqual(['info summary', 'error broken']);
    expect([log.enabled('debug'), log.enabled('info')]).toEqual([false, true]);
    expect(hostLog(host, 'silent').enabled('error')).toBe(false);
  });

  it('gets fields named like secrets masked, at any depth, as pino masks Mailroom’s own lines', () => {
    const host = new ListLogger();
    hostLog(host, 'debug').warn('settings', {
      password: 'p4ssw0rd!',
      smtp: { host: 'smtp.example.com', auth: { type: 'oauth2', clientSecret: 's3cr3t-value' } },
      auth: { username: 'ada', password: 'hunter22' },
      nested: { deeper: { accessToken: 'eyJ.token.value', token: 'abcd1234' } },
      list: [{ password: 'in-a-list' }],
      kept: 'visible',
    });
    const text = JSON.stringify(host.lines);
    for (const secret of ['p4ssw0rd!', 's3cr3t-value', 'hunter22', 'eyJ.token.value', 'abcd1234', 'in-a-list', 'ada'])
      expect(text).not.toContain(secret);
    expect(host.lines[0]!.fields).toMatchObject({ kept: 'visible', smtp: { host: 'smtp.example.com' } });
  });

  it('never has child, flush or a level check called on it: a child merges its fields into each line', async () => {
    const host = new ListLogger();
    const log = hostLog(host, 'debug').child({ component: 'smtp' });
    log.info('connected', { port: 25 });
    await log.flush();
    expect(host.lines).toEqual([{ level: 'info', message: 'connected', fields: { component: 'smtp', port: 25 } }]);
  });

  it('that throws loses that line and nothing else: the caller goes on, later lines arrive once it works again', () => {
    const host = new ListLogger();
    let full = true;
    const flaky: Logger = {
      debug: (m, f) => host.debug(m, f),
      warn: (m, f) => host.warn(m, f),
      error: (m, f) => host.error(m, f),
      info: (m, f) => {
        if (full) throw new Error('disk full');
        host.info(m, f);
      },
    };
    const log = hostLog(flaky, 'info');
    expect(() => log.info('delivery run', { sent: 1 })).not.toThrow();
    expect(() => log.child({ component: 'smtp' }).info('again')).not.toThrow();
    full = false;
    log.info('delivery run', { sent: 2 });
    expect(host.lines).toEqual([{ level: 'info', message: 'delivery run', fields: { sent: 2 } }]);
  });

  it('is told apart from a pino logger, which is used as pino: fields in its JSON line', () => {
    const lines: string[] = [];
    const pino = createLogger('info', { write: (line: string) => void lines.push(line) });
    logOf(pino, 'info').info('delivery run', { sent: 2, auth: { password: 'hunter22' } });
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ msg: 'delivery run', sent: 2, level: 30 });
    expect(lines[0]).not.toContain('hunter22');
    const host = new ListLogger();
    logOf(host, 'info').info('delivery run', { sent: 2 });
    expect(host.lines).toEqual([{ level: 'info', message: 'delivery run', fields: { sent: 2 } }]);
  });
});

describe('the delivery log', () => {
  it('tells the attempt that stopped delivery once at error; the mails waiting behind it only at debug', async () => {
    const core = aCore();
    const host = new ListLogger();
    const deliverDue = new DeliverDue(
      {
        ...core.deliveryDeps,
        listener: deliveryLog(hostLog(host, 'debug')),
      },
      { from: EmailAddress.parse('noreply@idm.example.com'), leaseMs: 60_000, concurrency: 1, stoppedProbeDelayMs: 60_000, owner: 'w' },
    );
    for (let i = 0; i < 50; i++)
      await core.notify.execute({
        kind: 'user-invite',
        recipient: { userId: `u${i}`, address: `u${i}@example.com` },
        payload: fullPayloads['user-invite'],
      });
    core.sender.failNext(1, new MailSendError('authentication', '535 5.7.3 Authentication unsuccessful', { responseCode: 535 }));
    expect(await deliverDue.run(100)).toMatchObject({ claimed: 50, released: 50 });
    const above = host.lines.filter((l) => l.level !== 'debug');
    expect(above).toEqual([
      {
        level: 'error',
        message: 'delivery stopped: mails wait, spending no attempts, until a probe send succeeds',
        fields: expect.objectContaining({ code: 'SEND.AUTHENTICATION', responseCode: 535, probeAt: expect.any(String) }),
      },
    ]);
    expect(host.lines.filter((l) => l.message === 'mail kept pending: delivery stopped')).toHaveLength(50);
  });
});

describe('the delivery summary at info', () => {
  const run = (sent: number, extra: Partial<DeliveryReport> = {}): DeliveryReport => ({
    claimed: sent,
    sent,
    retried: 0,
    dead: 0,
    released: 0,
    full: false,
    unsettled: 0,
    ...extra,
  });

  it('adds the runs of its interval into one line: mail trickling in a run at a time is not a line per mail', async () => {
    const host = new ListLogger();
    const summary = new DeliverySummary(hostLog(host, 'info'), 200);
    for (let i = 0; i < 20; i++) {
      summary.add(run(1, i === 3 ? { sent: 0, retried: 1 } : {}), 2);
      summary.flush();
    }
    expect(host.lines).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 250));
    summary.flush(); // after an empty run, once the interval has passed
    expect(host.lines).toEqual([
      {
        level: 'info',
        message: 'delivery summary',
        fields: { runs: 20, claimed: 20, sent: 19, failed: 1, dead: 0, released: 0, busyMs: 40, periodMs: expect.any(Number) },
      },
    ]);
    summary.flush(true);
    expect(host.lines).toHaveLength(1); // nothing added since: no empty line
  });

  it('writes what it holds when the worker stops, before the interval', () => {
    const host = new ListLogger();
    const summary = new DeliverySummary(hostLog(host, 'info'));
    summary.add(run(3, { unsettled: 2 }), 5);
    summary.flush();
    expect(host.lines).toEqual([]);
    summary.flush(true);
    expect(host.lines[0]?.fields).toMatchObject({ runs: 1, sent: 3, unsettled: 2 });
  });
});
