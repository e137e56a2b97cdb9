import type { Clock } from '@mailroom/domain';
import { ClientCredentialsTokenSource } from './client-credentials-token-source';
import { isMicrosoftTokenUrl } from './microsoft-token-url';
import { MsalTokenSource } from './msal-token-source';
import type { TokenObserver, TokenSource } from './token-source';
import type { TokenSettingNames } from './token-setting-names';

export interface TokenSourceSettings {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Default for Microsoft token URLs: Exchange Online's `.default` scope; none for others. */
  readonly scope?: string;
  readonly clientAuth?: 'basic' | 'post';
}

export interface TokenSourceEnvironment {
  readonly fetch?: typeof fetch;
  readonly clock?: Clock;
  /** How error hints name the settings. */
  readonly names?: Partial<TokenSettingNames>;
  /** Told about each request to the token endpoint (metrics). */
  readonly observer?: TokenObserver;
}

/** Microsoft Entra token URLs go through msal-node; any other URL through plain RFC 6749 client credentials. */
export function createTokenSource(settings: TokenSourceSettings, environment: TokenSourceEnvironment = {}): TokenSource {
  const { tokenUrl, clientId, clientSecret, scope, clientAuth } = settings;
  if (isMicrosoftTokenUrl(tokenUrl)) {
    return new MsalTokenSource({
      tokenUrl,
      clientId,
      clientSecret,
      scope,
      fetch: environment.fetch,
      names: environment.names,
      observer: environment.observer,
    });
  }
  return new ClientCredentialsTokenSource({
    tokenUrl,
    clientId,
    clientSecret,
    scope,
    clientAuth,
    fetch: environment.fetch,
    clock: environment.clock,
    names: environment.names,
    observer: environment.observer,
  });
}
