import { readFileSync } from 'node:fs';
import type { SmtpSettings } from '@mailroom/adapters';
import type { SmtpConfig } from '../config';
import { ConfigError } from '../config';

/** The port an admin most likely means when they leave it out. */
export function defaultPort(tls: SmtpConfig['tls']): number {
  return tls === 'implicit' ? 465 : tls === 'starttls' ? 587 : 25;
}

/** The SMTP adapter's settings from the validated configuration (reads the CA bundle file). */
export function toSmtpSettings(smtp: SmtpConfig): SmtpSettings {
  let ca: string | undefined = smtp.ca;
  if (!ca && smtp.caFile) {
    try {
      ca = readFileSync(smtp.caFile, 'utf8');
    } catch (cause) {
      throw new ConfigError([
        {
          setting: 'smtp.caFile',
          problem: `cannot read ${smtp.caFile} (${(cause as NodeJS.ErrnoException).code ?? 'error'}); give the path of a PEM file`,
        },
      ]);
    }
  }
  const auth = smtp.auth;
  return {
    host: smtp.host,
    port: smtp.port ?? defaultPort(smtp.tls),
    tls: { mode: smtp.tls, ...(ca ? { ca } : {}), ...(smtp.servername ? { servername: smtp.servername } : {}) },
    auth:
      auth.type === 'none'
        ? { kind: 'none' }
        : auth.type === 'direct'
          ? { kind: 'direct', username: auth.username, password: auth.password, mechanism: auth.mechanism }
          : {
              kind: 'oauth2',
              username: auth.username,
              tokenUrl: auth.tokenUrl,
              clientId: auth.clientId,
              clientSecret: auth.clientSecret,
              clientAuth: auth.clientAuth,
              ...(auth.scope ? { scope: auth.scope } : {}),
            },
    allowInsecureAuth: smtp.allowInsecureAuth,
    poolSize: smtp.poolSize,
    // The per-minute limit is counted in the database (SendQuota) so it holds across processes.
    timeouts: { connectionMs: smtp.connectionTimeoutMs, greetingMs: smtp.connectionTimeoutMs, socketMs: smtp.socketTimeoutMs },
  };
}
