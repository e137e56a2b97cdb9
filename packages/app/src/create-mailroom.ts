import { Container } from 'inversify';
import type { MigrationProgress } from '@mailroom/adapters';
import type { KindDefinition } from '@mailroom/domain';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { ConfigError, loadConfig, type MailroomConfig, type MailroomConfigInput } from './config';
import { baseModule } from './container/base-module';
import { coreModule, kindRegistry } from './container/core-module';
import { postgresModule } from './container/postgres-module';
import { Resources } from './container/resources';
import { smtpModule } from './container/smtp-module';
import { buildRenderer, templatesModule, type TemplateOptions } from './container/templates-module';
import { mailroomDatabase } from './database-setup';
import { catcherSmtp } from './dev-services';
import { refuseDevelopmentDefaults } from './development-defaults';
import { createLogger } from './logger';
import { Mailroom } from './mailroom';

export interface MailroomOptions extends TemplateOptions {
  /** Settings in code; a configuration file and `MAILROOM_…` variables still apply (variables win). */
  readonly config?: MailroomConfigInput;
  /** A configuration file to read (default: `MAILROOM_CONFIG`, then `./mailroom.config.json` if present). */
  readonly configFile?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** The host's own kinds, with their validation (templates come through `templates` or the template directory). */
  readonly kinds?: readonly KindDefinition[];
  /** The host's own TypeORM DataSource (PostgreSQL): Mailroom keeps its tables in its own schema there. */
  readonly dataSource?: DataSource;
  /** Or the host's own `pg` Pool: Mailroom borrows its connections (and leaves it open on stop). */
  readonly pool?: Pool;
  readonly logger?: Logger;
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
  /** Replace any binding before use (tests, hosts with their own adapters). */
  readonly configure?: (container: Container) => void | Promise<void>;
}

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
export async function createMailroom(options: MailroomOptions = {}): Promise<Mailroom & { readonly setup: MailroomSetup }> {
  const { config: loaded, warnings } = loadConfig({
    ...(options.configFile ? { file: options.configFile } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    overrides: options.config,
  });
  if (options.dataSource && options.pool) {
    throw new ConfigError([{ setting: 'database', problem: 'both a DataSource and a pg Pool were given: pass one of them (dataSource or pool), Mailroom uses one connection setup' }]);
  }
  if (!options.development) {
    refuseDevelopmentDefaults(loaded, { needsDatabaseUrl: !options.dataSource && !options.pool, optIn: 'pass createMailroom({ development: true })', host: true });
  }
  const kinds = kindRegistry(options.kinds);
  // Before anything is opened: a broken template or a kind without templates needs nothing closed.
  const renderer = await buildRenderer(loaded, kinds, options);
  const logger = options.logger ?? createLogger(loaded.log.level ?? 'info');
  for (const w of warnings) logger.warn(w);
  const resources = new Resources();
  resources.add('log', () => new Promise<void>((resolve) => logger.flush(() => resolve())));
  try {
    const database = await mailroomDatabase(loaded, options, resources, logger);
    let config: MailroomConfig = loaded;
    let catcherPort: number | undefined;
    if (!config.smtp) {
      const catcher = await catcherSmtp(config, resources, logger, options.startCatcher ?? true);
      catcherPort = catcher.port;
      config = { ...config, smtp: catcher.smtp };
    }
    const smtp = config.smtp!;
    const container = new Container();
    await container.loadAsync(baseModule(config, logger, resources), coreModule(config, kinds), templatesModule(renderer), smtpModule(smtp, resources, logger));
    // On its own: inversify loads modules side by side, and a failure elsewhere must not leave this one opening
    // connections after the clean-up below has run.
    await container.loadAsync(
      postgresModule(
        {
          dataSource: database.dataSource,
          schema: config.database.schema,
          owned: database.owned,
          label: database.label,
          queryTimeoutMs: config.database.queryTimeoutMs,
          migrate: options.migrate ?? true,
          ...(options.onMigrationProgress ? { onMigrationProgress: options.onMigrationProgress } : {}),
          ...(smtp.rateLimitPerMinute ? { rateLimitPerMinute: smtp.rateLimitPerMinute } : {}),
        },
        resources,
        logger,
      ),
    );
    await options.configure?.(container);
    const mailroom = new Mailroom(container, loaded.smtp ? config : { ...config, smtp: undefined }) as Mailroom & { setup: MailroomSetup };
    mailroom.setup = {
      database: database.description,
      smtp: catcherPort !== undefined ? `development mail catcher on 127.0.0.1:${catcherPort}, mails kept in ${config.catcher.dir}` : `${smtp.host}:${smtp.port ?? ''} (TLS ${smtp.tls}, auth ${smtp.auth.type})`,
      ...(catcherPort !== undefined ? { catcherPort } : {}),
      warnings,
    };
    return mailroom;
  } catch (error) {
    await resources.closeAll().catch(() => undefined); // the start-up error is the one to report
    throw error;
  }
}
