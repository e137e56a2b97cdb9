import {
  createTestMailroom,
  type AdminBackend,
  type AdminSettings,
  type Mailroom,
  type SettingsUpdate,
  type TestMailroom,
} from '@mailroom/app';
import { MailSendError } from '@mailroom/domain';
import { anImportFailed, aUserInvite } from '../../support/payloads';

export const CLIENT_SECRET = 'oauth-Client-Secret-Value-9f2b';
export const STORED_SECRET = 'stored-Smtp-Passw0rd-4c1d';

/**
 * A Mailroom for the admin API's tests: in memory, with an OAuth2 client secret configured (which no answer may carry)
 * and an SMTP server address where nothing listens (the doctor fails fast, in words).
 */
export function adminTestMailroom(): Promise<TestMailroom> {
  return createTestMailroom({
    config: {
      smtp: {
        host: '127.0.0.1',
        port: 9,
        tls: 'none',
        allowInsecureAuth: true,
        auth: {
          type: 'oauth2',
          username: 'noreply@example.com',
          tokenUrl: 'http://127.0.0.1:9/token',
          clientId: 'c1',
          clientSecret: CLIENT_SECRET,
          scope: 'smtp',
        },
      },
      from: { address: 'noreply@example.com' },
    },
  });
}

/** What the settings routes asked of the backend beyond `settings`: checks and test mails with their unsaved settings. */
export interface BackendCalls {
  readonly checks: (SettingsUpdate | undefined)[];
  readonly sendTests: { to: string; settings?: SettingsUpdate }[];
  readonly logged: unknown[][];
}

/**
 * The admin backend over a Mailroom and contract settings: what `Mailroom` will be once its run-time settings land
 * (until then it lacks `settings` and `checkSettings`).
 */
export function backendOf(mailroom: Mailroom, settings: AdminSettings): AdminBackend & { calls: BackendCalls } {
  const calls: BackendCalls = { checks: [], sendTests: [], logged: [] };
  return {
    calls,
    outbox: mailroom.outbox,
    suppressions: mailroom.suppressions,
    settings,
    templates: mailroom.templates,
    logger: { error: (...args: unknown[]) => void calls.logged.push(args), warn: (...args: unknown[]) => void calls.logged.push(args) },
    health: (options) => mailroom.health(options),
    doctor: () => mailroom.doctor(),
    checkSettings: async (update) => {
      calls.checks.push(update);
      return mailroom.doctor();
    },
    sendTest: async (to, options) => {
      calls.sendTests.push({ to, ...(options?.settings ? { settings: options.settings } : {}) });
      return mailroom.sendTest(to);
    },
  };
}

/** Dead letters made the way delivery makes them: the server refuses each mail for good. */
export async function deadLetters(
  mailroom: TestMailroom,
  recipients: readonly { userId: string; address: string; kind?: 'user-invite' | 'import-failed' }[],
  error: () => MailSendError = () => new MailSendError('permanent', '550 5.1.1 No such mailbox', { responseCode: 550 }),
): Promise<string[]> {
  const ids: string[] = [];
  for (const r of recipients) {
    ids.push(
      await mailroom.notify(
        r.kind === 'import-failed'
          ? { kind: 'import-failed', recipient: r, payload: anImportFailed() }
          : { kind: 'user-invite', recipient: r, payload: aUserInvite() },
      ),
    );
    mailroom.clock.advance(1000);
  }
  mailroom.sender.failNext(recipients.length, error);
  await mailroom.deliver();
  return ids;
}
