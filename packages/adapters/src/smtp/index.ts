export { NodemailerMailSender, type NodemailerMailSenderOptions } from './nodemailer-mail-sender';
export type { SmtpSettings, SmtpAuth, SmtpTlsMode, SmtpTlsSettings, SmtpTimeouts, DirectAuthMechanism } from './smtp-settings';
export { DEFAULT_POOL_SIZE } from './smtp-settings';
export { toNodemailerOptions, PASSWORD_AUTO_METHOD, XOAUTH2_METHOD, type SaslHandlers, type NodemailerPoolOptions } from './nodemailer-options';
export { classifySendFailure, type FailureContext } from './classify-send-failure';
export { knownReply, type KnownReply } from './exchange-replies';
export { PasswordLogin, type PasswordMechanism } from './password-login';
export { XOAuth2Login } from './xoauth2-login';
export type { SmtpLog, SmtpLogLevel } from './smtp-log';
