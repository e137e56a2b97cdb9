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

/** The secret keys given to this process: the current one and the previous ones, read and checked once. */
export interface SecretKeys {
  /** Seals stored secrets with the current key; opens what any of the keys sealed. Undefined without a key. */
  readonly box?: SecretBox;
  /** The current key's bytes (e.g. to derive the unsubscribe key from). */
  readonly current?: Buffer;
  /** The previous keys' bytes, still opening (and verifying) what they sealed (signed) until rotated away. */
  readonly previous: readonly Buffer[];
}

/**
 * The keys of `MAILROOM_SECRET_KEY` (or `_FILE`) and `MAILROOM_SECRET_KEY_PREVIOUS` (comma-separated, or `_FILE`): the
 * box that seals stored secrets with the current key, the previous keys still opening what they sealed until
 * `mailroom settings rotate-key` seals it again. No key configured: no box.
 */
export function secretKeysFromEnvironment(env: NodeJS.ProcessEnv, cwd: string): SecretKeys {
  const current = keysFrom(env, cwd, 'MAILROOM_SECRET_KEY');
  const previous = keysFrom(env, cwd, 'MAILROOM_SECRET_KEY_PREVIOUS');
  if (current.length === 0) {
    if (previous.length > 0) {
      throw new MailroomError(
        'SECRETS.KEY_INVALID',
        `MAILROOM_SECRET_KEY_PREVIOUS is set but MAILROOM_SECRET_KEY is not: ${SECRET_KEY_HELP}.`,
      );
    }
    return { previous: [] };
  }
  if (current.length > 1) {
    throw new MailroomError(
      'SECRETS.KEY_INVALID',
      'MAILROOM_SECRET_KEY holds one key; list older keys in MAILROOM_SECRET_KEY_PREVIOUS (comma-separated).',
    );
  }
  return { box: new SecretBox(current[0]!, previous), current: current[0]!.key, previous: previous.map((k) => k.key) };
}

/** The box alone (see `secretKeysFromEnvironment`). */
export function secretBoxFromEnvironment(env: NodeJS.ProcessEnv, cwd: string): SecretBox | undefined {
  return secretKeysFromEnvironment(env, cwd).box;
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
