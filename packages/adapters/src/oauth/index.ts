export type { AccessToken, TokenRequest, TokenSource } from './token-source';
export { TokenEndpointError, type TokenFailure, type TokenEndpointErrorDetails } from './token-endpoint-error';
export { ClientCredentialsTokenSource, type ClientCredentialsOptions } from './client-credentials-token-source';
export { MsalTokenSource, type MsalTokenSourceOptions } from './msal-token-source';
export { ENTRA_HOSTS, isEntraV2TokenUrl, isMicrosoftTokenUrl, parseMicrosoftTokenUrl, type MicrosoftTokenUrl } from './microsoft-token-url';
export { EXCHANGE_SCOPE, isExchangeResource, knownResource, resourceOfScope } from './exchange-resource';
export { createTokenSource, type TokenSourceSettings, type TokenSourceEnvironment } from './create-token-source';
export { ENTRA_ERRORS } from './entra-hints';
export { TOKEN_SETTING_NAMES, type TokenSettingNames } from './token-setting-names';
