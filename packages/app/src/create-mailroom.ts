import { resolve } from 'node:path';
import type { Container } from 'inversify';
import type { MigrationProgress } from '@mailroom/adapters';
import type { KindDefinition } from '@mailroom/domain';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { ConfigError, loadConfig, loadStartConfig, type LoadOptions, type MailroomConfigInput } from './config';
import { baseModule } from './container/base-module';
import { composeContainer } from './container/compose';
import { coreModule, kindRegistry } from './container/core-module';
import { opsModule } from './container/ops-module';
import { resolveMailroomParts } from './container/mailroom-parts';
import { postgresModule } from './container/postgres-module';
import { Resources } from './container/resources';
import { settingsModule } from './container/settings-module';
import { smtpModule } from './container/smtp-module';
import { TOKENS } from './container/tokens';
import { buildRenderer, templatesModule, type TemplateOptions } from './container/templates-module';
import { refuseDevelopmentDefaults } from './development-defaults';
import { createLog } from './logger';
import { logOf } from './logging/log';
import type { Logger } from './logging/logger';
import { Mailroom } from './mailroom';
import { secretKeysFromEnvironment } from './settings/secret-keys';
import { unsubscribeTokens } from './settings/unsubscribe-key';

/** What `createMailroom` takes; `HostKinds` are the names of the host's `kinds`, inferred from them. */
export interface MailroomOptions<HostKinds extends string = never> extends TemplateOptions {
  /** Settings in code; a configuration file and `MAILROOM_…` variables still apply (variables win). */
  readonly config?: MailroomConfigInput;
  /** A configuration file to read (default: `MAILROOM_CONFIG`, then `./mailroom.config.json` if present). */
  readonly configFile?: string;
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Settings admins may not change at run time, though they could (paths, or groups such as `smtp` or `smtp.auth`):
   * the host's own value (`config`, the file, a variable) stays in force, and the admin API shows them read-only.
   */
  readonly lockedSettings?: readonly string[];
  readonly cwd?: string;
  /**
   * The host's own kinds, with their validation (templates come through `templates` or the template directory).
   * Their names become the `HostKinds` that `notify` and `publish` accept: write them inline or typed as
   * `KindDefinition<'acme.report-ready'>` (a plain `KindDefinition` widens the name to any string).
   */
  readonly kinds?: readonly KindDefinition<HostKinds>[];
  /** The host's own TypeORM DataSource (PostgreSQL): Mailroom keeps its tables in its own schema there. */
  readonly dataSource?: DataSource;
  /** Or the host's own `pg` Pool: Mailroom borrows its connections (and leaves it open on stop). */
  readonly pool?: Pool;
  /**
   * Where Mailroom logs (default: JSON lines on stderr at `log.level`): any logger with `debug`, `info`, `warn` and
   * `error` taking `(message, fields)`, or a pino logger. Mailroom calls only those four methods, at and above
   * `log.level`, with secrets masked.
   */
  readonly logger?: Logger;
  /**
   * Where Mailroom's Prometheus metrics go: the host's prom-client `registry` (next to its own metrics), else a
   * registry of Mailroom's own, read at `mailroom.metrics.registry` or served by `mailroom.opsHandler()`.
   */
  readonly metrics?: { readonly registry?: Registry };
  /** Run the migrations at start (default true). */
  readonly migrate?: boolean;
  /** Told before each migration runs and once when all are done (not at all when none is pending). */
  readonly onMigrationProgress?: (progress: MigrationProgress) => void;
  /**
   * The development defaults, for a developer's machine: without `database.url` (and no `dataSource` or `pool`) an
   * embedded PostgreSQL started in this process, without `smtp` the development mail catcher, which keeps every mail
   * in `catcher.dir` and sends none. Default false: then a missing `database.url` or `smtp.host` is a ConfigError.
   */
  readonly development?: boolean;
  /** With `development` and no SMTP settings: start the catcher in this process even if another process runs one (default true). */
  readonly startCatcher?: boolean;
  /**
   * Replace any binding before anything is opened or built (tests, hosts with their own adapters): the database,
   * the SMTP pool and the worker are made only after this returns, from the bindings it leaves.
   */
  readonly configure?: (container: Container) => void | Promise<void>;
}

/** How to ask for the development defaults, as refusals say it (a host, or the command line). */
const DEVELOPMENT_OPT_IN = 'pass createMailroom({ development: true }) (the mailroom command: --development or MAILROOM_DEVELOPMENT=true)';

/** What the assembled Mailroom runs on, for `mailroom start` to print. */
export interface MailroomSetup {
  readonly database: string;
  readonly smtp: string;
  readonly catcherPort?: number;
  readonly warnings: readonly string[];
}

/**
 * Mailroom for a host monolith: validated configuration, the templates (every kind must have them), the database
 * (URL, the host's DataSource or pool; the embedded PostgreSQL only with `development`), migrations, the SMTP sender
 * (the development catcher only with `development`). Call `start()` to run the worker in this process. When it
 * fails, everything it opened is closed again before the error is thrown.
 */
export async function createMailroom<HostKinds extends string = never>(
  options: MailroomOptions<HostKinds> = {},
): Promise<Mailroom<HostKinds> & { readonly setup: MailroomSetup }> {
  const layers: LoadOptions = {
    ...(options.lockedSettings ? { locked: options.lockedSettings } : {}),
    ...(options.configFile ? { file: options.configFile } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    overrides: options.config,
  };
  const { config: loaded, warnings } = loadStartConfig(layers);
  const secretKeys = secretKeysFromEnvironment(options.env ?? process.env, options.cwd ?? process.cwd());
  const box = secretKeys.box;
  const unsubscribe = unsubscribeTokens(loaded, secretKeys);
  if (options.dataSource && options.pool) {
    throw new ConfigError([
      {
        setting: 'database',
        problem: 'both a DataSource and a pg Pool were given: pass one of them (dataSource or pool), Mailroom uses one connection setup',
      },
    ]);
  }
  if (!options.development) {
    refuseDevelopmentDefaults(loaded, {
      needsDatabaseUrl: !options.dataSource && !options.pool,
      optIn: DEVELOPMENT_OPT_IN,
      host: true,
      smtp: false, // checked once the stored settings are read: an admin may have saved the server
    });
  }
  const kinds = kindRegistry(options.kinds);
  // Before anything is opened: a broken template or a kind without templates needs nothing closed.
  const renderer = await buildRenderer(loaded, kinds, options);
  const level = loaded.log.level ?? 'info';
  const logger = options.logger ? logOf(options.logger, level) : createLog(level);
  for (const w of warnings) logger.warn(w);
  const resources = new Resources();
  resources.add('log', () => logger.flush());
  try {
    // The composition root: modules bind, the host replaces what it wants, then everything is resolved once.
    const container = composeContainer(
      baseModule(loaded, logger, resources),
      coreModule(loaded, kinds, unsubscribe),
      opsModule(options.metrics?.registry ? { registry: options.metrics.registry } : {}),
      templatesModule(renderer),
      smtpModule(
        loaded,
        {
          ...(options.startCatcher !== undefined ? { startCatcher: options.startCatcher } : {}),
          ...(options.development ? {} : { refuseCatcher: DEVELOPMENT_OPT_IN }),
        },
        resources,
        logger,
      ),
      settingsModule(
        {
          startConfig: loaded,
          load: (stored) => loadConfig({ ...layers, stored }),
          box,
          buildRenderer: (config, stored) => buildRenderer(config, kinds, options, stored),
        },
        logger,
      ),
      postgresModule(
        loaded,
        {
          host: { ...(options.dataSource ? { dataSource: options.dataSource } : {}), ...(options.pool ? { pool: options.pool } : {}) },
          ...(options.migrate !== undefined ? { migrate: options.migrate } : {}),
          ...(options.onMigrationProgress ? { onMigrationProgress: options.onMigrationProgress } : {}),
        },
        resources,
        logger,
      ),
    );
    await options.configure?.(container);
    const parts = await resolveMailroomParts(container);
    const database = await container.getAsync(TOKENS.Database);
    const smtp = (await container.getAsync(TOKENS.SmtpConfig))!;
    const caught = !parts.runtime.config.smtp;
    const catcherDir = caught ? { catcherDir: resolve(loaded.catcher.dir) } : {};
    const mailroom = new Mailroom<HostKinds>(parts, catcherDir) as Mailroom<HostKinds> & { setup: MailroomSetup };
    mailroom.setup = {
      database: database.description,
      smtp: caught
        ? `development mail catcher on 127.0.0.1:${smtp.port}, mails kept in ${loaded.catcher.dir}`
        : `${smtp.host}:${smtp.port ?? ''} (TLS ${smtp.tls}, auth ${smtp.auth.type})`,
      ...(caught ? { catcherPort: smtp.port! } : {}),
      warnings,
    };
    return mailroom;
  } catch (error) {
    await resources.closeAll().catch(() => undefined); // the start-up error is the one to report
    throw error;
  }
}
