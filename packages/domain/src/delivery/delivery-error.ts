import { MailroomError } from '../errors';
import { MailSendError } from '../mail';
import type { DeliveryError } from '../notification';
import type { DeliveryFailureClass } from './deliver-due-contract';

/** What is kept on the row about a failure: code, message (with the admin hint), reply code. */
export function deliveryError(error: unknown, fallbackCode: string): DeliveryError {
  if (error instanceof MailSendError) {
    // Adapters often put the hint in the message already; say it once.
    const hint = error.hint && !error.message.includes(error.hint) ? ` ${error.hint}` : '';
    return {
      code: error.code,
      message: `${error.message}${hint}`,
      ...(error.responseCode !== undefined ? { responseCode: error.responseCode } : {}),
    };
  }
  if (error instanceof MailroomError) return { code: error.code, message: error.message };
  return { code: fallbackCode, message: error instanceof Error ? error.message : String(error) };
}

/** The class a failed send counts under: a `MailSendError`'s own; anything else is retried, so transient. */
export function failureClassOf(error: unknown): DeliveryFailureClass {
  return error instanceof MailSendError ? error.failure : 'transient';
}
