import { DatabaseUnavailableError, MailroomError, MailSendError, NotFoundError, ValidationError } from '@mailroom/domain';
import { ConfigError } from '../config';
import type { AdminBackend } from './admin-backend';

/** One wrong input: the field (a request field, or a setting's dotted path) and what is wrong with it. */
export interface AdminIssue {
  readonly field: string;
  readonly problem: string;
  readonly code?: string;
}

/** The one shape of every error the admin API answers with: `{ error: { code, message, issues? } }`. */
export interface AdminErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly issues?: readonly AdminIssue[];
    /** For a failed test mail: what the admin should do, and the server's reply code. */
    readonly hint?: string;
    readonly responseCode?: number;
  };
}

/** An answer the admin API itself decides on (no identity, a CSRF refusal, a malformed body, …). */
export class AdminHttpError extends MailroomError {
  override readonly name = 'AdminHttpError';

  constructor(
    readonly status: number,
    code: string,
    message: string,
    readonly issues?: readonly AdminIssue[],
  ) {
    super(code, message);
  }
}

/** The HTTP status and body for an error: typed errors say what is wrong; anything else is logged and answered 500 without details. */
export function errorAnswer(error: unknown, logger: AdminBackend['logger'], where: string): { status: number; body: AdminErrorBody } {
  const answer = (status: number, code: string, message: string, extra: Partial<AdminErrorBody['error']> = {}) => ({
    status,
    body: { error: { code, message, ...extra } },
  });
  if (error instanceof AdminHttpError) return answer(error.status, error.code, error.message, error.issues ? { issues: error.issues } : {});
  if (error instanceof ValidationError) return answer(422, error.code, error.message, { issues: error.issues });
  if (error instanceof ConfigError)
    return answer(422, error.code, error.message, { issues: error.issues.map((i) => ({ field: i.setting, problem: i.problem })) });
  if (error instanceof NotFoundError) return answer(404, error.code, error.message);
  if (error instanceof DatabaseUnavailableError) return answer(503, error.code, error.message);
  // A failed test mail is the answer the admin asked for: the server's refusal, in words, with what to do.
  if (error instanceof MailSendError)
    return answer(502, error.code, error.message, {
      ...(error.hint ? { hint: error.hint } : {}),
      ...(error.responseCode !== undefined ? { responseCode: error.responseCode } : {}),
    });
  if (error instanceof MailroomError && error.code === 'SETTINGS.CONFLICT') return answer(409, error.code, error.message);
  if (error instanceof MailroomError && error.code === 'SECRETS.KEY_MISSING') return answer(422, error.code, error.message);
  // A template that does not compile or render (the message names it and the line), or cannot be previewed.
  if (error instanceof MailroomError && error.code.startsWith('TEMPLATE.')) return answer(422, error.code, error.message);
  logger.error('admin API: unexpected error', { err: error, where });
  return answer(500, 'ADMIN.INTERNAL', "Mailroom could not answer this request; the reason is in Mailroom's log.");
}
