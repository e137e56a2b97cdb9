/** What a server said about itself in its EHLO reply (RFC 5321 §4.1.1.1; AUTH from RFC 4954). */
export interface EhloReply {
  /** The name the server gave on the first line. */
  readonly server: string;
  /** Every keyword it announced, upper case: `STARTTLS`, `AUTH`, `SIZE`, `PIPELINING`… */
  readonly extensions: readonly string[];
  /** SASL mechanisms after `AUTH`, upper case, in the server's order. */
  readonly mechanisms: readonly string[];
  readonly startTls: boolean;
  /** SIZE limit in bytes, when announced with one. */
  readonly maxSize?: number;
}

/** Parses a multi-line EHLO reply (`250-name greets you\n250-AUTH PLAIN LOGIN\n250 SIZE 35882577`). */
export function parseEhloReply(reply: string): EhloReply {
  const lines = reply
    .split(/\r?\n/)
    .map((l) => l.replace(/^\d{3}[ -]?/, '').trim())
    .filter(Boolean);
  const server = (lines[0] ?? '').split(/\s+/)[0] ?? '';
  const extensions: string[] = [];
  const mechanisms: string[] = [];
  let maxSize: number | undefined;
  for (const line of lines.slice(1)) {
    const [keyword = '', ...args] = line.split(/[\s=]+/);
    const name = keyword.toUpperCase();
    if (!extensions.includes(name)) extensions.push(name);
    // Old servers also announce `AUTH=LOGIN`: same list.
    if (name === 'AUTH') for (const m of args) if (m && !mechanisms.includes(m.toUpperCase())) mechanisms.push(m.toUpperCase());
    if (name === 'SIZE' && args[0] && /^\d+$/.test(args[0]) && Number(args[0]) > 0) maxSize = Number(args[0]);
  }
  return { server, extensions, mechanisms, startTls: extensions.includes('STARTTLS'), ...(maxSize === undefined ? {} : { maxSize }) };
}
