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
  const onAuth = options.onAuth;
  const server = new SMTPServer({
    logger: false,
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
    errors,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
