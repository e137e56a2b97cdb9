/** The SQL types of Mailroom's columns, spelled as PostgreSQL and TypeORM both accept them (and `unnest` casts to `type[]`). */
export type SqlType = 'uuid' | 'text' | 'jsonb' | 'integer' | 'bigint' | 'timestamptz' | 'boolean';

/** What pg hands back for each type (a bigint is a string: it may not fit a number). */
export interface SqlValues {
  uuid: string;
  text: string;
  jsonb: unknown;
  integer: number;
  bigint: string;
  timestamptz: Date;
  boolean: boolean;
}

/** A field of T, or a field of one of T's object fields (`recipient.userId`): where a column's value lives in the domain. */
export type FieldPath<T> = {
  [K in keyof T & string]:
    K | (NonNullable<T[K]> extends Date | ((...args: never[]) => unknown) ? never : `${K}.${DataKeys<NonNullable<T[K]>>}`);
}[keyof T & string];

type DataKeys<V> = V extends object
  ? { [K in keyof V & string]: V[K] extends (...args: never[]) => unknown ? never : K }[keyof V & string]
  : never;

/** A row as pg returns it, by column name. */
export type SqlRow = Readonly<Record<string, unknown>>;

/**
 * One column of a table, and how it maps to and from the domain's shape T. Everything Mailroom says about a
 * column is here: the statements, the row mapping, the TypeORM entity and the drift test all read it.
 */
export interface Column<T> {
  readonly type: SqlType;
  readonly nullable?: boolean;
  readonly collation?: 'C';
  /** The default the migration gives the column (a number: TypeORM compares it with the database's as one). */
  readonly default?: number;
  /** Numbered by the database (`bigserial`): never written, and not read unless it has a field. */
  readonly generated?: 'increment';
  /** The domain field the column holds; a NULL leaves the field absent. Without one the column is not read. */
  readonly field?: FieldPath<T>;
  /** Reads the field from the row, for a value made of several columns (an address and its display name). */
  readonly read?: (row: SqlRow) => unknown;
  /**
   * What an insert writes: `true` the field's value, a function a value computed from the item, `{ sql }` an
   * expression computed in the database; absent, the column's default.
   */
  readonly insert?: true | ((item: T) => unknown) | InsertSql;
}

/**
 * An insert value computed in the database rather than sent: nothing to build, send or parse for it. `sent`
 * names the value sent for another column of the same row (`sent('created_at')`).
 */
export interface InsertSql {
  readonly sql: (sent: (column: string) => string) => string;
}

export type Columns<T> = Readonly<Record<string, Column<T>>>;

/** Columns of any domain shape: for what reads only the SQL facts. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyColumns = Columns<any>;

/** A row of the table as pg returns it (nullable columns may be null). */
export type RowOf<C extends AnyColumns> = {
  -readonly [K in keyof C]: SqlValues[C[K]['type']] | (C[K] extends { nullable: true } ? null : never);
};

/** The columns an insert must give a value for: NOT NULL, no default, not generated. */
export type RequiredOnInsert<C extends AnyColumns> = {
  [K in keyof C]: C[K] extends { nullable: true } | { default: number } | { generated: 'increment' } ? never : K;
}[keyof C] &
  string;
