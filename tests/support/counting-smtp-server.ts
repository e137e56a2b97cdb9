import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CountingSmtpServer {
  readonly port: number;
  /** How often each Message-ID (without brackets) was accepted. */
  readonly counts: Map<string, number>;
  /** Mails accepted, duplicates included. */
  readonly total: () => number;
  /** Message-IDs accepted more than once, and how many extra copies. */
  readonly duplicates: () => number;
  /** Sessions that reached DATA and were not answered (while stalled). */
  readonly stalled: () => number;
  /** From now on, accept the data of every mail but never answer it: a server that hangs mid-transaction. */
  stall(): void;
  close(): Promise<void>;
}

/**
 * A real SMTP server on 127.0.0.1 for fault tests: it only counts the Message-IDs it accepted (no parsing, so it
 * keeps up with thousands of mails), optionally taking `delayMs` per mail as a remote relay would.
 */
export async function startCountingSmtpServer(options: { delayMs?: number } = {}): Promise<CountingSmtpServer> {
  const counts = new Map<string, number>();
  let accepted = 0;
  let stalling = false;
  let stalled = 0;
  const server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    authOptional: true,
    closeTimeout: 500,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 8192) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        if (stalling) {
          stalled++;
          return; // never answered
        }
        const id = /^Message-ID:\s*<([^>]+)>/im.exec(head)?.[1] ?? `unknown-${accepted}`;
        const done = () => {
          counts.set(id, (counts.get(id) ?? 0) + 1);
          accepted++;
          callback(null);
        };
        if (options.delayMs) setTimeout(done, options.delayMs);
        else done();
      });
    },
  });
  server.on('error', () => undefined); // a client that disappears mid-session (a killed worker) is expected here
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    counts,
    total: () => accepted,
    duplicates: () => [...counts.values()].reduce((sum, c) => sum + c - 1, 0),
    stalled: () => stalled,
    stall: () => void (stalling = true),
    close: () =>
      new Promise<void>((resolve) => {
        // Stalled sessions would hold close() until closeTimeout; end them now.
        for (const connection of (server as unknown as { connections: Set<{ close(): void }> }).connections ?? []) connection.close();
        server.close(() => resolve());
      }),
  };
}
