import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseSecretKey, SecretBox, type SecretKey } from '@mailroom/adapters';
import { MailroomError } from '@mailroom/domain';

/** How to make and give a key, for every message that asks for one. */
export const SECRET_KEY_HELP =
  'set MAILROOM_SECRET_KEY (or MAILROOM_SECRET_KEY_FILE) to 32 random bytes, e.g. the output of `openssl rand -base64 32`, the same on every node';

/** A secret cannot be saved: no key to seal it with. Nothing was saved. */
export class SecretKeyMissingError extends MailroomError {
  override readonly name = 'SecretKeyMissingError';

  constructor(readonly settings: readonly string[]) {
    super(
      'SECRETS.KEY_MISSING',
      `Saving ${settings.join(', ')} needs a secret key, and secrets are never stored in plain text: ${SECRET_KEY_HELP}; then save again.`,
    );
  }
}

/**
 * The box that seals stored secrets, from `MAILROOM_SECRET_KEY` (or `_FILE`), with the keys of
 * `MAILROOM_SECRET_KEY_PREVIOUS` (comma-separated, or `_FILE`) still opening what they sealed until
 * `mailroom settings rotate-key` seals it again. Undefined when no key is configured.
 */
export function secretBoxFromEnvironment(env: NodeJS.ProcessEnv, cwd: string): SecretBox | undefined {
  const current = keysFrom(env, cwd, 'MAILROOM_SECRET_KEY');
  const previous = keysFrom(env, cwd, 'MAILROOM_SECRET_KEY_PREVIOUS');
  if (current.length === 0) {
    if (previous.length > 0) {
      throw new MailroomError(
        'SECRETS.KEY_INVALID',
        `MAILROOM_SECRET_KEY_PREVIOUS is set but MAILROOM_SECRET_KEY is not: ${SECRET_KEY_HELP}.`,
      );
    }
    return undefined;
  }
  if (current.length > 1) {
    throw new MailroomError(
      'SECRETS.KEY_INVALID',
      'MAILROOM_SECRET_KEY holds one key; list older keys in MAILROOM_SECRET_KEY_PREVIOUS (comma-separated).',
    );
  }
  return new SecretBox(current[0]!, previous);
}

/**
 * The secret keys' bytes, e.g. to derive the unsubscribe key from: the current one (MAILROOM_SECRET_KEY or `_FILE`,
 * undefined when unset) and the previous ones (MAILROOM_SECRET_KEY_PREVIOUS), whose links still verify after a rotation.
 */
export function secretKeysFromEnvironment(env: NodeJS.ProcessEnv, cwd: string): { current?: Buffer; previous: Buffer[] } {
  const current = keysFrom(env, cwd, 'MAILROOM_SECRET_KEY')[0]?.key;
  return { ...(current !== undefined ? { current } : {}), previous: keysFrom(env, cwd, 'MAILROOM_SECRET_KEY_PREVIOUS').map((k) => k.key) };
}

function keysFrom(env: NodeJS.ProcessEnv, cwd: string, variable: string): SecretKey[] {
  let text = env[variable];
  let source = variable;
  const file = env[`${variable}_FILE`];
  if ((text === undefined || text === '') && file) {
    source = `${variable}_FILE (${file})`;
    try {
      text = readFileSync(resolve(cwd, file), 'utf8');
    } catch (cause) {
      throw new MailroomError(
        'SECRETS.KEY_INVALID',
        `${variable}_FILE names ${file}, which cannot be read (${(cause as NodeJS.ErrnoException).code ?? 'error'}).`,
      );
    }
  }
  if (text === undefined || text.trim() === '') return [];
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => parseSecretKey(part, source));
}
