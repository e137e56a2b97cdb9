import type { ExternalLogger } from 'nodemailer/lib/shared';

export interface TranscriptLine {
  readonly from: 'client' | 'server';
  readonly line: string;
  /** When it was seen (epoch ms). */
  readonly at: number;
}

/**
 * The SMTP conversation as nodemailer reports it through its logger with `transactionLog` on
 * (`tnx: 'client'` for commands, already masked for AUTH; `tnx: 'server'` for replies).
 * Lets the diagnosis see what happened inside `connect()`: the EHLO before STARTTLS, the STARTTLS reply.
 */
export class SmtpTranscript {
  readonly lines: TranscriptLine[] = [];
  readonly logger: ExternalLogger = {
    debug: (entry: unknown, message?: unknown) => this.record(entry, message),
    // nodemailer reports errors and progress at other levels; the conversation is all at debug.
    trace: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    fatal: () => undefined,
  };

  /** The replies to a command (`EHLO`, `STARTTLS`), first to last. */
  repliesTo(command: string): TranscriptLine[] {
    const replies: TranscriptLine[] = [];
    for (let i = 0; i < this.lines.length; i++) {
      const line = this.lines[i]!;
      if (line.from !== 'client' || !line.line.toUpperCase().startsWith(command.toUpperCase())) continue;
      const reply = this.lines.slice(i + 1).find((l) => l.from === 'server');
      if (reply) replies.push(reply);
    }
    return replies;
  }

  /** When the client last sent this command (epoch ms). */
  lastSent(command: string): number | undefined {
    return [...this.lines].reverse().find((l) => l.from === 'client' && l.line.toUpperCase().startsWith(command.toUpperCase()))?.at;
  }

  /** The last command the client sent that starts with `prefix` (AUTH commands come masked). */
  lastCommand(prefix: string): string | undefined {
    return [...this.lines].reverse().find((l) => l.from === 'client' && l.line.toUpperCase().startsWith(prefix.toUpperCase()))?.line;
  }

  private record(entry: unknown, message: unknown): void {
    const tnx = (entry as { tnx?: unknown } | undefined)?.tnx;
    if ((tnx === 'client' || tnx === 'server') && typeof message === 'string') {
      this.lines.push({ from: tnx, line: message, at: Date.now() });
    }
  }
}
