import { TokenEndpointError } from './token-endpoint-error';

// Entra ID (Microsoft identity platform) sign-in hosts per cloud, with the Exchange Online resource its SMTP
// tokens are for. The one list: the token source and the app's configuration check both read it.
const MICROSOFT_CLOUDS: Readonly<Record<string, string>> = {
  'login.microsoftonline.com': 'https://outlook.office365.com/.default',
  'login.microsoft.com': 'https://outlook.office365.com/.default',
  'login.windows.net': 'https://outlook.office365.com/.default',
  // US Government (GCC High, DoD): Exchange Online lives at outlook.office365.us.
  'login.microsoftonline.us': 'https://outlook.office365.us/.default',
  // China, operated by 21Vianet.
  'login.chinacloudapi.cn': 'https://partner.outlook.cn/.default',
  'login.partner.microsoftonline.cn': 'https://partner.outlook.cn/.default',
};

export interface MicrosoftTokenUrl {
  readonly host: string;
  readonly tenant: string;
  /** `https://{host}/{tenant}`: what msal-node calls the authority. */
  readonly authority: string;
  readonly tokenEndpoint: string;
  /** Exchange Online's `.default` scope in this cloud. */
  readonly defaultScope: string;
}

/** Microsoft's Entra ID sign-in hosts, every cloud. */
export const ENTRA_HOSTS: readonly string[] = Object.keys(MICROSOFT_CLOUDS);

/** True for a token URL on one of Microsoft's Entra ID hosts. */
export function isMicrosoftTokenUrl(tokenUrl: string): boolean {
  try {
    return new URL(tokenUrl).hostname.toLowerCase() in MICROSOFT_CLOUDS;
  } catch {
    return false;
  }
}

/** True for a token URL msal-node can use: https, an Entra host, `/{tenant}/oauth2/v2.0/token`. */
export function isEntraV2TokenUrl(tokenUrl: string): boolean {
  try {
    parseMicrosoftTokenUrl(tokenUrl);
    return true;
  } catch {
    return false;
  }
}

/**
 * Splits `https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token` into its parts.
 * Throws `OAUTH.CONFIGURATION` when it is not such a URL (the v1 endpoint `/oauth2/token` takes no scopes).
 */
export function parseMicrosoftTokenUrl(tokenUrl: string): MicrosoftTokenUrl {
  let url: URL | undefined;
  try {
    url = new URL(tokenUrl);
  } catch {
    url = undefined;
  }
  const host = url?.hostname.toLowerCase() ?? '';
  const defaultScope = MICROSOFT_CLOUDS[host];
  const match = /^\/([^/]+)\/oauth2\/v2\.0\/token\/?$/i.exec(url?.pathname ?? '');
  if (!url || url.protocol !== 'https:' || defaultScope === undefined || !match?.[1]) {
    throw new TokenEndpointError(
      'OAUTH.CONFIGURATION',
      'configuration',
      `"${tokenUrl}" is not a Microsoft Entra v2.0 token URL; use https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token with your tenant id or domain.`,
    );
  }
  const tenant = decodeURIComponent(match[1]);
  const authority = `https://${host}/${tenant}`;
  return { host, tenant, authority, tokenEndpoint: `${authority}/oauth2/v2.0/token`, defaultScope };
}

/**
 * The discovery documents msal-node would otherwise fetch before the first token (instance discovery,
 * then OpenID configuration): given up front, the only call msal makes is the token request itself.
 */
export function msalMetadataFor(url: MicrosoftTokenUrl): { authorityMetadata: string; cloudDiscoveryMetadata: string } {
  const { host, authority } = url;
  return {
    authorityMetadata: JSON.stringify({
      token_endpoint: url.tokenEndpoint,
      authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
      issuer: `${authority}/v2.0`,
      jwks_uri: `${authority}/discovery/v2.0/keys`,
    }),
    cloudDiscoveryMetadata: JSON.stringify({
      tenant_discovery_endpoint: `${authority}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    }),
  };
}
