import { z } from 'zod';

const secret = z.string().min(1);
const hostName = z.string().min(1).regex(/^[^\s/:]+$|^\[[0-9a-fA-F:]+\]$/, 'must be a host name or IP address without scheme or port, e.g. "smtp.office365.com"');
const port = z.number().int().min(1).max(65535);

const authNone = z.object({ type: z.literal('none') }).strict();
const authDirect = z
  .object({
    type: z.literal('direct'),
    username: z.string().min(1),
    password: secret,
    mechanism: z.enum(['auto', 'PLAIN', 'LOGIN', 'CRAM-MD5']).default('auto'),
  })
  .strict();
const authOAuth2 = z
  .object({
    type: z.literal('oauth2'),
    /** The mailbox that sends (XOAUTH2 user). */
    username: z.string().min(1),
    tokenUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token' }),
    clientId: z.string().min(1),
    clientSecret: secret,
    scope: z.string().min(1).optional(),
    clientAuth: z.enum(['basic', 'post']).default('basic'),
  })
  .strict();

export const smtpSchema = z
  .object({
    host: hostName,
    port: port.optional(),
    /** `implicit`: TLS from the first byte (465); `starttls`: required upgrade (587); `none`: plain. */
    tls: z.enum(['implicit', 'starttls', 'none']).default('starttls'),
    /** PEM file with the CA bundle that signs the server's certificate (private CAs). */
    caFile: z.string().min(1).optional(),
    /** Name to check the certificate against when it differs from `host`. */
    servername: z.string().min(1).optional(),
    /** Connections in the pool. Exchange Online allows 3 per mailbox. */
    poolSize: z.number().int().min(1).max(50).default(3),
    /** Messages per minute across all Mailroom processes (Exchange Online: 30 per mailbox). */
    rateLimitPerMinute: z.number().int().min(1).optional(),
    connectionTimeoutMs: z.number().int().min(100).default(30_000),
    socketTimeoutMs: z.number().int().min(100).default(60_000),
    /** Allow credentials over a connection without TLS (never on the internet). */
    allowInsecureAuth: z.boolean().default(false),
    auth: z.discriminatedUnion('type', [authNone, authDirect, authOAuth2]).default({ type: 'none' }),
  })
  .strict();

export const configSchema = z
  .object({
    database: z
      .object({
        /** postgres://user:password@host:5432/db. Empty: the embedded PostgreSQL. */
        url: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
        /** Schema that holds Mailroom's tables, beside the host's own. */
        schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier such as "mailroom"').default('mailroom'),
        poolSize: z.number().int().min(1).max(100).default(10),
        embedded: z
          .object({
            dataDir: z.string().min(1).default('.mailroom/postgres'),
            port: port.optional(),
          })
          .strict()
          .default({ dataDir: '.mailroom/postgres' }),
      })
      .strict()
      .default({ schema: 'mailroom', poolSize: 10, embedded: { dataDir: '.mailroom/postgres' } }),
    /** Absent: the development mail catcher on 127.0.0.1. */
    smtp: smtpSchema.optional(),
    from: z
      .object({ address: z.string().min(3), name: z.string().optional() })
      .strict()
      .default({ address: 'mailroom@localhost.localdomain', name: 'Mailroom' }),
    links: z
      .object({ baseUrl: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL such as https://idm.example.com/' }) })
      .strict()
      .default({ baseUrl: 'http://localhost:8080/' }),
    subjectPrefix: z.string().max(50).default(''),
    digest: z
      .object({
        intervalMinutes: z.number().int().min(1).max(10_080).default(60),
        maxItems: z.number().int().min(1).max(1000).default(20),
      })
      .strict()
      .default({ intervalMinutes: 60, maxItems: 20 }),
    retry: z
      .object({
        initialDelaySeconds: z.number().min(1).default(60),
        maxDelaySeconds: z.number().min(1).default(3600),
        maxAttempts: z.number().int().min(1).max(100).default(10),
      })
      .strict()
      .default({ initialDelaySeconds: 60, maxDelaySeconds: 3600, maxAttempts: 10 }),
    worker: z
      .object({
        batchSize: z.number().int().min(1).max(1000).default(100),
        leaseSeconds: z.number().int().min(10).default(300),
        pollIntervalMs: z.number().int().min(50).default(5000),
      })
      .strict()
      .default({ batchSize: 100, leaseSeconds: 300, pollIntervalMs: 5000 }),
    templates: z.object({ directory: z.string().min(1).optional() }).strict().default({}),
    catcher: z
      .object({ port: port.default(2525), dir: z.string().min(1).default('.mailroom/inbox') })
      .strict()
      .default({ port: 2525, dir: '.mailroom/inbox' }),
    log: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
      .strict()
      .default({ level: 'info' }),
  })
  .strict();

/** Configuration as a host or file writes it (defaults may be left out). */
export type MailroomConfigInput = z.input<typeof configSchema>;
/** Configuration after validation, with every default filled in. */
export type MailroomConfig = z.output<typeof configSchema>;
export type SmtpConfig = z.output<typeof smtpSchema>;
