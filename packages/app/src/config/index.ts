export {
  configSchema,
  smtpSchema,
  LOG_LEVELS,
  type LogLevel,
  type MailroomConfig,
  type MailroomConfigInput,
  type SmtpConfig,
} from './schema';
export {
  loadConfig,
  loadStartConfig,
  settingFromText,
  parseConfig,
  checkLogLevel,
  ConfigError,
  type ConfigIssue,
  type LoadedConfig,
  type LoadOptions,
  type SettingSource,
  type SettingSourceKind,
} from './load-config';
export { checkConsistency } from './consistency';
export { redactConfig, redactUrl } from './redact';
export { SETTINGS, describeSetting, isRunTimeSetting, type SettingDoc } from './settings';
