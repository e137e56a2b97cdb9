export { DatabaseUnavailableError, MailroomError, ValidationError } from '@mailroom/domain';
export { Mailroom, type MailroomHealth } from './mailroom';
export { createTestMailroom, TestMailroom, type TestMailroomOptions } from './testing';
export * from './config';
export { TOKENS } from './container/tokens';
export { createMailroom, type MailroomOptions, type MailroomSetup } from './create-mailroom';
export { Worker, type WorkerSettings } from './worker/worker';
export { MailCatcher, readCaughtMail, type CaughtMail } from './catcher/mail-catcher';
export { doctorReport, CONFIG_SETTING_NAMES, type DoctorReport, type DoctorStep, type ConfigurationStep } from './doctor/doctor-report';
