export { Mailroom, type MailroomHealth } from './mailroom';
export { createTestMailroom, TestMailroom, type TestMailroomOptions } from './testing';
export * from './config';
export { TOKENS } from './container/tokens';
