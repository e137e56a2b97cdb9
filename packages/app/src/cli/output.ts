/** Output for people (aligned text) or programs (`--json`: one JSON document on stdout). */
export class Output {
  constructor(
    readonly json: boolean,
    private readonly out: NodeJS.WritableStream = process.stdout,
    private readonly err: NodeJS.WritableStream = process.stderr,
  ) {}

  /** The command's result: JSON with `--json`, else the human text. */
  result(data: unknown, human: string | (() => string)): void {
    if (this.json) this.out.write(`${JSON.stringify(data, null, 2)}\n`);
    else this.out.write(`${typeof human === 'function' ? human() : human}\n`);
  }

  /** Progress and notes for people; silent with `--json` so stdout stays parseable. */
  note(line: string): void {
    if (!this.json) this.err.write(`${line}\n`);
  }

  /**
   * Progress of long work, on stderr so stdout stays the result: for people one line per step (redrawn in place
   * on a terminal), with `--json` one JSON line per step (`{"progress":{"step","done","total","detail"}}`).
   */
  progress(step: string, done: number, total: number, detail?: string): void {
    if (this.json) {
      this.err.write(`${JSON.stringify({ progress: { step, done, total, ...(detail === undefined ? {} : { detail }) } })}\n`);
      return;
    }
    const percent = total > 0 ? ` (${Math.floor((done * 100) / total)}%)` : '';
    const line = `${step}: ${done}/${total}${percent}${detail === undefined ? '' : ` ${detail}`}`;
    const finished = done >= total;
    if ((this.err as { isTTY?: boolean }).isTTY) this.err.write(`\r\x1b[2K${line}${finished ? '\n' : ''}`);
    else this.err.write(`${line}\n`);
  }

  error(message: string, data: Record<string, unknown> = {}): void {
    if (this.json) this.out.write(`${JSON.stringify({ ok: false, error: message, ...data }, null, 2)}\n`);
    else this.err.write(`error: ${message}\n`);
  }
}

export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}
