import type { Measurement } from './figure';

export type Row = Measurement & { readonly database: string };

/** The table for people. */
export function table(rows: readonly Row[]): string {
  const header = ['database', 'figure', 'what', 'Mailroom', 'baseline', 'ratio', 'target', 'met'];
  const lines = rows.map((r) => [
    r.database,
    r.figure,
    r.what,
    `${fmt(r.mailroom)} ${r.unit}`,
    r.baseline === undefined ? '—' : `${fmt(r.baseline)} ${r.unit}`,
    r.ratio === undefined ? '—' : `${r.ratio.toFixed(2)}×`,
    r.target,
    r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(line)].join('\n');
}

/** One JSON line per figure, for machines. */
export function jsonLine(row: Row): string {
  return JSON.stringify({ bench: 'mailroom', ...row, ratio: row.ratio === undefined ? undefined : Number(row.ratio.toFixed(3)) });
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}
