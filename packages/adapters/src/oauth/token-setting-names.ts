/**
 * How token errors name the OAuth2 settings. The token sources only know their own option names; the
 * SMTP adapter passes the names its caller's admins see (`smtp.auth.clientSecret`), so a hint says
 * exactly which setting to change.
 */
export interface TokenSettingNames {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope: string;
}

export const TOKEN_SETTING_NAMES: TokenSettingNames = {
  tokenUrl: 'auth.tokenUrl',
  clientId: 'auth.clientId',
  clientSecret: 'auth.clientSecret',
  scope: 'auth.scope',
};
