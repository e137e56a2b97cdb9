import { loadConfig, loadStartConfig, type LoadOptions } from '../config';
import { baseModule } from '../container/base-module';
import { composeContainer } from '../container/compose';
import { coreModule, kindRegistry } from '../container/core-module';
import { postgresModule } from '../container/postgres-module';
import { Resources } from '../container/resources';
import { settingsModule } from '../container/settings-module';
import { buildRenderer } from '../container/templates-module';
import { TOKENS } from '../container/tokens';
import type { MailroomOptions } from '../create-mailroom';
import { refuseDevelopmentDefaults } from '../development-defaults';
import { createLog } from '../logger';
import { logOf } from '../logging/log';
import { mailroomSettings, type MailroomSettings } from './mailroom-settings';
import { secretBoxFromEnvironment } from './secret-keys';

/** The stored settings alone, and how to close what was opened for them. */
export interface OpenedSettings {
  readonly settings: MailroomSettings;
  close(): Promise<void>;
}

/**
 * The run-time settings of the database the configuration names, without the rest of Mailroom: no SMTP pool, no
 * templates, no worker — what `mailroom settings` needs, also on a server whose SMTP settings are still missing
 * (they are what an admin is about to save). The database is migrated like at start.
 */
export async function openSettings(
  options: Pick<MailroomOptions, 'configFile' | 'env' | 'cwd' | 'config' | 'logger' | 'development' | 'onMigrationProgress'>,
): Promise<OpenedSettings> {
  const layers: LoadOptions = {
    ...(options.configFile ? { file: options.configFile } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    overrides: options.config,
  };
  const { config } = loadStartConfig(layers);
  if (!options.development) {
    refuseDevelopmentDefaults(config, {
      needsDatabaseUrl: true,
      optIn: 'run with --development or MAILROOM_DEVELOPMENT=true',
      smtp: false,
    });
  }
  const level = config.log.level ?? 'info';
  const logger = options.logger ? logOf(options.logger, level) : createLog(level);
  const box = secretBoxFromEnvironment(options.env ?? process.env, options.cwd ?? process.cwd());
  const kinds = kindRegistry();
  const resources = new Resources();
  try {
    const container = composeContainer(
      baseModule(config, logger, resources),
      coreModule(config, kinds),
      postgresModule(config, options.onMigrationProgress ? { onMigrationProgress: options.onMigrationProgress } : {}, resources, logger),
      settingsModule(
        {
          startConfig: config,
          load: (stored) => loadConfig({ ...layers, stored }),
          box,
          buildRenderer: (next, stored) => buildRenderer(next, kinds, {}, stored),
        },
        logger,
      ),
    );
    const runtime = await container.getAsync(TOKENS.RuntimeSettings);
    return { settings: mailroomSettings(runtime), close: async () => void (await resources.closeAll()) };
  } catch (error) {
    await resources.closeAll().catch(() => undefined); // the error to report is the one that stopped it
    throw error;
  }
}
