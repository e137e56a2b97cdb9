/** How the connection is protected. */
export type SmtpTlsMode =
  /** TLS from the first byte (usual on port 465). */
  | 'implicit'
  /** Plain connect, then STARTTLS, required: the session fails if the server does not offer it (usual on 587). */
  | 'starttls'
  /** No TLS at all: only for a local relay or a development catcher. */
  | 'none';

export interface SmtpTlsSettings {
  readonly mode: SmtpTlsMode;
  /** PEM CA bundle to trust instead of the system's (a private CA, a TLS-inspecting proxy). */
  readonly ca?: string | readonly string[];
  /** Name expected in the server certificate (and sent as SNI) when it differs from `host`. */
  readonly servername?: string;
}

export type DirectAuthMechanism = 'auto' | 'PLAIN' | 'LOGIN' | 'CRAM-MD5';

/** One of the three ways to log in; a tagged union so impossible combinations cannot be written. */
export type SmtpAuth =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'direct';
      readonly username: string;
      readonly password: string;
      /** `auto` (default) tries what the server advertises, one after the other, and keeps the winner. */
      readonly mechanism?: DirectAuthMechanism;
    }
  | {
      readonly kind: 'oauth2';
      /** The mailbox the token acts for; sent as `user=` in XOAUTH2. */
      readonly username: string;
      readonly tokenUrl: string;
      readonly clientId: string;
      readonly clientSecret: string;
      /** Default: `https://outlook.office365.com/.default` for Microsoft token URLs; none otherwise. */
      readonly scope?: string;
      /** RFC 6749 client authentication for non-Microsoft token URLs: HTTP Basic (default) or form fields. */
      readonly clientAuth?: 'basic' | 'post';
    };

export interface SmtpTimeouts {
  /** TCP (and implicit TLS) connect. Default 30 s. */
  readonly connectionMs?: number;
  /** Waiting for the server's 220 greeting. Default 30 s. */
  readonly greetingMs?: number;
  /** Inactivity on an open connection. Default 60 s. */
  readonly socketMs?: number;
}

/** Everything the SMTP adapter needs, parsed and validated by the app; the adapter never reads the environment. */
export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  readonly tls: SmtpTlsSettings;
  readonly auth: SmtpAuth;
  /** Send credentials over a connection without TLS. Off by default: a password or token in clear text is refused. */
  readonly allowInsecureAuth?: boolean;
  /** Pooled connections. Default 3: Exchange Online allows 3 concurrent connections per mailbox (`432 4.3.2`). */
  readonly poolSize?: number;
  /** Messages per minute over the whole pool (Exchange Online: 30 per mailbox). Unlimited when unset. */
  readonly rateLimitPerMinute?: number;
  readonly timeouts?: SmtpTimeouts;
  /** Name sent with EHLO; defaults to this machine's host name. */
  readonly clientName?: string;
}

export const DEFAULT_POOL_SIZE = 3;
