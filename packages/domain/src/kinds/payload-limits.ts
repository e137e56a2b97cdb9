import type { FieldIssue } from '../errors';
import { unstorableText } from '../values/text';

/** Bounds on any payload, of every kind (built-in or the host's), checked before it is stored. */
export interface PayloadLimits {
  /** Largest payload, in bytes of its UTF-8 JSON. */
  readonly maxBytes: number;
  /** How an admin raises `maxBytes` (the setting's name), for the error's hint. */
  readonly maxBytesSetting?: string;
}

/** 64 KiB: far more than a notification needs (ids, names, a link), far less than a document. */
export const DEFAULT_PAYLOAD_LIMITS: PayloadLimits = { maxBytes: 65_536 };

/** Objects and lists nested deeper than this are refused: no notification needs it, and deep input overflows stacks. */
export const MAX_PAYLOAD_DEPTH = 32;

/** Enough issues to fix a payload by; a payload with thousands of bad strings does not need a message of thousands. */
const MAX_ISSUES = 10;

const INVALID = 'NOTIFICATION.INVALID_PAYLOAD';
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function childPath(parent: string, key: string): string {
  return IDENTIFIER.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/**
 * What makes a payload unstorable whatever its kind: a NUL or a lone surrogate in any string or key,
 * nesting deeper than MAX_PAYLOAD_DEPTH (a cycle counts as too deep), values JSON cannot hold, and a
 * serialized size over the limit. Walks without recursion, so any depth of input is safe to check.
 * Returns `tooDeep` so a caller can spare recursive validators a structure they might not survive.
 */
export function payloadLimitIssues(
  payload: unknown,
  limits: PayloadLimits = DEFAULT_PAYLOAD_LIMITS,
): { issues: FieldIssue[]; tooDeep: boolean } {
  const issues: FieldIssue[] = [];
  let tooDeep = false;
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value: payload, path: 'payload', depth: 0 }];
  while (pending.length > 0 && issues.length < MAX_ISSUES) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value === 'string') {
      const problem = unstorableText(value);
      if (problem !== undefined) issues.push({ field: path, problem, code: INVALID });
    } else if (typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol') {
      issues.push({
        field: path,
        code: INVALID,
        problem: `is a ${typeof value}; a payload is JSON data (strings, numbers, booleans, lists, objects)`,
      });
    } else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_PAYLOAD_DEPTH) {
        tooDeep = true;
        issues.push({ field: path, code: INVALID, problem: `is nested more than ${MAX_PAYLOAD_DEPTH} levels deep; flatten the payload` });
        continue;
      }
      const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
      // Pushed in reverse so issues come out in the payload's own order.
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        if (typeof key === 'string') {
          const problem = unstorableText(key);
          if (problem !== undefined) {
            issues.push({ field: childPath(path, key), code: INVALID, problem: `has a name that ${problem}` });
            continue;
          }
        }
        pending.push({ value: child, path: typeof key === 'number' ? `${path}[${key}]` : childPath(path, key), depth: depth + 1 });
      }
    }
  }
  if (issues.length > 0) return { issues, tooDeep };
  const bytes = utf8Length(JSON.stringify(payload) ?? '');
  if (bytes > limits.maxBytes) {
    const raise = limits.maxBytesSetting ? `, or raise ${limits.maxBytesSetting}` : '';
    issues.push({
      field: 'payload',
      code: 'NOTIFICATION.PAYLOAD_TOO_LARGE',
      problem: `is ${bytes} bytes as JSON, more than the limit of ${limits.maxBytes}; send ids, names and a link path rather than documents or data sets${raise}`,
    });
  }
  return { issues, tooDeep };
}

/** Bytes of `text` in UTF-8 (the domain has no Buffer); lone surrogates, refused before, would count 3. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
