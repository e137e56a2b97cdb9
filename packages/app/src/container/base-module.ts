import { ContainerModule } from 'inversify';
import type { Log } from '../logging/log';
import { redactConfig, type MailroomConfig } from '../config';
import { Resources } from './resources';
import { TOKENS } from './tokens';

/** Configuration (secrets masked: a host may read any binding of the container), logger and the list of resources to close. */
export function baseModule(config: MailroomConfig, logger: Log, resources: Resources): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.Config).toConstantValue(redactConfig(config));
    bind(TOKENS.Logger).toConstantValue(logger);
    bind(TOKENS.Resources).toConstantValue(resources);
  });
}
