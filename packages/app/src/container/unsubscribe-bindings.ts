import type { ContainerModuleLoadOptions } from 'inversify';
import { Unsubscribe } from '@mailroom/domain';
import { SignedUnsubscribeLinks, type UnsubscribeTokens } from '@mailroom/adapters';
import type { MailroomConfig } from '../config';
import { unsubscribeLinkSettings } from '../settings/unsubscribe-key';
import { TOKENS } from './tokens';

/** One-click unsubscribe: the signer (when there is a key), the links delivery puts in mails, and the use case. */
export function bindUnsubscribe(
  bind: ContainerModuleLoadOptions['bind'],
  config: MailroomConfig,
  tokens: UnsubscribeTokens | undefined,
): void {
  bind(TOKENS.UnsubscribeTokens).toConstantValue(tokens);
  bind(TOKENS.UnsubscribeLinks)
    .toResolvedValue(
      (clock) => (tokens ? new SignedUnsubscribeLinks(tokens, clock, unsubscribeLinkSettings(config)) : undefined),
      [TOKENS.Clock],
    )
    .inSingletonScope();
  bind(TOKENS.Unsubscribe)
    .toResolvedValue(
      (preferences, subscriptions, kinds, clock) => new Unsubscribe(preferences, subscriptions, kinds, clock),
      [TOKENS.PreferenceStore, TOKENS.SubscriptionStore, TOKENS.KindRegistry, TOKENS.Clock],
    )
    .inSingletonScope();
}
