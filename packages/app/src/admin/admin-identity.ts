import { MailroomError } from '@mailroom/domain';

/** Who calls the admin API, as the host's `authorize` hook says. `id` is recorded as the author of settings changes. */
export interface AdminIdentity {
  readonly id: string;
  /** Where `POST /settings/send-test` sends when the request names no address. */
  readonly email?: string;
}

/**
 * The host's gate to the admin API, called for every request but `GET <basePath>/openapi.json`: the identity of the
 * caller (from its session cookie, bearer token, …), or `undefined`/`null` when there is none (answered 401). To refuse
 * a known caller (answered 403), throw `AdminRefusedError` with the reason the caller may read. Any other throw is
 * answered 500 and logged.
 */
export type AdminAuthorize = (request: Request) => Promise<AdminIdentity | undefined | null>;

/** Thrown by an `authorize` hook: the caller is known but may not administer Mailroom (403). The message is shown to the caller. */
export class AdminRefusedError extends MailroomError {
  override readonly name = 'AdminRefusedError';

  constructor(reason: string) {
    super('ADMIN.REFUSED', reason);
  }
}
