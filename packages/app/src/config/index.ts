export {
  configSchema,
  smtpSchema,
  LOG_LEVELS,
  type LogLevel,
  type MailroomConfig,
  type MailroomConfigInput,
  type SmtpConfig,
} from './schema';
export { loadConfig, parseConfig, checkLogLevel, ConfigError, type ConfigIssue, type LoadedConfig, type LoadOptions } from './load-config';
export { checkConsistency } from './consistency';
export { redactConfig, redactUrl } from './redact';
export { SETTINGS, describeSetting, type SettingDoc } from './settings';
