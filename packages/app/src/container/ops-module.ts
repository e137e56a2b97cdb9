import { ContainerModule } from 'inversify';
import type { Clock, NotificationStore } from '@mailroom/domain';
import type { Registry } from 'prom-client';
import type { Log } from '../logging/log';
import { BacklogProbe } from '../ops/backlog-probe';
import { EventHub } from '../ops/mailroom-events';
import { PromClientMetrics } from '../ops/prom-client-metrics';
import type { Resources } from './resources';
import { TOKENS } from './tokens';

/** What operations need from the host: its own prom-client registry, if Mailroom's metrics should go there. */
export interface OpsModuleOptions {
  readonly registry?: Registry;
}

/** Metrics (in the host's registry or one of Mailroom's own), the backlog they and readiness read, the hosts' events. */
export function opsModule(options: OpsModuleOptions = {}): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.BacklogProbe)
      .toResolvedValue((store: NotificationStore, clock: Clock) => new BacklogProbe(store, clock), [TOKENS.NotificationStore, TOKENS.Clock])
      .inSingletonScope();
    bind(TOKENS.Metrics)
      .toResolvedValue(
        (backlog: BacklogProbe, resources: Resources) => {
          const metrics = new PromClientMetrics(backlog, options.registry);
          // At stop, or when the start fails: the registry is free again for the next Mailroom.
          resources.add('metrics', async () => metrics.unregister());
          return metrics;
        },
        [TOKENS.BacklogProbe, TOKENS.Resources],
      )
      .inSingletonScope();
    bind(TOKENS.Events)
      .toResolvedValue((log: Log) => new EventHub(log), [TOKENS.Logger])
      .inSingletonScope();
  });
}
