import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

/** One mail the development catcher kept: its file, envelope and parts. */
export interface CaughtMail {
  readonly file: string;
  readonly receivedAt: Date;
  readonly from: string;
  readonly to: string[];
  readonly subject: string;
  readonly messageId?: string;
  readonly text?: string;
  readonly html?: string;
}

/**
 * The development mail catcher: an SMTP server on 127.0.0.1 that accepts every mail and keeps it as an
 * `.eml` file in a folder, so `mailroom inbox` (another process) can list what Mailroom sent.
 * Never for production: it accepts anything from anyone who can reach the loopback interface.
 */
export class MailCatcher {
  private server: SMTPServer | undefined;
  private boundPort = 0;
  private sequence = 0;

  constructor(
    readonly dir: string,
    private readonly preferredPort: number,
  ) {}

  get port(): number {
    return this.boundPort;
  }

  /** Listens on the preferred port, or on a free one when it is taken (another Mailroom is running). */
  async start(): Promise<number> {
    mkdirSync(this.dir, { recursive: true });
    try {
      this.boundPort = await this.listen(this.preferredPort);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      this.boundPort = await this.listen(0);
    }
    return this.boundPort;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private listen(port: number): Promise<number> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      banner: 'Mailroom development mail catcher',
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const name = `${Date.now()}-${process.pid}-${String(++this.sequence).padStart(6, '0')}.eml`;
          try {
            writeFileSync(join(this.dir, name), Buffer.concat(chunks));
            callback(null, `2.0.0 kept as ${name}`);
          } catch (error) {
            callback(Object.assign(new Error(`4.3.0 cannot keep the mail: ${(error as Error).message}`), { responseCode: 451 }));
          }
        });
      },
    });
    // Without this listener a client's broken connection would end the process.
    server.on('error', () => undefined);
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      server.server.once('error', onError);
      server.listen(port, '127.0.0.1', () => {
        server.server.off('error', onError);
        this.server = server;
        const address = server.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }
}

/** Reads the mails a catcher kept in `dir`, newest first. */
export async function readCaughtMail(dir: string, limit = 50): Promise<CaughtMail[]> {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.eml'))
      .sort()
      .reverse()
      .slice(0, limit);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return Promise.all(files.map((file) => parseCaughtMail(dir, file)));
}

/** A name the catcher gives its files (`<ms>-<pid>-<sequence>.eml`): nothing else is read, so no path leaves `dir`. */
const CAUGHT_FILE = /^\d+-\d+-\d+\.eml$/;

/** One mail a catcher kept in `dir`, by its file name; undefined when there is no such file. */
export async function readCaughtMailFile(dir: string, file: string): Promise<CaughtMail | undefined> {
  if (!CAUGHT_FILE.test(file)) return undefined;
  try {
    return await parseCaughtMail(dir, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function parseCaughtMail(dir: string, file: string): Promise<CaughtMail> {
  const parsed = await simpleParser(readFileSync(join(dir, file)));
  const to = [parsed.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address ?? ''));
  return {
    file,
    receivedAt: new Date(Number(file.split('-')[0])),
    from: parsed.from?.text ?? '',
    to,
    subject: parsed.subject ?? '',
    ...(parsed.messageId ? { messageId: parsed.messageId } : {}),
    ...(parsed.text ? { text: parsed.text } : {}),
    ...(typeof parsed.html === 'string' ? { html: parsed.html } : {}),
  };
}
