export { configSchema, smtpSchema, type MailroomConfig, type MailroomConfigInput, type SmtpConfig } from './schema';
export { loadConfig, parseConfig, ConfigError, type ConfigIssue, type LoadedConfig, type LoadOptions } from './load-config';
export { checkConsistency } from './consistency';
export { redactConfig, redactUrl } from './redact';
export { SETTINGS, type SettingDoc } from './settings';
