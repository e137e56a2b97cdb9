import { EtaTemplateRenderer, type SecretBox, type SignedUnsubscribeLinks } from '@mailroom/adapters';
import type {
  Clock,
  DeliverDue,
  MailSender,
  RetryPolicy,
  SendDigests,
  SendQuota,
  SettingsStore,
  TemplateRenderer,
  Wakeups,
} from '@mailroom/domain';
import { ContainerModule } from 'inversify';
import type { Log } from '../logging/log';
import type { LoadedConfig, MailroomConfig, SmtpConfig } from '../config';
import { LiveMailSender } from '../settings/live-mail-sender';
import { LiveRenderer } from '../settings/live-renderer';
import { LiveSendQuota } from '../settings/live-send-quota';
import { LiveSettings } from '../settings/live-settings';
import { RuntimeSettings } from '../settings/runtime-settings';
import { TemplatesAdmin } from '../settings/templates-admin';
import type { PurgeSchedule } from '../worker/purge-schedule';
import type { PromClientMetrics } from '../ops/prom-client-metrics';
import { smtpSender } from './smtp-module';
import { TOKENS } from './tokens';

export interface SettingsModuleOptions {
  /** The configuration the modules were built with (file, host, environment; no stored settings yet). */
  readonly startConfig: MailroomConfig;
  /** The whole configuration with stored values in their place. */
  readonly load: (stored: Readonly<Record<string, unknown>>) => LoadedConfig;
  readonly box: SecretBox | undefined;
  /** Templates for a configuration (links, subject prefix) and the admins' saved templates, checked as at start. */
  readonly buildRenderer: (config: MailroomConfig, stored: Readonly<Record<string, string>>) => Promise<TemplateRenderer>;
}

/**
 * Run-time settings: the stored settings read once at start over the file's, and the part that applies them and
 * every later change (this node's, or another's told by NOTIFY or found by the poll).
 */
export function settingsModule(options: SettingsModuleOptions, logger: Log): ContainerModule {
  return new ContainerModule(({ bind }) => {
    // Read at each use: an admin's change holds from the next notification on.
    bind(TOKENS.SuppressionEnabled)
      .toResolvedValue((runtime: RuntimeSettings) => () => runtime.config.suppression.enabled, [TOKENS.RuntimeSettings])
      .inSingletonScope();
    bind(TOKENS.RuntimeSettings)
      .toResolvedValue(
        (store: SettingsStore, clock: Clock) => RuntimeSettings.open({ store, clock, logger, load: options.load, box: options.box }),
        [TOKENS.SettingsStore, TOKENS.Clock],
      )
      .inSingletonScope();
    bind(TOKENS.TemplatesAdmin)
      .toResolvedValue(
        (runtime: RuntimeSettings, renderer: TemplateRenderer) =>
          new TemplatesAdmin({
            runtime,
            current: () => {
              const inUse = renderer instanceof LiveRenderer ? renderer.current : renderer;
              return inUse instanceof EtaTemplateRenderer ? inUse : undefined;
            },
            build: async (stored) => {
              const built = await options.buildRenderer(runtime.config, stored);
              if (!(built instanceof EtaTemplateRenderer)) throw new Error('the template builder gave no eta renderer');
              return built;
            },
          }),
        [TOKENS.RuntimeSettings, TOKENS.TemplateRenderer],
      )
      .inSingletonScope();
    bind(TOKENS.LiveSettings)
      .toResolvedValue(
        async (
          runtime: RuntimeSettings,
          deliverDue: DeliverDue,
          retry: RetryPolicy,
          digests: SendDigests,
          quota: SendQuota | undefined,
          sender: MailSender,
          renderer: TemplateRenderer,
          startSmtp: SmtpConfig | undefined,
          wakeups: Wakeups,
          unsubscribeLinks: SignedUnsubscribeLinks | undefined,
          purges: PurgeSchedule,
          metrics: PromClientMetrics,
        ) => {
          const live = new LiveSettings({
            runtime,
            logger,
            deliverDue,
            retry,
            digests,
            purges,
            ...(quota instanceof LiveSendQuota ? { quota } : {}),
            ...(sender instanceof LiveMailSender
              ? { sender, buildSender: (smtp, tokens) => smtpSender(smtp, logger, tokens, metrics.tokenObserver) }
              : {}),
            ...(renderer instanceof LiveRenderer ? { renderer } : {}),
            ...(unsubscribeLinks ? { unsubscribeLinks } : {}),
            // Without SMTP settings (development), the catcher found at start.
            smtpOf: (config) => config.smtp ?? (options.startConfig.smtp === undefined ? startSmtp : undefined),
            buildRenderer: options.buildRenderer,
            builtWith: { smtp: startSmtp, config: options.startConfig },
            pollIntervalMs: runtime.config.worker.pollIntervalMs,
          });
          wakeups.onSettingsChanged?.(() => void live.refresh());
          await live.sync();
          return live;
        },
        [
          TOKENS.RuntimeSettings,
          TOKENS.DeliverDue,
          TOKENS.RetryPolicy,
          TOKENS.SendDigests,
          TOKENS.SendQuota,
          TOKENS.MailSender,
          TOKENS.TemplateRenderer,
          TOKENS.SmtpConfig,
          TOKENS.Wakeups,
          TOKENS.UnsubscribeLinks,
          TOKENS.PurgeSchedule,
          TOKENS.Metrics,
        ],
      )
      .inSingletonScope();
  });
}
