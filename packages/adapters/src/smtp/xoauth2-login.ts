import type { TokenSource } from '../oauth/token-source';
import { defaultEhloName, offeredMechanisms } from './auth-offer';
import { SaslFailure, succeeded, type SaslContext, type SmtpReply } from './sasl-exchange';

/**
 * XOAUTH2 with tokens from a `TokenSource`, as a nodemailer custom authentication handler.
 *
 * - Nothing is sent unless the server advertised XOAUTH2.
 * - The token goes after the server's `334`, not on the AUTH line: real tokens (1.5–2.5 KB) can
 *   exceed a server's line limit (Postfix: 2048 bytes).
 * - Exchange Online answers a stale token with `535` at once (nodemailer only renews on `334`):
 *   a cached token refused with 535 is replaced by a fresh one and tried once more.
 * - Some servers (Gmail, Dovecot) first send `334 <base64 JSON error>`; RFC 7628 wants an empty
 *   line in reply, after which the final `535` arrives instead of a hang.
 */
export class XOAuth2Login {
  constructor(
    private readonly username: string,
    private readonly tokens: TokenSource,
    private readonly ehloName: string = defaultEhloName(),
  ) {}

  readonly handler = async (ctx: SaslContext): Promise<void> => {
    // Neither a token request nor an AUTH when the server does not offer XOAUTH2.
    await offeredMechanisms(ctx, ['XOAUTH2'], this.ehloName);
    const first = await this.token(false);
    let reply = await this.attempt(ctx, first.accessToken);
    if (succeeded(reply)) return;
    if (reply.status === 535 && first.fromCache) {
      const fresh = await this.token(true);
      reply = await this.attempt(ctx, fresh.accessToken);
      if (succeeded(reply)) return;
    }
    throw new SaslFailure('The server refused the OAuth2 access token (XOAUTH2)', reply);
  };

  private async token(forceRefresh: boolean) {
    try {
      return await this.tokens.getToken({ forceRefresh });
    } catch (cause) {
      // nodemailer re-codes whatever the handler throws as EAUTH: keep the token error as the cause.
      throw new SaslFailure('Could not get an OAuth2 access token', undefined, { cause });
    }
  }

  private async attempt(ctx: SaslContext, accessToken: string): Promise<SmtpReply> {
    const ready = await ctx.sendCommand('AUTH XOAUTH2');
    if (ready.status !== 334) return ready;
    const response = Buffer.from(`user=${this.username}\u0001auth=Bearer ${accessToken}\u0001\u0001`, 'utf8').toString('base64');
    const reply = await ctx.sendCommand(response);
    return reply.status === 334 ? ctx.sendCommand('') : reply;
  }
}
