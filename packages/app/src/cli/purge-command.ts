import { PURGEABLE_STATUSES, type PurgeReport } from '@mailroom/domain';
import { withMailroom, type GlobalOptions } from './commands';
import { table, type Output } from './output';

/**
 * `mailroom purge [--dry-run]`: retention now, as the worker runs it every `retention.intervalMinutes` — rows of each
 * final status older than its `retention.days`, in batches, under the lock (another node purging: nothing done
 * here, and it says so). `--dry-run` counts them and deletes nothing.
 */
export async function purge(global: GlobalOptions, out: Output, options: { dryRun?: boolean }): Promise<void> {
  await withMailroom(global, async (m) => {
    if (!options.dryRun) out.note('Purging old notifications…');
    const report = await m.outbox.purge({ dryRun: options.dryRun === true });
    const json = {
      ok: true,
      ran: report.ran,
      dryRun: report.dryRun,
      purged: report.purged,
      total: report.total,
      batches: report.batches,
      keptDays: report.days,
      cutoffs: Object.fromEntries(Object.entries(report.cutoffs).map(([status, at]) => [status, at.toISOString()])),
    };
    out.result(json, () => purgeText(report));
  });
}

function purgeText(report: PurgeReport): string {
  const { days } = report;
  if (!report.ran) return 'Another node is purging old notifications right now; nothing was done here.';
  const rows = PURGEABLE_STATUSES.map((status) => {
    const cutoff = report.cutoffs[status];
    return [
      status,
      days[status] === 0 ? 'forever' : `${days[status]} days`,
      cutoff ? cutoff.toISOString() : '–',
      String(report.purged[status]),
    ];
  });
  const plural = (n: number) => `${n} old notification${n === 1 ? '' : 's'}`;
  const head = report.dryRun
    ? `Would purge ${plural(report.total)} (a dry run: nothing was deleted).`
    : `Purged ${plural(report.total)} in ${report.batches} statement${report.batches === 1 ? '' : 's'}.`;
  return [head, '', table([['status', 'kept', 'older than', report.dryRun ? 'would purge' : 'purged'], ...rows])].join('\n');
}
