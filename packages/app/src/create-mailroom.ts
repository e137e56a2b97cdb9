import { Container } from 'inversify';
import { createMailroomDataSource, mailroomDataSourceOnPool, type MigrationProgress } from '@mailroom/adapters';
import type { KindDefinition } from '@mailroom/domain';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { ConfigError, loadConfig, redactUrl, type MailroomConfig, type MailroomConfigInput } from './config';
import { baseModule } from './container/base-module';
import { coreModule } from './container/core-module';
import { postgresModule } from './container/postgres-module';
import { Resources } from './container/resources';
import { smtpModule } from './container/smtp-module';
import { templatesModule, type TemplateOptions } from './container/templates-module';
import { catcherSmtp, embeddedDatabaseUrl } from './dev-services';
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
  /** Without SMTP settings, start the development catcher in this process (default true). */
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
 * Mailroom for a host monolith: validated configuration, the database (URL, the host's DataSource, or the
 * embedded PostgreSQL), migrations, the SMTP sender (or the development catcher), the templates.
 * Call `start()` to run the worker in this process.
 */
export async function createMailroom(options: MailroomOptions = {}): Promise<Mailroom & { readonly setup: MailroomSetup }> {
  const { config: loaded, warnings } = loadConfig({
    ...(options.configFile ? { file: options.configFile } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    overrides: options.config,
  });
  const logger = options.logger ?? createLogger(loaded.log.level);
  for (const w of warnings) logger.warn(w);
  const resources = new Resources();
  resources.add('log', () => new Promise<void>((resolve) => logger.flush(() => resolve())));
  try {
    let config: MailroomConfig = loaded;
    let database: string;
    /** How errors name the database: never with its password. */
    let label: string;
    let dataSource: DataSource;
    let owned = true;
    if (options.dataSource && options.pool) {
      throw new ConfigError([{ setting: 'database', problem: 'both a DataSource and a pg Pool were given: pass one of them (dataSource or pool), Mailroom uses one connection setup' }]);
    }
    if (options.dataSource) {
      dataSource = options.dataSource;
      owned = false;
      database = `the host's DataSource, schema ${config.database.schema}`;
      label = "the host's DataSource";
    } else if (options.pool) {
      // The DataSource over the host's pool is Mailroom's to close; closing it leaves the pool open.
      dataSource = mailroomDataSourceOnPool(options.pool, { schema: config.database.schema });
      database = `the host's pg Pool, schema ${config.database.schema}`;
      label = "the host's pg Pool";
    } else {
      const url = config.database.url ?? (await embeddedDatabaseUrl(config, resources, logger)).url;
      database = `${config.database.url ? redactUrl(url) : `embedded PostgreSQL (${url.replace(/\/\/[^@]*@/, '//')}, data in ${config.database.embedded.dataDir})`}, schema ${config.database.schema}`;
      label = config.database.url ? `${redactUrl(url)}, database.url` : `the embedded PostgreSQL on ${url.replace(/\/\/[^@]*@/, '//')}`;
      dataSource = createMailroomDataSource({
        url,
        schema: config.database.schema,
        poolSize: config.database.poolSize,
        connectTimeoutMs: config.database.connectTimeoutMs,
        // The pool drops a connection the server closed (a restart) and connects anew; the next call says more.
        onPoolError: (error) => logger.debug({ reason: error.message }, 'an idle database connection failed; the pool replaces it'),
      });
    }
    let catcherPort: number | undefined;
    if (!config.smtp) {
      const catcher = await catcherSmtp(config, resources, logger, options.startCatcher ?? true);
      catcherPort = catcher.port;
      config = { ...config, smtp: catcher.smtp };
    }
    const smtp = config.smtp!;
    const container = new Container();
    await container.loadAsync(
      baseModule(config, logger, resources),
      coreModule(config, options.kinds),
      postgresModule(
        {
          dataSource,
          schema: config.database.schema,
          owned,
          label,
          queryTimeoutMs: config.database.queryTimeoutMs,
          migrate: options.migrate ?? true,
          ...(options.onMigrationProgress ? { onMigrationProgress: options.onMigrationProgress } : {}),
          ...(smtp.rateLimitPerMinute ? { rateLimitPerMinute: smtp.rateLimitPerMinute } : {}),
        },
        resources,
        logger,
      ),
      smtpModule(smtp, resources, logger),
      templatesModule(config, options),
    );
    await options.configure?.(container);
    const mailroom = new Mailroom(container, loaded.smtp ? config : { ...config, smtp: undefined }) as Mailroom & { setup: MailroomSetup };
    mailroom.setup = {
      database,
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

