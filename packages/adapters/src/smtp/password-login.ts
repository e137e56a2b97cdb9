import { createHmac } from 'node:crypto';
import { SaslFailure, succeeded, type SaslContext, type SmtpReply } from './sasl-exchange';

export type PasswordMechanism = 'PLAIN' | 'LOGIN' | 'CRAM-MD5';

// nodemailer's own order; used when the server advertises nothing (AUTH forced) and to rank what it does.
const PREFERENCE: readonly PasswordMechanism[] = ['PLAIN', 'LOGIN', 'CRAM-MD5'];

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/**
 * Username/password login that tries the mechanisms the server advertises, one after the other,
 * until one succeeds, and starts with the winner next time. nodemailer picks one mechanism and
 * never falls back, yet servers advertise PLAIN and accept only LOGIN.
 * Runs as a nodemailer custom authentication handler, so every command is masked in its logs.
 */
export class PasswordLogin {
  private winner: PasswordMechanism | undefined;

  constructor(
    private readonly username: string,
    private readonly password: string,
  ) {}

  /** The mechanism that last succeeded. */
  get remembered(): PasswordMechanism | undefined {
    return this.winner;
  }

  readonly handler = async (ctx: SaslContext): Promise<void> => {
    const tried: string[] = [];
    let last: SmtpReply | undefined;
    for (const mechanism of this.order(ctx.authMethods)) {
      tried.push(mechanism);
      const reply = await this.attempt(ctx, mechanism);
      if (succeeded(reply)) {
        this.winner = mechanism;
        return;
      }
      last = reply;
      // 4xx is a temporary failure (454): another mechanism will not help, and 421 closes the connection.
      if (reply.status < 500) break;
    }
    throw new SaslFailure(`Authentication failed (tried ${tried.join(', ')})`, last);
  };

  private order(advertised: readonly string[]): PasswordMechanism[] {
    const offered = advertised.map((m) => m.toUpperCase());
    const usable = offered.length === 0 ? [...PREFERENCE] : PREFERENCE.filter((m) => offered.includes(m));
    if (this.winner && usable.includes(this.winner)) return [this.winner, ...usable.filter((m) => m !== this.winner)];
    return usable;
  }

  private async attempt(ctx: SaslContext, mechanism: PasswordMechanism): Promise<SmtpReply> {
    switch (mechanism) {
      case 'PLAIN':
        // RFC 4616: empty authorization identity, NUL, user, NUL, password.
        return ctx.sendCommand(`AUTH PLAIN ${base64(`\u0000${this.username}\u0000${this.password}`)}`);
      case 'LOGIN': {
        const user = await ctx.sendCommand('AUTH LOGIN');
        if (user.status !== 334) return user;
        const pass = await ctx.sendCommand(base64(this.username));
        if (pass.status !== 334) return pass;
        return ctx.sendCommand(base64(this.password));
      }
      case 'CRAM-MD5': {
        const challenge = await ctx.sendCommand('AUTH CRAM-MD5');
        if (challenge.status !== 334) return challenge;
        // RFC 2195: user, space, hex HMAC-MD5 of the decoded challenge keyed with the password.
        const digest = createHmac('md5', this.password).update(Buffer.from(challenge.text.trim(), 'base64')).digest('hex');
        return ctx.sendCommand(base64(`${this.username} ${digest}`));
      }
    }
  }
}
