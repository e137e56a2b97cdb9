import type { LogFields } from './logger';

/** Field names whose values are secrets wherever they appear in a log line's fields. */
const SECRET_FIELDS = ['password', 'clientSecret', 'accessToken', 'token'] as const;

const MASK = '***';

/**
 * The same rule as pino redaction paths (pino masks only the paths it is given): the names at the top and one level
 * down, everything in a top-level `auth`, and the secrets of a nested `auth`.
 */
export const PINO_REDACT_PATHS: readonly string[] = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((name) => `*.${name}`),
  'auth.*',
  '*.auth.password',
  '*.auth.clientSecret',
];

const SECRET_NAMES = new Set<string>(SECRET_FIELDS);
/** Deep enough for every field Mailroom logs; deeper values are dropped rather than walked. */
const MAX_DEPTH = 6;

/**
 * A copy of a log line's fields for a host's logger, masked as pino masks Mailroom's own lines (more, not less: a
 * secret's name is masked at any depth, and everything under any `auth`). Errors and other class instances are passed
 * on as they are: Mailroom's errors carry no secret (their messages are scrubbed where they are made).
 */
export function redactFields(fields: LogFields): LogFields {
  return walk(fields, 0, false) as LogFields;
}

function walk(value: unknown, depth: number, secret: boolean): unknown {
  if (secret) return MASK;
  if (Array.isArray(value)) return depth >= MAX_DEPTH ? '[…]' : value.map((v) => walk(v, depth + 1, false));
  if (!isPlainObject(value)) return value;
  if (depth >= MAX_DEPTH) return '[…]';
  const copy: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    copy[key] = key === 'auth' && isPlainObject(v) ? maskAll(v) : walk(v, depth + 1, SECRET_NAMES.has(key));
  }
  return copy;
}

function maskAll(value: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.keys(value).map((key) => [key, MASK]));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
