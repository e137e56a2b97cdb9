import { type SmtpSettings } from '@mailroom/adapters';
import { PASSWORD_AUTO_METHOD, toNodemailerOptions, XOAUTH2_METHOD } from '../../../packages/adapters/src/smtp/nodemailer-options';
import { MailSendError } from '@mailroom/domain';

const base: SmtpSettings = { host: 'smtp.office365.com', port: 587, tls: { mode: 'starttls' }, auth: { kind: 'none' } };
const handler = async (): Promise<void> => undefined;

describe('toNodemailerOptions', () => {
  it('pools 3 connections by default (Exchange Online allows 3 per mailbox)', () => {
    expect(toNodemailerOptions(base)).toMatchObject({ pool: true, maxConnections: 3, host: 'smtp.office365.com', port: 587 });
  });

  it('maps TLS modes: starttls is required, implicit is secure from the first byte, none never upgrades', () => {
    expect(toNodemailerOptions(base)).toMatchObject({ secure: false, requireTLS: true, ignoreTLS: false });
    expect(toNodemailerOptions({ ...base, port: 465, tls: { mode: 'implicit' } })).toMatchObject({ secure: true, requireTLS: false });
    expect(toNodemailerOptions({ ...base, port: 25, tls: { mode: 'none' } })).toMatchObject({
      secure: false,
      requireTLS: false,
      ignoreTLS: true,
    });
  });

  it('passes the CA bundle and server name, and verifies certificates', () => {
    const options = toNodemailerOptions({ ...base, tls: { mode: 'starttls', ca: ['A', 'B'], servername: 'mail.example.com' } });
    expect(options.tls).toMatchObject({ ca: ['A', 'B'], rejectUnauthorized: true, minVersion: 'TLSv1.2' });
    expect(options.servername).toBe('mail.example.com');
  });

  it('turns a rate per minute into nodemailer rateLimit over a 60 s window, and maps timeouts', () => {
    const options = toNodemailerOptions({
      ...base,
      poolSize: 2,
      rateLimitPerMinute: 30,
      timeouts: { connectionMs: 1000 },
      clientName: 'app01',
    });
    expect(options).toMatchObject({
      maxConnections: 2,
      rateLimit: 30,
      rateDelta: 60_000,
      connectionTimeout: 1000,
      greetingTimeout: 30_000,
      name: 'app01',
    });
  });

  it('sets no rate limit and no auth when none is configured', () => {
    const options = toNodemailerOptions(base);
    expect(options.rateLimit).toBeUndefined();
    expect(options.auth).toBeUndefined();
    expect(options.forceAuth).toBeUndefined();
  });

  it("runs a forced password mechanism through Mailroom's handler too, which sends only what the server offers", () => {
    const options = toNodemailerOptions(
      { ...base, auth: { kind: 'direct', username: 'u', password: 'p', mechanism: 'CRAM-MD5' } },
      { password: handler },
    );
    expect(options.auth).toMatchObject({ type: 'custom', method: PASSWORD_AUTO_METHOD, user: 'u', pass: 'p' });
    expect(options.customAuth?.[PASSWORD_AUTO_METHOD]).toBe(handler);
    expect(options.forceAuth).toBe(true);
  });

  it("runs auto and OAuth2 through Mailroom's own SASL handlers", () => {
    const auto = toNodemailerOptions({ ...base, auth: { kind: 'direct', username: 'u', password: 'p' } }, { password: handler });
    expect(auto.auth).toMatchObject({ type: 'custom', method: PASSWORD_AUTO_METHOD, user: 'u', pass: 'p' });
    expect(auto.customAuth?.[PASSWORD_AUTO_METHOD]).toBe(handler);
    const oauth = toNodemailerOptions(
      { ...base, auth: { kind: 'oauth2', username: 'box@example.com', tokenUrl: 'https://t', clientId: 'c', clientSecret: 's' } },
      { xoauth2: handler },
    );
    expect(oauth.auth).toEqual({ type: 'custom', method: XOAUTH2_METHOD, user: 'box@example.com' });
    expect(oauth.customAuth?.[XOAUTH2_METHOD]).toBe(handler);
  });

  it('refuses credentials without TLS unless allowInsecureAuth, never naming the password', () => {
    const settings: SmtpSettings = { ...base, tls: { mode: 'none' }, auth: { kind: 'direct', username: 'u', password: 'hunter2-secret' } };
    let error: unknown;
    try {
      toNodemailerOptions(settings);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MailSendError);
    expect(error).toMatchObject({ failure: 'configuration', code: 'SEND.CONFIGURATION.INSECURE_AUTH' });
    expect((error as Error).message).not.toContain('hunter2-secret');
    expect(() => toNodemailerOptions({ ...settings, allowInsecureAuth: true })).not.toThrow();
  });

  it('refuses a pool size below 1', () => {
    expect(() => toNodemailerOptions({ ...base, poolSize: 0 })).toThrow(/pool size/);
  });
});
