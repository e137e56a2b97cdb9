// The public API of Mailroom for a host application. Every type a public signature names is exported here, so a
// host depends on @mailroom/app alone; the README beside package.json lists each export with one line.

// Building and running Mailroom
export { createMailroom, type MailroomOptions, type MailroomSetup } from './create-mailroom';
export { Mailroom } from './mailroom';
export type { TransactionOptions } from './transaction-options';
export type { PostgresTransaction } from '@mailroom/adapters';
export { createTestMailroom, TestMailroom, type TestMailroomOptions } from './testing';
export { TOKENS } from './container/tokens';
export { ConfigError, type ConfigIssue, type MailroomConfig, type MailroomConfigInput } from './config';

// Health and diagnosis
export type { MailroomHealth, DeliveryStatus, HealthReason } from './health';
export type { DeliveryActivity, ObservedFailure } from './worker/delivery-monitor';
export type { DoctorReport, DoctorStep, ConfigurationStep } from './doctor/doctor-report';

// Operations: metrics, events, the health endpoints, logging
export type { MailroomMetrics } from './ops/prom-client-metrics';
export type {
  MailroomEvents,
  MailroomEventMap,
  MailroomEventListener,
  MailEvent,
  SentEvent,
  FailedEvent,
  DeadEvent,
  MailFailure,
} from './ops/mailroom-events';
export type { OpsHandler, OpsHandlerOptions, Readiness } from './ops/ops-handler';
export type { Logger, LogFields } from './logging/logger';
export type { DeliveryFailureClass } from '@mailroom/domain';

// From the domain: errors, inputs, kinds and payloads, what the outbox and a test mailroom hand back
export {
  DatabaseUnavailableError,
  HostTransactionError,
  type HostTransactionErrorCode,
  MailroomError,
  MailSendError,
  NotFoundError,
  ValidationError,
  field,
  payloadSchema,
  type FieldIssue,
  type SendFailureClass,
  type NotifyInput,
  type PublishOptions,
  type SubscribeInput,
  type Subscription,
  type Preferences,
  type Preference,
  type PreferenceChoice,
  type PreferenceInput,
  type PreferenceRef,
  type Suppressions,
  type SuppressedAddress,
  type SuppressionPageQuery,
  type Delivery,
  type Recipient,
  type RecipientInput,
  type UserRecipientInput,
  type EmailAddress,
  type KindDefinition,
  type FieldCheck,
  type ObjectOptions,
  type PayloadValidator,
  type KnownKind,
  type KnownPayloads,
  type PayloadOf,
  type UserInvitePayload,
  type QueryResultsChangedPayload,
  type ImportFailedPayload,
  type AccessReviewRequestedPayload,
  type ChangeRequestPayload,
  type ChangeRequestChange,
  type WorkflowTaskAssignedPayload,
  type Outbox,
  type Notification,
  type NotificationQuery,
  type NotificationStatus,
  type DeliveryError,
  type RetryOptions,
  type Progress,
  type PurgeOptions,
  type PurgeReport,
  type PurgeCounts,
  type PurgeableStatus,
  type PurgeListener,
  type OutgoingMail,
  type MailReceipt,
  type RejectedRecipient,
} from '@mailroom/domain';

// Run-time settings and templates (`mailroom.settings`, `mailroom.templates`)
export type { MailroomSettings } from './settings/mailroom-settings';
export type { SettingView, SettingsPage, SettingsUpdate } from './settings/settings-view';
export type { SettingSourceKind } from './config';
export { SecretKeyMissingError } from './settings/secret-keys';
export type { TemplatesAdmin, TemplateInfo, TemplateDetail } from './settings/templates-admin';
export { SettingsConflictError, type SettingsAuditEntry, type SettingChangeRecord, type RenderedMail } from '@mailroom/domain';
export type { TemplateLayer } from '@mailroom/adapters';

// The admin HTTP API: a handler to mount in the host's server, and its own server for `mailroom start`
export { adminHandler, type AdminHandler, type AdminHandlerOptions } from './admin/admin-handler';
export type { AdminBackend, AdminSettings } from './admin/admin-backend';
export type { CaughtMailbox } from './catcher/caught-mailbox';
export type { CaughtMail } from './catcher/mail-catcher';
export { AdminRefusedError, type AdminAuthorize, type AdminIdentity } from './admin/admin-identity';
export type { AdminErrorBody, AdminIssue } from './admin/admin-errors';
export { ADMIN_REQUEST_HEADER } from './admin/request-guard';
export type { OpenApiDocument } from './admin/openapi';
export { serveAdmin, type ServeAdminOptions, type AdminServer } from './admin/serve-admin';

// The public endpoints recipients reach from a mail: one-click unsubscribe (`mailroom.publicHandler()`)
export type { PublicHandler, PublicHandlerOptions } from './public/public-handler';
