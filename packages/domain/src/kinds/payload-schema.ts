import type { FieldIssue } from '../errors';
import { closestName } from './closest-name';

/**
 * A small, dependency-free way to describe a payload's shape: the domain validates host input
 * without importing a validation library. Each check reports issues under the field's path.
 */
export type FieldCheck = (value: unknown, field: string, issues: FieldIssue[]) => void;

/** Validates a whole payload; an empty list means valid. */
export type PayloadValidator = (payload: unknown) => FieldIssue[];

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function optional(check: FieldCheck): FieldCheck {
  return (value, field, issues) => {
    if (value !== undefined && value !== null) check(value, field, issues);
  };
}

function text(options: { max?: number } = {}): FieldCheck {
  const max = options.max ?? 1000;
  return (value, field, issues) => {
    if (typeof value !== 'string' || value.trim() === '') {
      issues.push({ field, problem: 'is required: a non-empty string' });
    } else if (value.length > max) {
      issues.push({ field, problem: `is longer than ${max} characters` });
    }
  };
}

const REFERENCE = /^[A-Za-z0-9_.:/#-]+$/;

/**
 * An identifier that ends up in a subject or a header (`[CR-1234]`, thread keys): letters, digits and
 * `-_.:/#` only, so no line break, space, `<>@` or quote can make it look like more than an id.
 */
function reference(options: { max?: number } = {}): FieldCheck {
  const max = options.max ?? 200;
  return (value, field, issues) => {
    if (typeof value !== 'string' || value === '') {
      issues.push({ field, problem: 'is required: a non-empty string' });
    } else if (value.length > max) {
      issues.push({ field, problem: `is longer than ${max} characters` });
    } else if (!REFERENCE.test(value)) {
      issues.push({
        field,
        problem: `may hold only letters, digits and - _ . : / # (got ${JSON.stringify(value.slice(0, 80))}), such as "CR-1234"`,
      });
    }
  };
}

function count(): FieldCheck {
  return (value, field, issues) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      issues.push({ field, problem: `must be a whole number of 0 or more (got ${JSON.stringify(value)})` });
    }
  };
}

/** An ISO 8601 date or date-time string, e.g. `2026-12-01` or `2026-12-01T09:00:00Z`. */
function dateTime(): FieldCheck {
  return (value, field, issues) => {
    if (typeof value !== 'string' || !ISO_DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
      issues.push({ field, problem: `must be an ISO 8601 date-time such as "2026-12-01T09:00:00Z" (got ${JSON.stringify(value)})` });
    }
  };
}

/** The one rule for a link path, shared by payload validation and the templates' link builder. */
export function isLinkPath(path: unknown): path is string {
  return (
    typeof path === 'string' && path.startsWith('/') && !path.startsWith('//') && !/[\s\u0000-\u001f\u007f\\]/.test(path) && !climbs(path)
  );
}

/**
 * Whether a path has a `.` or `..` segment (also percent-encoded, which URL parsers resolve the same way): such a
 * segment could take the link out of the base URL's path (`/idm/` + `/../admin` → `/admin`).
 */
function climbs(path: string): boolean {
  // Most paths have neither a dot nor an escaped one: no segment to look at.
  if (!path.includes('.') && !path.includes('%')) return false;
  const pathPart = path.split(/[?#]/, 1)[0]!;
  return pathPart.split('/').some((segment) => /^(\.|%2e){1,2}$/i.test(segment));
}

/**
 * A path inside the host application, e.g. `/queries/42`. Templates turn it into an absolute link on the
 * configured base URL, so an absolute URL here would bypass that (and could point anywhere).
 */
function linkPath(): FieldCheck {
  return (value, field, issues) => {
    if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) {
      issues.push({
        field,
        problem: `must be a path starting with "/" such as "/queries/42" (got ${JSON.stringify(value)}); links are built on links.baseUrl`,
      });
    } else if (climbs(value)) {
      issues.push({ field, problem: 'must not contain "." or ".." segments: a link stays inside links.baseUrl' });
    } else if (!isLinkPath(value)) {
      issues.push({ field, problem: 'must not contain white space, backslashes or control characters; percent-encode them' });
    } else if (value.length > 2000) {
      issues.push({ field, problem: 'is longer than 2000 characters' });
    }
  };
}

function list(item: FieldCheck, options: { min?: number; max?: number } = {}): FieldCheck {
  const min = options.min ?? 0;
  const max = options.max ?? 1000;
  return (value, field, issues) => {
    if (!Array.isArray(value)) {
      issues.push({ field, problem: 'must be a list' });
      return;
    }
    if (value.length < min) issues.push({ field, problem: `needs at least ${min} item${min === 1 ? '' : 's'}` });
    if (value.length > max) issues.push({ field, problem: `has more than ${max} items` });
    value.forEach((v, i) => item(v, `${field}[${i}]`, issues));
  };
}

/** How a `payloadSchema` (or `field.object`) treats fields its shape does not name. */
export interface ObjectOptions {
  /**
   * `refuse`: a field the shape does not name is an issue (a misspelt `linkpath` would otherwise be
   * dropped silently, and the mail sent without its link). `allow` (the default, for hosts' own kinds): ignored.
   */
  readonly unknownFields?: 'refuse' | 'allow';
}

function object(shape: Record<string, FieldCheck>, options: ObjectOptions = {}): FieldCheck {
  const known = Object.keys(shape);
  return (value, field, issues) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      issues.push({ field, problem: 'must be an object' });
      return;
    }
    const record = value as Record<string, unknown>;
    const path = (key: string) => (field === '' ? key : `${field}.${key}`);
    for (const [key, check] of Object.entries(shape)) check(record[key], path(key), issues);
    if (options.unknownFields === 'refuse') {
      for (const key of Object.keys(record)) {
        if (Object.hasOwn(shape, key)) continue;
        const meant = closestName(key, known);
        issues.push({
          field: path(key),
          problem: `is not a field of this payload${meant ? `; did you mean "${meant}"?` : ''} (known: ${known.join(', ')})`,
        });
      }
    }
  };
}

/** The field checks a `payloadSchema` is made of: `field.text()`, `field.linkPath()`, `field.optional(…)`, … */
export const field = { optional, text, reference, count, dateTime, linkPath, list, object };

/** A validator for a payload object; issue fields are prefixed with `payload.`. */
export function payloadSchema(shape: Record<string, FieldCheck>, options: ObjectOptions = {}): PayloadValidator {
  const check = object(shape, options);
  return (payload) => {
    const issues: FieldIssue[] = [];
    check(payload, 'payload', issues);
    return issues;
  };
}
