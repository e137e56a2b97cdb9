import { DEFAULT_PAYLOAD_LIMITS, DEFAULT_RETENTION, isLinkPath, MAX_RETENTION_DAYS, RETENTION_BOUNDS } from '@mailroom/domain';
import { z } from 'zod';

/** The levels `log.level` takes (pino's). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const secret = z.string().min(1);
const hostName = z
  .string()
  .min(1)
  .regex(/^[^\s/:]+$|^\[[0-9a-fA-F:]+\]$/, 'must be a host name or IP address without scheme or port, e.g. "smtp.office365.com"');
const port = z.number().int().min(1).max(65535);
/** A page of the host's application, as a path on `links.baseUrl`. */
const linkPath = z.string().refine(isLinkPath, {
  error: 'must be a path on links.baseUrl starting with "/", e.g. "/me/notifications" (no spaces, "//", "." or ".." segments)',
});
/** Text shown in every mail: one line, so it cannot break the layout or a header. */
const oneLine = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[^\u0000-\u001f\u007f]*$/, { error: 'must be one line of text without line breaks or control characters' });

/** Days a final status is kept: 0 keeps it forever. */
const keptDays = z.number().int().min(0).max(MAX_RETENTION_DAYS);

/** Where `mailroom start` serves the admin API unless `admin.listen` says otherwise: loopback only. */
export const ADMIN_LISTEN_DEFAULT = '127.0.0.1:7780';

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
    tokenUrl: z.url({
      protocol: /^https?$/,
      error: 'must be an http(s) URL such as https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token',
    }),
    clientId: z.string().min(1),
    clientSecret: secret,
    scope: z.string().min(1).optional(),
    clientAuth: z.enum(['basic', 'post']).default('basic'),
  })
  .strict();

/**
 * A URL the pg driver can take apart, checked the way it parses (spaces and stray `%` encoded first, an empty
 * host allowed before a path). The URL holds the password: no message shows any of it.
 */
function checkDatabaseUrl(value: string, ctx: z.core.$RefinementCtx<string>): void {
  const example = 'postgres://user:password@db.example.com:5432/app';
  if (!/^postgres(ql)?:\/\//.test(value)) {
    ctx.addIssue({ code: 'custom', message: `must be a postgres:// URL such as ${example}` });
    return;
  }
  const encoded = / |%[^a-f0-9]|%[a-f0-9][^a-f0-9]/i.test(value) ? encodeURI(value).replace(/%25(\d\d)/g, '%$1') : value;
  for (const candidate of [encoded, encoded.replace('@/', '@localhost/')]) {
    try {
      new URL(candidate);
      return;
    } catch {
      // not a URL this way; try the next, as the driver does
    }
  }
  ctx.addIssue({
    code: 'custom',
    message: `is not a URL the PostgreSQL driver can read (not shown: it may hold a password); write ${example}, with a port of 1 to 65535 and @ : / # ? in the user name or password percent-encoded (%40 %3A %2F %23 %3F)`,
  });
}

export const smtpSchema = z
  .object({
    host: hostName,
    port: port.optional(),
    /** `implicit`: TLS from the first byte (465); `starttls`: required upgrade (587); `none`: plain. */
    tls: z.enum(['implicit', 'starttls', 'none']).default('starttls'),
    /** PEM file with the CA bundle that signs the server's certificate (private CAs). */
    caFile: z.string().min(1).optional(),
    /** The CA bundle itself, PEM text (what an admin pastes into the admin page); instead of `caFile`. */
    ca: z
      .string()
      .regex(/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/, {
        error: 'must be PEM text with one or more -----BEGIN CERTIFICATE----- blocks',
      })
      .optional(),
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
        url: z.string().superRefine(checkDatabaseUrl).optional(),
        /** Schema that holds Mailroom's tables, beside the host's own. */
        schema: z
          .string()
          .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier such as "mailroom"')
          .default('mailroom'),
        poolSize: z.number().int().min(1).max(100).default(10),
        /** Connecting, or waiting for a free pooled connection, gives up after this (Mailroom's own pool). */
        connectTimeoutMs: z.number().int().min(100).default(5_000),
        /** Longest one database call may take, on any pool; then a DatabaseUnavailableError. */
        queryTimeoutMs: z.number().int().min(100).default(10_000),
        embedded: z
          .object({
            dataDir: z.string().min(1).default('.mailroom/postgres'),
            port: port.optional(),
          })
          .strict()
          .default({ dataDir: '.mailroom/postgres' }),
      })
      .strict()
      .default({
        schema: 'mailroom',
        poolSize: 10,
        connectTimeoutMs: 5_000,
        queryTimeoutMs: 10_000,
        embedded: { dataDir: '.mailroom/postgres' },
      }),
    /** Absent: the development mail catcher on 127.0.0.1. */
    smtp: smtpSchema.optional(),
    /** `name` unset: the mails go out under `brand.productName`, or the address alone. */
    from: z
      .object({ address: z.string().min(3), name: z.string().optional() })
      .strict()
      .default({ address: 'mailroom@localhost.localdomain' }),
    links: z
      .object({
        // A default here too: a page's path set alone (an admin, a variable) must not make the base URL missing.
        baseUrl: z
          .url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL such as https://idm.example.com/' })
          .default('http://localhost:8080/'),
        /** The host's page listing a user's notifications; digests link to it only when it is set. */
        notificationsPath: linkPath.optional(),
        /** The host's page where a user manages their notifications; every mail's footer links to it when set. */
        preferencesPath: linkPath.optional(),
        /** Where the public handler's unsubscribe route is reached; unset: `/unsubscribe` (its basePath at the root). */
        unsubscribePath: linkPath.optional(),
      })
      .strict()
      .default({ baseUrl: 'http://localhost:8080/' }),
    subjectPrefix: z.string().max(50).default(''),
    /** How the host names itself in every mail. Unset: the mails name no product (never "Mailroom"). */
    brand: z
      .object({
        /** The product, in every mail's header and footer and in the digest's subject, e.g. "Acme IDM". */
        productName: oneLine(80).optional(),
        /** One line at the foot of every mail, e.g. "Acme Corp · Internal use only". */
        footer: oneLine(300).optional(),
      })
      .strict()
      .default({}),
    unsubscribe: z
      .object({
        /**
         * Signs the one-click unsubscribe links (HMAC-SHA256): 32 bytes as 64 hex digits or base64, the same on every
         * node. Unset: derived from MAILROOM_SECRET_KEY when that is set; without either, mails carry no unsubscribe link.
         */
        key: secret.optional(),
        /** How long an unsubscribe link works after its mail was sent. */
        validDays: z.number().int().min(1).max(3650).default(60),
      })
      .strict()
      .default({ validDays: 60 }),
    suppression: z
      .object({
        /** Addresses whose mailbox does not exist (a permanent 5.1.1-like failure) get no more mail. */
        enabled: z.boolean().default(true),
      })
      .strict()
      .default({ enabled: true }),
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
    retention: z
      .object({
        /** Per final status, days a row is kept after it was last due (created or retried); 0 keeps it forever. */
        days: z
          .object({
            sent: keptDays.default(DEFAULT_RETENTION.days.sent),
            digested: keptDays.default(DEFAULT_RETENTION.days.digested),
            skipped: keptDays.default(DEFAULT_RETENTION.days.skipped),
            suppressed: keptDays.default(DEFAULT_RETENTION.days.suppressed),
            dead: keptDays.default(DEFAULT_RETENTION.days.dead),
          })
          .strict()
          .default(DEFAULT_RETENTION.days),
        /** Minutes between two purges of a node (the first shortly after the worker starts); one node purges at a time. */
        intervalMinutes: z
          .number()
          .int()
          .min(RETENTION_BOUNDS.intervalMinutes.min)
          .max(RETENTION_BOUNDS.intervalMinutes.max)
          .default(DEFAULT_RETENTION.intervalMinutes),
        /** Rows one delete statement removes at most. */
        batchSize: z
          .number()
          .int()
          .min(RETENTION_BOUNDS.batchSize.min)
          .max(RETENTION_BOUNDS.batchSize.max)
          .default(DEFAULT_RETENTION.batchSize),
        /** Wait between two delete statements. */
        pauseMs: z.number().int().min(RETENTION_BOUNDS.pauseMs.min).max(RETENTION_BOUNDS.pauseMs.max).default(DEFAULT_RETENTION.pauseMs),
      })
      .strict()
      .default(DEFAULT_RETENTION),
    worker: z
      .object({
        batchSize: z.number().int().min(1).max(1000).default(100),
        /** A claim lasts this long unless its worker's heartbeat (every third of it) extends it. */
        leaseSeconds: z.number().int().min(3).max(3600).default(60),
        pollIntervalMs: z.number().int().min(50).default(5000),
        /** `stop()`: sends in flight get this long, then their claims go back and the connections close. */
        stopDeadlineMs: z.number().int().min(100).max(600_000).default(20_000),
      })
      .strict()
      .default({ batchSize: 100, leaseSeconds: 60, pollIntervalMs: 5000, stopDeadlineMs: 20_000 }),
    templates: z
      .object({ directory: z.string().min(1).optional() })
      .strict()
      .default({}),
    catcher: z
      .object({ port: port.default(2525), dir: z.string().min(1).default('.mailroom/inbox') })
      .strict()
      .default({ port: 2525, dir: '.mailroom/inbox' }),
    admin: z
      .object({
        /** Where `mailroom start` serves the admin API: `host:port`; anything but loopback needs `admin.token`. */
        listen: z
          .string()
          .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, { error: 'must be host:port, e.g. 127.0.0.1:7780 or 0.0.0.0:7780' })
          .default(ADMIN_LISTEN_DEFAULT),
        /** Bearer token for the admin API of `mailroom start` (at least 24 characters); required off loopback. */
        token: z.string().min(24, { error: 'must be at least 24 characters (e.g. openssl rand -base64 32)' }).optional(),
      })
      .strict()
      .default({ listen: ADMIN_LISTEN_DEFAULT }),
    limits: z
      .object({
        /** Largest payload of a notification or published event, in bytes of its JSON; larger ones are refused. */
        payloadBytes: z
          .number()
          .int()
          .min(1024)
          .max(16 * 1024 * 1024)
          .default(DEFAULT_PAYLOAD_LIMITS.maxBytes),
      })
      .strict()
      .default({ payloadBytes: DEFAULT_PAYLOAD_LIMITS.maxBytes }),
    log: z
      .object({
        /**
         * Unset: `info` for a host and `mailroom start`; the one-shot commands (send-test, notify, …) then log nothing,
         * so their output is the result and the error alone.
         */
        level: z.enum(LOG_LEVELS).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

/** Configuration as a host or file writes it (defaults may be left out). */
export type MailroomConfigInput = z.input<typeof configSchema>;
/** Configuration after validation, with every default filled in. */
export type MailroomConfig = z.output<typeof configSchema>;
export type SmtpConfig = z.output<typeof smtpSchema>;
