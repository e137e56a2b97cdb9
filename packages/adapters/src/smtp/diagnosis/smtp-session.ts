import type { TLSSocket } from 'node:tls';
import SMTPConnection, {
  type SMTPConnectionAuth,
  type SMTPConnectionCustomAuthResponse,
  type SMTPConnectionOptions,
} from 'nodemailer/lib/smtp-connection';

// A custom "mechanism" that is no SASL exchange at all: nodemailer's only public way to send a
// command of our choosing (MAIL FROM, RSET) without starting a message, with its masking and reply parsing.
const COMMANDS_METHOD = 'MAILROOM-DIAGNOSIS-COMMANDS';

/**
 * One SMTP session over nodemailer's `SMTPConnection`, as promises. nodemailer reports most failures
 * as an `error` event rather than through the callback of the call in flight: every call races it.
 */
export class SmtpSession {
  private readonly connection: SMTPConnection;
  private pending: ((error: Error) => void) | undefined;
  private commands: string[] = [];
  private replies: SMTPConnectionCustomAuthResponse[] = [];

  constructor(options: SMTPConnectionOptions) {
    const customAuth = { ...options.customAuth, [COMMANDS_METHOD]: this.sendQueuedCommands };
    this.connection = new SMTPConnection({ ...options, customAuth });
    this.connection.on('error', (error: Error) => this.fail(error));
    this.connection.on('end', () => this.fail(Object.assign(new Error('The server closed the connection'), { code: 'ECONNECTION' })));
  }

  /** Greeting, EHLO and (per the options) STARTTLS with the EHLO after it. */
  connect(): Promise<void> {
    return this.call((done) => this.connection.connect((error) => done(error ?? null)));
  }

  /** The server's last reply: after `connect()`, its EHLO reply. */
  get lastReply(): string {
    return this.connection.lastServerResponse || '';
  }

  /** The socket in use: after STARTTLS, the TLS socket. */
  get socket(): TLSSocket | undefined {
    return (this.connection._socket || undefined) as TLSSocket | undefined;
  }

  /** `true` once the connection runs over TLS. */
  get secure(): boolean {
    return this.connection.secure;
  }

  login(auth: SMTPConnectionAuth): Promise<void> {
    return this.call((done) => this.connection.login(auth, (error) => done(error)));
  }

  /** Sends commands one after the other and returns each reply, whatever its code. */
  async send(...commands: string[]): Promise<SMTPConnectionCustomAuthResponse[]> {
    this.commands = commands;
    this.replies = [];
    // login() insists on credentials unless the method is a custom one; these are placeholders.
    await this.call((done) => this.connection.login({ method: COMMANDS_METHOD, user: '-', pass: '-' }, (error) => done(error)));
    return this.replies;
  }

  /** QUIT when the session is usable, else just close. Never throws. */
  close(): void {
    this.pending = undefined;
    try {
      if (this.connection.stage === 'connected' && !this.connection.destroyed) this.connection.quit();
      else this.connection.close();
    } catch {
      this.connection.close();
    }
  }

  private readonly sendQueuedCommands = async (ctx: { sendCommand(cmd: string): Promise<SMTPConnectionCustomAuthResponse> }) => {
    for (const command of this.commands) this.replies.push(await ctx.sendCommand(command));
  };

  private call(start: (done: (error: Error | null | undefined) => void) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (error: Error | null | undefined) => {
        if (settled) return;
        settled = true;
        this.pending = undefined;
        if (error) reject(error);
        else resolve();
      };
      this.pending = (error) => settle(error);
      start(settle);
    });
  }

  private fail(error: Error): void {
    this.pending?.(error);
  }
}
