import { DatabaseUnavailableError } from '@mailroom/domain';
import { PostgresError } from './postgres-errors';

/** Socket errors that mean the server is not there (or went away). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/**
 * SQLSTATEs of a server that cannot serve now: class 08 (connection exception), 57P01–57P03 (shut down, crashed,
 * starting up), 53300 (too many connections), 57014 (cancelled: a statement timeout).
 */
const UNAVAILABLE_STATES = /^(08...|57P0[123]|53300|57014)$/;

/** What pg says when a connection ends under a query, or never comes. */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout|Connection ended unexpectedly|the database system is (starting up|shutting down|in recovery mode)/i;

/** A failure to reach the database, as opposed to a statement it refused. */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError || error instanceof DatabaseTimeout) return true;
  // Duck-typed: an error from another realm (a vm context such as jest's, a worker) is no `instanceof Error` here.
  if (!isErrorLike(error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.test(code))) return true;
  return UNAVAILABLE_MESSAGES.test(error.message) || (error instanceof AggregateError && error.errors.some(isUnavailable));
}

function isErrorLike(error: unknown): error is Error {
  return (
    error instanceof Error || (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string')
  );
}

export function databaseUnavailable(label: string, error: unknown): DatabaseUnavailableError {
  if (error instanceof DatabaseUnavailableError) return error;
  return new DatabaseUnavailableError(label, reason(error), { cause: error });
}

/** A connection the server refused for another reason than being away: wrong user, password or database name. */
export function connectFailed(label: string, error: Error): PostgresError {
  return new PostgresError(
    'POSTGRES.CONNECT_FAILED',
    `Cannot connect to ${label}: ${error.message}. Check the URL's user, password and database name.`,
    {
      cause: error,
    },
  );
}

/** Mailroom gave up waiting. */
export class DatabaseTimeout extends Error {
  override readonly name = 'DatabaseTimeout';
}

export function timedOut(what: string, ms: number): DatabaseTimeout {
  return new DatabaseTimeout(`no answer to ${what} within ${ms} ms`);
}

function reason(error: unknown): string {
  if (!isErrorLike(error)) return String(error);
  const code = (error as { code?: unknown }).code;
  if (code === 'ECONNREFUSED') return 'connection refused (is PostgreSQL running and listening there?)';
  if (code === '57P01') return 'the server is shutting down (terminating connections)';
  if (code === '57P03') return 'the server is starting up or not accepting connections yet';
  if (error instanceof AggregateError && error.errors[0] instanceof Error) return reason(error.errors[0]);
  return error.message.replace(/\.$/, '') || (typeof code === 'string' ? code : error.name);
}

/** A failure met while connecting or setting up, as Mailroom reports it: unavailable (retry later) or refused (fix the URL). */
export function connectionError(label: string, error: unknown): Error {
  if (error instanceof PostgresError || error instanceof DatabaseUnavailableError) return error;
  if (isUnavailable(error)) return databaseUnavailable(label, error);
  return error instanceof Error ? connectFailed(label, error) : new Error(String(error));
}
