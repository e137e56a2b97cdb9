import type { MailSendError } from '../mail';

/**
 * Whether mail is going out. `stopped` means the server or token endpoint refused our credentials or
 * configuration, or refuses any mail for a while (a sending quota, `reason.pauseMs`): mails stay pending
 * (no attempts are spent) until a probe send succeeds.
 */
export type DeliveryHealth =
  | { readonly state: 'healthy'; readonly lastSentAt?: Date }
  | { readonly state: 'stopped'; readonly since: Date; readonly reason: MailSendError; readonly lastSentAt?: Date };
