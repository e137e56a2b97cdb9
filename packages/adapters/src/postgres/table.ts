import type { AnyColumns, Column, Columns, FieldPath, InsertSql, SqlRow, SqlType } from './columns';
import { ParamList, type Param } from './param-list';

interface PrimaryKey<C> {
  readonly name: string;
  readonly columns: readonly (keyof C & string)[];
}

/** Where a read column's value goes: `key` of the result, or of its `parent` object (`recipient.userId`). */
interface Reader {
  readonly column: string;
  readonly parent: string | undefined;
  readonly key: string;
  readonly read: ((row: SqlRow) => unknown) | undefined;
}

/**
 * A table's column definition and everything derived from it once, at load: the select list, the insert list
 * with its single-row values and its `unnest` arrays, and the row → domain mapping. Schema-free: statements put
 * `"<schema>".<name>` in front.
 */
export class Table<T, C extends Columns<T>> {
  /** The columns reads return, in definition order: all but the database's own numbering (`seq`). */
  readonly select: string;
  /** The columns an insert writes, in definition order. */
  readonly insertColumns: readonly (keyof C & string)[];
  /** The values an insert sends: one per column written from the item. */
  readonly inserts: ParamList<T>;
  /** `(columns) VALUES (…)`: one row, its parameters from `inserts.one`. */
  readonly insertOne: string;
  /** `(columns) SELECT … FROM unnest(…) v ORDER BY v.ord`: many rows in their order, parameters from `inserts.many`. */
  readonly insertMany: string;
  private readonly readers: readonly Reader[];
  private readonly written: readonly [keyof C & string, Column<T>][];

  constructor(
    readonly name: string,
    readonly columns: C,
    readonly primaryKey: PrimaryKey<C>,
  ) {
    const entries = Object.entries(columns) as [keyof C & string, Column<T>][];
    // A column without a field may still be read by another's `read` (the display name, by the address's).
    this.select = entries
      .filter(([, c]) => c.field !== undefined || c.generated === undefined)
      .map(([name]) => name)
      .join(', ');
    this.readers = entries.filter(([, c]) => c.field !== undefined).map(([name, c]) => reader(name, c.field!, c.read));
    const written = entries.filter(([, c]) => c.insert !== undefined);
    this.written = written;
    this.insertColumns = written.map(([name]) => name);
    this.inserts = new ParamList(
      written.filter(([, c]) => !isSql(c.insert)).map(([name, c]) => ({ name, type: c.type, value: insertValue(name, c) })),
    );
    // One row as plain VALUES: INSERT … SELECT FROM (VALUES …) took PostgreSQL 10% longer to plan.
    const placeholders = this.inserts.placeholders();
    this.insertOne = `${this.columnList()} VALUES (${this.values((column) => placeholders[this.sentIndex(column)]!)})`;
    this.insertMany = this.insertSelect(this.inserts, '', {}).many;
  }

  private columnList(): string {
    return `(${this.insertColumns.join(', ')})`;
  }

  /** The written columns' values: `ref` names a sent value; `computed` columns take their own SQL. */
  private values(ref: (column: string) => string, computed: Partial<Record<string, string>> = {}): string {
    return this.written.map(([column, c]) => computed[column] ?? (isSql(c.insert) ? c.insert.sql(ref) : ref(column))).join(', ');
  }

  private sentIndex(column: string): number {
    const index = this.inserts.params.findIndex((p) => p.name === column);
    if (index < 0) throw new Error(`Table ${this.name}: an insert expression reads "${column}", which is not sent.`);
    return index;
  }

  /** The parameters of an `insertSelect`: the columns' values, then `extra` ones the statement reads. */
  insertParams<X extends T>(extra: readonly Param<X>[]): ParamList<X> {
    return new ParamList<X>([...(this.inserts.params as readonly Param<X>[]), ...extra]);
  }

  /**
   * An insert whose values may be decided in the database: the rows (one row's placeholders, or many rows' arrays
   * of `params`, from `insertParams`) become `v`; `joins` follow `v`; `computed` columns take their SQL (over `v` and
   * the joins) instead of the value sent. `one` and `many` give `(columns) SELECT … ORDER BY v.ord`.
   */
  insertSelect<X extends T>(
    params: ParamList<X>,
    joins: string,
    computed: Partial<Record<WrittenColumn<C>, string>>,
  ): { one: string; many: string } {
    const names = params.params.map((p) => p.name);
    const sent = (column: string) => (this.sentIndex(column), `v.${column}`);
    const select = `${this.columnList()} SELECT ${this.values(sent, computed)}`;
    return {
      one: `${select} FROM (VALUES (${params.placeholders().join(', ')}, 1)) AS v(${[...names, 'ord'].join(', ')}) ${joins} ORDER BY v.ord`,
      many: `${select} FROM ${params.unnest('v', { ordinality: 'ord' })} ${joins} ORDER BY v.ord`,
    };
  }

  typeOf(column: keyof C & string): SqlType {
    return this.columns[column]!.type;
  }

  /** A parameter holding one of the table's columns (cast to its type), for a statement's own parameter list. */
  param<X>(column: keyof C & string, value: (item: X) => unknown): Param<X> {
    return { name: column, type: this.typeOf(column), value };
  }

  /** A row as the domain sees it: optional fields absent rather than null. */
  fromRow(row: SqlRow): T {
    const out: Record<string, unknown> = {};
    for (const r of this.readers) {
      const value = r.read === undefined ? row[r.column] : r.read(row);
      if (value === null || value === undefined) continue;
      if (r.parent === undefined) out[r.key] = value;
      else ((out[r.parent] ??= {}) as Record<string, unknown>)[r.key] = value;
    }
    return out as T;
  }
}

/** The columns an insert writes (those with an `insert`): the only ones whose value an insert may compute. */
type WrittenColumn<C> = { [K in keyof C & string]: C[K] extends { insert: unknown } ? K : never }[keyof C & string];

/** What a table says in SQL terms alone, whatever its domain shape: for the entities and the drift test. */
export interface TableFacts {
  readonly name: string;
  readonly columns: AnyColumns;
  readonly primaryKey: { readonly name: string; readonly columns: readonly string[] };
}

/** `defineTable<Notification>()('notifications', { … }, { primaryKey })`: the domain shape given, the columns inferred. */
export function defineTable<T>() {
  return <const C extends Columns<T>>(name: string, columns: C, options: { primaryKey: PrimaryKey<C> }): Table<T, C> =>
    new Table<T, C>(name, columns, options.primaryKey);
}

/** Columns of a value object, to be placed under a field of a table's shape with `nested`. */
export function columnsOf<T>() {
  return <const C extends Columns<T>>(columns: C): C => columns;
}

/** A value object's columns under `at`: its fields become `at.field`, its insert values are taken from `item[at]`. */
export function nested<T>() {
  return <const K extends keyof T & string, const C extends Columns<NonNullable<T[K]>>>(at: K, columns: C) => {
    const moved: Record<string, Column<T>> = {};
    for (const [name, c] of Object.entries<Column<NonNullable<T[K]>>>(columns)) {
      const insert = c.insert;
      moved[name] = {
        ...c,
        field: c.field === undefined ? undefined : (`${at}.${c.field}` as FieldPath<T>),
        insert: typeof insert === 'function' ? (item: T) => insert(item[at] as NonNullable<T[K]>) : insert,
      };
    }
    return moved as { readonly [N in keyof C]: Omit<C[N], 'field' | 'insert' | 'read'> & Column<T> };
  };
}

function reader(column: string, field: string, read: ((row: SqlRow) => unknown) | undefined): Reader {
  const dot = field.indexOf('.');
  return dot < 0
    ? { column, parent: undefined, key: field, read }
    : { column, parent: field.slice(0, dot), key: field.slice(dot + 1), read };
}

function isSql(insert: Column<never>['insert']): insert is InsertSql {
  return typeof insert === 'object';
}

function insertValue<T>(name: string, c: Column<T>): (item: T) => unknown {
  if (typeof c.insert === 'function') return c.insert;
  if (c.field === undefined) throw new Error(`Column ${name} is written from its field but has none.`);
  const [first, second] = c.field.split('.') as [string, string | undefined];
  if (second === undefined) return (item) => (item as Record<string, unknown>)[first];
  return (item) => (item as Record<string, Record<string, unknown> | undefined>)[first]?.[second];
}
