import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface ReceivedMail {
  readonly from: string;
  readonly to: string[];
  readonly raw: Buffer;
  readonly parsed: ParsedMail;
}

export interface SmtpTestServer {
  readonly port: number;
  readonly received: ReceivedMail[];
  /** Every AUTH attempt the server saw: method and username. */
  readonly logins: { method: string; username: string | undefined; ok: boolean }[];
  /** Every command line the server received, credentials masked by smtp-server, in order. */
  readonly commands: string[];
  readonly errors: Error[];
  close(): Promise<void>;
}

/**
 * A real SMTP server on 127.0.0.1 and an ephemeral port, keeping what it received.
 * `onAuth` decides logins; the default accepts none (tests give their own).
 */
export async function startSmtpServer(options: SMTPServerOptions = {}): Promise<SmtpTestServer> {
  const received: ReceivedMail[] = [];
  const logins: SmtpTestServer['logins'] = [];
  const errors: Error[] = [];
  const commands: string[] = [];
  const onAuth = options.onAuth;
  const server = new SMTPServer({
    logger: commandRecorder(commands),
    disableReverseLookup: true,
    authOptional: true,
    closeTimeout: 1000,
    ...options,
    onAuth: onAuth
      ? (auth, session, callback) =>
          onAuth(auth, session, (err, response) => {
            logins.push({ method: auth.method, username: auth.username, ok: !err && response?.user !== undefined });
            callback(err, response);
          })
      : undefined,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
            received.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw, parsed });
            callback(null);
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  // Without a listener a failed TLS handshake (a test with a wrong CA) would kill the process.
  server.on('error', (error) => errors.push(error));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    received,
    logins,
    commands,
    errors,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The AUTH commands a server received (one per attempt, whatever the server answered): continuation lines are not counted. */
export function authAttempts(server: SmtpTestServer): string[] {
  return server.commands.filter((line) => /^AUTH\b/i.test(line));
}

// smtp-server logs each command line it receives at debug level (`tnx: 'command'`, credentials masked).
function commandRecorder(commands: string[]): NonNullable<SMTPServerOptions['logger']> {
  const ignore = () => undefined;
  const debug = (entry: unknown, _prefix: unknown, line: unknown) => {
    if ((entry as { tnx?: unknown } | undefined)?.tnx === 'command' && typeof line === 'string') commands.push(line);
  };
  return { trace: ignore, debug, info: ignore, warn: ignore, error: ignore, fatal: ignore };
}
