export { NodemailerMailSender } from './nodemailer-mail-sender';
export type { SmtpSettings } from './smtp-settings';
export type { SmtpLogLevel } from './smtp-log';
export * from './diagnosis';
export type { TokenSource, AccessToken, TokenRequest, TokenObserver } from '../oauth/token-source';
