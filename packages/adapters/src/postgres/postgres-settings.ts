import { PostgresError } from './postgres-errors';

/** Where Mailroom keeps its tables: its own schema, so a host's database can hold them beside its own. */
export interface SchemaSettings {
  /** Default `mailroom`. Lower-case letters, digits and underscores, starting with a letter or underscore. */
  readonly schema?: string;
}

/** How Mailroom connects to PostgreSQL when it owns the connection pool. */
export interface PostgresSettings extends SchemaSettings {
  /** `postgres://user:password@host:5432/database` */
  readonly url: string;
  /** Connections in the pool. Default 10: workers claim and settle on short statements, so few suffice. */
  readonly poolSize?: number;
  /** Shown in `pg_stat_activity`. Default `mailroom`. */
  readonly applicationName?: string;
  /** Connecting, or waiting for a free pooled connection, gives up after this. Default 5 000 ms. */
  readonly connectTimeoutMs?: number;
  /** Told when an idle pooled connection fails (the server restarted); the pool drops it and connects anew. */
  readonly onPoolError?: (error: Error) => void;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

export const DEFAULT_SCHEMA = 'mailroom';

// Checked, then interpolated into SQL: identifiers cannot be bound as parameters.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The schema name, checked so that it is safe to put into SQL text. */
export function schemaName(settings: SchemaSettings = {}): string {
  const schema = settings.schema ?? DEFAULT_SCHEMA;
  if (!SCHEMA_NAME.test(schema)) {
    throw new PostgresError(
      'POSTGRES.SCHEMA_INVALID',
      `"${schema}" cannot be Mailroom's schema name: use 1 to 63 lower-case letters, digits and underscores, starting with a letter or underscore (e.g. "mailroom").`,
    );
  }
  return schema;
}
