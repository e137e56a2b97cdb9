import { createTestMailroom } from '@mailroom/app';
import { Registry } from 'prom-client';
import type { BacklogProbe } from '../../packages/app/src/ops/backlog-probe';
import { PromClientMetrics } from '../../packages/app/src/ops/prom-client-metrics';
import { parseMetrics, valueOf } from '../support/metrics';
import { fullPayloads } from '../support/payloads';

const database = { read: async () => ({ ok: false, error: { message: 'not asked' }, at: new Date() }) } as unknown as BacklogProbe;

describe("Mailroom's metrics in a registry", () => {
  it('go into a registry of their own by default, never the global one', async () => {
    const metrics = new PromClientMetrics(database);
    expect(metrics.registry).toBeInstanceOf(Registry);
    expect(await metrics.registry.getSingleMetricAsString('mailroom_mails_sent_total')).toContain('mailroom_mails_sent_total 0');
    const { register } = await import('prom-client');
    expect(register.getSingleMetric('mailroom_mails_sent_total')).toBeUndefined();
  });

  it("refuse a registry holding another running Mailroom's, leaving it as it was; take theirs out when stopped", () => {
    const registry = new Registry();
    const first = new PromClientMetrics(database, registry);
    const before = registry.getMetricsAsArray().length;
    expect(() => new PromClientMetrics(database, registry)).toThrow(/already holds mailroom_mails_sent_total.*its own registry/s);
    expect(registry.getMetricsAsArray()).toHaveLength(before);
    first.unregister();
    expect(registry.getMetricsAsArray()).toHaveLength(0);
    expect(() => new PromClientMetrics(database, registry)).not.toThrow();
  });

  it('help every metric, name each mailroom_…, and start each series of a class at 0', async () => {
    const metrics = new PromClientMetrics(database);
    const text = await metrics.registry.metrics();
    const names = metrics.registry.getMetricsAsArray().map((m) => m.name);
    for (const name of names) {
      expect(name).toMatch(/^mailroom_/);
      expect(text).toMatch(new RegExp(`# HELP ${name} \\S`));
    }
    for (const c of ['transient', 'permanent', 'authentication', 'configuration', 'template'])
      expect(text).toContain(`mailroom_mails_failed_total{class="${c}"} 0`);
    // Without a database answer the outbox is unknown (NaN, which Prometheus reads in any case), not empty.
    const samples = parseMetrics(text);
    expect(valueOf(samples, 'mailroom_outbox_mails', { status: 'pending' })).toBeNaN();
    expect(valueOf(samples, 'mailroom_outbox_oldest_pending_age_seconds')).toBeNaN();
    expect(valueOf(samples, 'mailroom_database_up')).toBe(0);
  });

  it("count retention's deletes by status; a dry run deletes nothing and counts nothing", async () => {
    const mailroom = await createTestMailroom({ now: '2026-03-01T09:00:00Z', config: { retention: { days: { sent: 7 } } } });
    for (const address of ['ada@example.com', 'bob@example.com'])
      await mailroom.notify({ kind: 'user-invite', recipient: { address }, payload: fullPayloads['user-invite'] });
    await mailroom.deliver();
    mailroom.clock.advance(8 * 24 * 3600_000);
    const purged = async () =>
      valueOf(parseMetrics(await mailroom.metrics.registry.metrics()), 'mailroom_notifications_purged_total', { status: 'sent' });
    await mailroom.outbox.purge({ dryRun: true });
    expect(await purged()).toBe(0);
    expect((await mailroom.outbox.purge()).purged.sent).toBe(2);
    expect(await purged()).toBe(2);
    await mailroom.stop();
  });
});
