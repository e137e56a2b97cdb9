import type { SettingNames } from '@mailroom/adapters';
import { SETTINGS } from './settings';

/** `smtp.caFile (MAILROOM_SMTP_CA_FILE)`: the path in the configuration file and the variable, from the one table of settings. */
function named(path: string): string {
  const setting = SETTINGS.find((s) => s.path === path);
  // A path missing from SETTINGS is a typo here: fail at load, not in front of an admin.
  if (setting === undefined) throw new Error(`No setting ${path} in SETTINGS`);
  return `${path} (${setting.env})`;
}

/** The configuration's names for the SMTP adapter's settings: every hint, error and `doctor` fix names what the admin edits. */
export const CONFIG_SETTING_NAMES: SettingNames = {
  host: named('smtp.host'),
  port: named('smtp.port'),
  tls: named('smtp.tls'),
  ca: named('smtp.caFile'),
  servername: named('smtp.servername'),
  username: named('smtp.auth.username'),
  password: named('smtp.auth.password'),
  mechanism: named('smtp.auth.mechanism'),
  authKind: named('smtp.auth.type'),
  tokenUrl: named('smtp.auth.tokenUrl'),
  clientId: named('smtp.auth.clientId'),
  clientSecret: named('smtp.auth.clientSecret'),
  scope: named('smtp.auth.scope'),
  from: named('from.address'),
};
