import { tmpdir } from 'node:os';
import { CapturingMailSender, ManualClock, parseSecretKey, SecretBox } from '@mailroom/adapters';
import type { KindDefinition, OutgoingMail } from '@mailroom/domain';
import { loadConfig, parseConfig, type MailroomConfigInput } from './config';
import { baseModule } from './container/base-module';
import { composeContainer } from './container/compose';
import { coreModule, kindRegistry } from './container/core-module';
import { opsModule } from './container/ops-module';
import { capturingSenderModule, memoryStoresModule } from './container/memory-module';
import { resolveMailroomParts, type MailroomParts } from './container/mailroom-parts';
import { settingsModule } from './container/settings-module';
import { Resources } from './container/resources';
import { buildRenderer, templatesModule, type TemplateOptions } from './container/templates-module';
import { TOKENS } from './container/tokens';
import { createLog } from './logger';
import { Mailroom } from './mailroom';
import { unsubscribeTokens } from './settings/unsubscribe-key';

/** What `createTestMailroom` takes; `HostKinds` are the names of the host's `kinds`, as for `createMailroom`. */
export interface TestMailroomOptions<HostKinds extends string = never> extends TemplateOptions {
  readonly config?: MailroomConfigInput;
  /** The host's own kinds, as for `createMailroom`. */
  readonly kinds?: readonly KindDefinition<HostKinds>[];
  /** Start time of the controllable clock. */
  readonly now?: Date | string;
  /** Settings admins may not change (as `createMailroom({ lockedSettings })`). */
  readonly lockedSettings?: readonly string[];
  /** A key to seal secrets saved through `settings.update` (64 hex digits or base64 of 32 bytes); none: saving one is refused. */
  readonly secretKey?: string;
}

/**
 * Mailroom for a host's own tests: in-memory stores, a capturing sender, a clock the test moves, the real
 * templates — the same API as production. Run `deliver()` (and `runDigests()`) instead of a worker, then read `sent`.
 */
export class TestMailroom<HostKinds extends string = never> extends Mailroom<HostKinds> {
  constructor(
    parts: MailroomParts,
    readonly clock: ManualClock,
    readonly sender: CapturingMailSender,
  ) {
    super(parts);
  }

  /** Every mail that would have gone out, oldest first. */
  get sent(): readonly OutgoingMail[] {
    return this.sender.sent;
  }

  /** Mails to one address. */
  sentTo(address: string): OutgoingMail[] {
    return this.sender.to(address);
  }

  /** Delivers everything due now (batch after batch); returns how many mails were sent. */
  async deliver(): Promise<number> {
    const deliverDue = this.container.get(TOKENS.DeliverDue);
    let sent = 0;
    for (;;) {
      const report = await deliverDue.run(this.config.worker.batchSize);
      sent += report.sent;
      if (report.claimed === 0 || report.released > 0) return sent;
    }
  }

  /** Runs the digest step at the clock's time; returns how many digests were made (deliver them with `deliver()`). */
  async runDigests(): Promise<number> {
    return (await this.container.get(TOKENS.SendDigests).run()).digests;
  }
}

/** A Mailroom for a host's own tests (see `TestMailroom`): nothing to start, no database, no SMTP server. */
export async function createTestMailroom<HostKinds extends string = never>(
  options: TestMailroomOptions<HostKinds> = {},
): Promise<TestMailroom<HostKinds>> {
  const { config } = parseConfig(options.config ?? {});
  const clock = new ManualClock(options.now ?? '2026-01-05T09:00:00.000Z');
  const sender = new CapturingMailSender();
  const kinds = kindRegistry(options.kinds);
  const renderer = await buildRenderer(config, kinds, options);
  const logger = createLog('silent');
  const container = composeContainer(
    baseModule(config, logger, new Resources()),
    coreModule(
      config,
      kinds,
      unsubscribeTokens(config, options.secretKey === undefined ? {} : { current: parseSecretKey(options.secretKey, 'secretKey').key }),
    ),
    opsModule(),
    memoryStoresModule(),
    capturingSenderModule(sender, config.smtp),
    templatesModule(renderer),
    settingsModule(
      {
        startConfig: config,
        load: (stored) =>
          loadConfig({
            env: {},
            file: undefined,
            cwd: tmpdir(),
            overrides: options.config ?? {},
            stored,
            ...(options.lockedSettings ? { locked: options.lockedSettings } : {}),
          }),
        box: options.secretKey === undefined ? undefined : new SecretBox(parseSecretKey(options.secretKey, 'secretKey')),
        buildRenderer: (next, stored) => buildRenderer(next, kinds, options, stored),
      },
      logger,
    ),
  );
  container.rebind(TOKENS.Clock).toConstantValue(clock);
  return new TestMailroom<HostKinds>(await resolveMailroomParts(container), clock, sender);
}
