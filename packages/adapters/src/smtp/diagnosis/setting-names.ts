import { TOKEN_SETTING_NAMES, type TokenSettingNames } from '../../oauth/token-setting-names';

/**
 * How fixes and error hints name the settings. The adapter only knows its own `SmtpSettings` fields; the app passes
 * the names its admins see (`smtp.caFile`), so a fix says exactly which setting to change.
 */
export interface SettingNames extends TokenSettingNames {
  readonly host: string;
  readonly port: string;
  readonly tls: string;
  readonly ca: string;
  readonly servername: string;
  readonly username: string;
  readonly password: string;
  readonly mechanism: string;
  readonly authKind: string;
  readonly from: string;
}

export const SMTP_SETTING_NAMES: SettingNames = {
  host: 'host',
  port: 'port',
  tls: 'tls.mode',
  ca: 'tls.ca',
  servername: 'tls.servername',
  username: 'auth.username',
  password: 'auth.password',
  mechanism: 'auth.mechanism',
  authKind: 'auth.kind',
  ...TOKEN_SETTING_NAMES,
  from: 'from',
};
