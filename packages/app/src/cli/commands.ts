import { randomUUID } from 'node:crypto';
import { collectDefaultMetrics } from 'prom-client';
import { readFileSync } from 'node:fs';
import { MailroomError, NOTIFICATION_STATUSES, NotFoundError, type Notification } from '@mailroom/domain';
import { createMailroom, type MailroomOptions } from '../create-mailroom';
import { loadConfig, loadStartConfig, redactConfig, type MailroomConfig } from '../config';
import type { MailroomSettings } from '../settings/mailroom-settings';
import { openSettings } from '../settings/open-settings';
import { serveAdmin } from '../admin/serve-admin';
import { readCaughtMail } from '../catcher/mail-catcher';
import { Resources } from '../container/resources';
import { smtpSender } from '../container/smtp-module';
import { catcherSmtp } from '../dev-services';
import { refuseDevelopmentDefaults } from '../development-defaults';
import type { Mailroom } from '../mailroom';
import { testMail } from '../test-mail';
import { pinoLog, type Log } from '../logging/log';
import { cliLogger } from './cli-logger';
import { Output, table } from './output';

export interface GlobalOptions {
  readonly config?: string;
  readonly json?: boolean;
  /** Allow the development defaults under NODE_ENV=production (also MAILROOM_DEVELOPMENT=true). */
  readonly development?: boolean;
}

/**
 * The configuration and logger of one command, and whether it may use the development defaults (an embedded
 * PostgreSQL, the mail catcher). On a developer's machine it may; under NODE_ENV=production only when asked with
 * --development or MAILROOM_DEVELOPMENT=true, so a production server missing a setting fails instead of sending its
 * mail nowhere. Refused, it throws the ConfigError naming the missing settings and the way to ask.
 */
function commandSetup(
  global: GlobalOptions,
  command: 'start' | 'one-shot',
  needs: { database: boolean; smtp?: boolean },
): { config: MailroomConfig; logger: Log; options: MailroomOptions } {
  const { config } = loadStartConfig(global.config ? { file: global.config } : {});
  const pino = cliLogger(config, command);
  const asked = global.development === true || /^(true|1|yes)$/i.test(process.env.MAILROOM_DEVELOPMENT ?? '');
  const development = asked || process.env.NODE_ENV !== 'production';
  if (!development) {
    refuseDevelopmentDefaults(config, {
      needsDatabaseUrl: needs.database,
      optIn: 'run with --development or MAILROOM_DEVELOPMENT=true (NODE_ENV is production, which turns the development defaults off)',
      // Commands that read the stored settings check the SMTP server once they are read (createMailroom does).
      smtp: needs.smtp ?? !needs.database,
    });
  }
  return {
    config,
    logger: pinoLog(pino),
    options: { ...(global.config ? { configFile: global.config } : {}), logger: pino, development },
  };
}

/** Runs `fn` on a Mailroom built for one command (migrated, no worker, no catcher started), stopped afterwards. */
export async function withMailroom<T>(
  global: GlobalOptions,
  fn: (m: Mailroom) => Promise<T>,
  extra: Partial<MailroomOptions> = {},
): Promise<T> {
  const { options } = commandSetup(global, 'one-shot', { database: true });
  const mailroom = await createMailroom({ ...options, startCatcher: false, ...extra });
  try {
    return await fn(mailroom);
  } finally {
    await mailroom.stop();
  }
}

/**
 * Runs `fn` on the stored settings alone (`mailroom settings …`): the database, no SMTP pool, no templates, so it also
 * works on a server whose SMTP settings are what the admin is about to save.
 */
export async function withSettings<T>(global: GlobalOptions, fn: (settings: MailroomSettings) => Promise<T>): Promise<T> {
  const { options } = commandSetup(global, 'one-shot', { database: true, smtp: false });
  const opened = await openSettings(options);
  try {
    return await fn(opened.settings);
  } finally {
    await opened.close();
  }
}

/** `mailroom start`: migrate, run the worker until SIGINT/SIGTERM. */
export async function start(global: GlobalOptions, out: Output): Promise<void> {
  const { options, config, logger } = commandSetup(global, 'start', { database: true });
  const mailroom = await createMailroom({ ...options, startCatcher: true, onMigrationProgress: migrationProgress(out) });
  // The admin API next to the worker: loopback without a token, anything else only with admin.token (a bearer token).
  const { token } = config.admin;
  // This process is Mailroom's own: its Node.js process metrics (CPU, memory, event loop) go next to Mailroom's.
  collectDefaultMetrics({ register: mailroom.metrics.registry });
  const admin = await serveAdmin(
    mailroom.adminHandler({ authorize: async () => ({ id: token === undefined ? 'admin (loopback)' : 'admin (token)' }) }),
    {
      listen: config.admin.listen,
      ...(token !== undefined ? { token } : {}),
      logger,
      // /metrics with the admin token when one is set (off loopback it must be); /healthz and /readyz open for probes.
      ops: mailroom.opsHandler(token !== undefined ? { metricsToken: token } : {}),
    },
  ).catch(async (error: unknown) => {
    await mailroom.stop();
    throw error;
  });
  mailroom.start();
  const { setup } = mailroom;
  const result = {
    ok: true,
    database: setup.database,
    smtp: setup.smtp,
    catcherPort: setup.catcherPort ?? null,
    admin: admin.url,
    metrics: `${admin.url}/metrics`,
  };
  out.result({ ...result, console: `${admin.url}/console/` }, () =>
    [
      'Mailroom is running.',
      `  database: ${setup.database}`,
      `  smtp:     ${setup.smtp}`,
      ...(setup.catcherPort !== undefined
        ? ['  Every mail is caught locally, none leaves this machine. Read them with: pnpm mailroom inbox']
        : []),
      `  links:    ${mailroom.config.links.baseUrl}`,
      `  console:  ${admin.url}/console/ (${token === undefined ? 'loopback only' : 'bearer token required'})`,
      `  admin:    ${admin.url} (the JSON API; routes in ${admin.url}/openapi.json)`,
      `  metrics:  ${admin.url}/metrics (${token === undefined ? 'loopback only' : 'bearer token required'}); probes: ${admin.url}/healthz, ${admin.url}/readyz`,
      'Stop with Ctrl+C.',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      out.note(`${signal}: finishing mails in flight (at most ${mailroom.config.worker.stopDeadlineMs} ms)…`);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      Promise.all([admin.close(), mailroom.stop()]).then(
        () => resolve(),
        (error: unknown) => {
          out.error(`stopping failed: ${(error as Error).message}`);
          process.exitCode = 1;
          resolve();
        },
      );
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
  // The CLI exits once this returns: a connection left behind at the deadline cannot keep the process alive.
  out.note('Mailroom stopped.');
}

/** `mailroom migrate`: bring the schema up to date, then exit. */
export async function migrate(global: GlobalOptions, out: Output): Promise<void> {
  out.note('Migrating…');
  const applied: string[] = [];
  await withMailroom(
    global,
    async (m) => {
      out.result(
        { ok: true, database: (m as Mailroom & { setup: { database: string } }).setup.database, applied },
        applied.length === 0
          ? 'The database schema was already up to date.'
          : `The database schema is up to date (${applied.length} migration${applied.length === 1 ? '' : 's'} applied).`,
      );
    },
    { onMigrationProgress: migrationProgress(out, applied) },
  );
}

/** Each migration as it starts, for `migrate` and `start`; `applied` collects the ones that finished. */
function migrationProgress(out: Output, applied: string[] = []): MailroomOptions['onMigrationProgress'] {
  let previous: string | undefined;
  return ({ done, total, running }) => {
    if (previous !== undefined) applied.push(previous);
    previous = running;
    out.progress('migrating', done, total, running);
  };
}

/**
 * `mailroom send-test`: one mail straight through the SMTP server, built from the SMTP settings alone — no database,
 * no migrations (like `doctor`). Without SMTP settings (development) it goes to the running mail catcher, or to one
 * started for it.
 */
export async function sendTest(global: GlobalOptions, out: Output, to: string): Promise<void> {
  const { config, logger } = commandSetup(global, 'one-shot', { database: false });
  const mail = testMail(config, to, new Date(), randomUUID()); // an invalid recipient fails before anything opens
  const resources = new Resources();
  try {
    const smtp = config.smtp ?? (await catcherSmtp(config, resources, logger, false)).smtp;
    const sender = smtpSender(smtp, logger);
    resources.add('SMTP pool', () => sender.close());
    const receipt = await sender.send(mail);
    out.result({ ok: true, ...receipt }, () =>
      [
        `Test mail accepted for ${receipt.accepted.join(', ')}.`,
        `  Message-ID: <${receipt.messageId}>`,
        `  Server:     ${receipt.response ?? ''}`,
      ].join('\n'),
    );
  } finally {
    await resources.closeAll();
  }
}

export async function outbox(
  global: GlobalOptions,
  out: Output,
  options: { dead?: boolean; retry?: string[]; retryAll?: boolean; limit?: string },
): Promise<void> {
  await withMailroom(global, async (m) => {
    if (options.retryAll || (options.retry && options.retry.length > 0)) {
      out.note('Putting dead letters back in line…');
      const count = await m.outbox.retryDead(options.retryAll ? 'all' : options.retry!, {
        onProgress: ({ done, total }) => out.progress('retrying dead letters', done, total),
      });
      out.result({ ok: true, retried: count }, `${count} dead letter${count === 1 ? '' : 's'} will be sent again.`);
      return;
    }
    const counts = await m.outbox.counts();
    const dead = options.dead ? await m.outbox.list({ status: 'dead', limit: Number(options.limit ?? 50) }) : [];
    out.result({ ok: true, counts, ...(options.dead ? { dead: dead.map(deadLetterJson) } : {}) }, () => {
      const lines = [table(NOTIFICATION_STATUSES.map((s) => [s, String(counts[s])]))];
      if (options.dead) {
        lines.push(
          '',
          dead.length === 0
            ? 'No dead letters.'
            : table([
                ['id', 'kind', 'to', 'reason'],
                ...dead.map((n) => [n.id, n.kind, n.recipient.email.address, n.lastError?.message ?? '']),
              ]),
        );
        if (dead.length > 0) lines.push('', 'Retry with: mailroom outbox --retry <id> … or --retry-all');
      }
      return lines.join('\n');
    });
  });
}

function deadLetterJson(n: Notification) {
  return { id: n.id, kind: n.kind, to: n.recipient.email.address, attempts: n.attempts, createdAt: n.createdAt, error: n.lastError };
}

export async function inbox(global: GlobalOptions, out: Output, options: { limit?: string }): Promise<void> {
  const { config } = loadConfig(global.config ? { file: global.config } : {});
  const mails = await readCaughtMail(config.catcher.dir, Number(options.limit ?? 20));
  out.result({ ok: true, dir: config.catcher.dir, mails }, () =>
    mails.length === 0
      ? `The development mail catcher holds no mail (folder ${config.catcher.dir}).`
      : table([['received', 'to', 'subject'], ...mails.map((m) => [m.receivedAt.toISOString(), m.to.join(', '), m.subject])]),
  );
}

/** `mailroom notify`: one notification from the command line (scripts, smoke tests). */
export async function notify(
  global: GlobalOptions,
  out: Output,
  options: { kind: string; to: string; user?: string; name?: string; payload?: string; payloadFile?: string; digest?: boolean },
): Promise<void> {
  let payload: unknown;
  try {
    payload = JSON.parse(options.payloadFile ? readFileSync(options.payloadFile, 'utf8') : (options.payload ?? '{}'));
  } catch (error) {
    throw new MailroomError('CLI.INVALID_PAYLOAD', `--payload must be JSON (${(error as Error).message})`);
  }
  // The kind comes from the command line: any string here, checked against the registered kinds at run time.
  await withMailroom(global, async (m: Mailroom<string>) => {
    const id = await m.notify({
      kind: options.kind,
      recipient: { userId: options.user ?? options.to, address: options.to, ...(options.name ? { name: options.name } : {}) },
      payload: payload as Record<string, unknown>,
      delivery: options.digest ? 'digest' : 'immediate',
    });
    out.result({ ok: true, id }, `Notification ${id} is in the outbox.`);
  });
}

export async function showConfig(global: GlobalOptions, out: Output): Promise<void> {
  const { config, warnings, file } = loadConfig(global.config ? { file: global.config } : {});
  out.result({ ok: true, file: file ?? null, config: redactConfig(config), warnings }, () =>
    [
      `# ${file ?? 'no configuration file; defaults and MAILROOM_ variables'}`,
      JSON.stringify(redactConfig(config), null, 2),
      ...warnings.map((w) => `warning: ${w}`),
    ].join('\n'),
  );
}

/** `mailroom suppressions`: the addresses that get no mail; `--remove ADDRESS` takes one off, `--clear` all. */
export async function suppressions(
  global: GlobalOptions,
  out: Output,
  options: { remove?: string; clear?: boolean; limit?: string },
): Promise<void> {
  await withMailroom(global, async (m) => {
    if (options.clear) {
      const cleared = await m.suppressions.clear();
      out.result({ ok: true, cleared }, `${cleared} address${cleared === 1 ? '' : 'es'} taken off the suppression list.`);
      return;
    }
    if (options.remove !== undefined) {
      if (!(await m.suppressions.remove(options.remove))) {
        throw new NotFoundError('SUPPRESSION.NOT_FOUND', `${options.remove} is not on the suppression list.`);
      }
      out.result({ ok: true, removed: options.remove }, `${options.remove} is off the suppression list: mail to it goes out again.`);
      return;
    }
    const list = await m.suppressions.list({ limit: Number(options.limit ?? 50) });
    out.result({ ok: true, suppressions: list }, () =>
      list.length === 0
        ? 'No address is suppressed.'
        : table([['address', 'since', 'reason'], ...list.map((e) => [e.address, e.suppressedAt.toISOString(), e.reason])]),
    );
  });
}
