import { createHmac } from 'node:crypto';
import { defaultEhloName, offeredMechanisms } from './auth-offer';
import { mechanismRefused, SaslFailure, succeeded, type SaslContext, type SmtpReply } from './sasl-exchange';

export type PasswordMechanism = 'PLAIN' | 'LOGIN' | 'CRAM-MD5';

// nodemailer's own order: `auto` ranks what the server advertises by it.
const PREFERENCE: readonly PasswordMechanism[] = ['PLAIN', 'LOGIN', 'CRAM-MD5'];

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/**
 * Username/password login as a nodemailer custom authentication handler (so every command is masked
 * in its logs), for a forced mechanism or `auto`.
 *
 * - Only mechanisms the server advertised are sent; with none, no AUTH at all (`AuthNotOffered`).
 * - `auto` tries the next advertised mechanism only when the server refuses the mechanism itself
 *   (504, 5.7.4 …): servers advertise PLAIN and accept only LOGIN. Refused credentials (535) end the
 *   login, so a wrong password costs one failed attempt, not three (lockouts, fail2ban).
 * - The mechanism that succeeded goes first next time.
 */
export class PasswordLogin {
  private winner: PasswordMechanism | undefined;

  constructor(
    private readonly username: string,
    private readonly password: string,
    /** `auto`, or the one mechanism to use. */
    private readonly mechanism: PasswordMechanism | 'auto' = 'auto',
    private readonly ehloName: string = defaultEhloName(),
  ) {}

  /** The mechanism that last succeeded. */
  get remembered(): PasswordMechanism | undefined {
    return this.winner;
  }

  readonly handler = async (ctx: SaslContext): Promise<void> => {
    const usable = (await offeredMechanisms(ctx, this.allowed(), this.ehloName)) as PasswordMechanism[];
    const tried: string[] = [];
    let last: SmtpReply | undefined;
    for (const mechanism of this.ranked(usable)) {
      tried.push(mechanism);
      const reply = await this.attempt(ctx, mechanism);
      if (succeeded(reply)) {
        this.winner = mechanism;
        return;
      }
      last = reply;
      if (!mechanismRefused(reply)) break;
    }
    throw new SaslFailure(`Authentication failed (tried ${tried.join(', ')})`, last);
  };

  private allowed(): PasswordMechanism[] {
    return this.mechanism === 'auto' ? [...PREFERENCE] : [this.mechanism];
  }

  private ranked(usable: PasswordMechanism[]): PasswordMechanism[] {
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
