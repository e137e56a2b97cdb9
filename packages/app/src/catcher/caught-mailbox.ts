import { readCaughtMail, readCaughtMailFile, type CaughtMail } from './mail-catcher';

/** The development mail catcher's folder, read: what Mailroom "sent" while no SMTP server was set (`mailroom.caughtMail`). */
export interface CaughtMailbox {
  /** The folder the catcher keeps its mails in (`catcher.dir`). */
  readonly dir: string;
  /** The caught mails, newest first, at most `limit` (default 50). */
  list(limit?: number): Promise<CaughtMail[]>;
  /** One caught mail by its file name (as `list` gives it); undefined when there is none by that name. */
  get(file: string): Promise<CaughtMail | undefined>;
}

/** The mailbox over a catcher's folder. */
export function caughtMailbox(dir: string): CaughtMailbox {
  return {
    dir,
    list: (limit = 50) => readCaughtMail(dir, limit),
    get: (file) => readCaughtMailFile(dir, file),
  };
}
