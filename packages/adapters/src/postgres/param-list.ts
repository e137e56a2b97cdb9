import type { SqlType } from './columns';

/** One parameter of a statement: its name in the statement, its SQL type, and its value for an item. */
export interface Param<T> {
  readonly name: string;
  readonly type: SqlType;
  readonly value: (item: T) => unknown;
}

/**
 * A statement's row parameters, typed: one row as `$1::uuid, …`, many as one array per parameter turned back
 * into rows by `unnest`. The SQL and the values come from the same list, so the `$N`, the casts and the values cannot fall
 * out of step.
 */
export class ParamList<T> {
  private readonly encoders: readonly ((item: T) => unknown)[];

  constructor(readonly params: readonly Param<T>[]) {
    this.encoders = params.map((p) => encoder(p.type, p.value));
  }

  /** `$1::uuid`, …: one row's placeholders, numbered from `first`. */
  placeholders(first = 1): string[] {
    return this.params.map((p, i) => `$${first + i}::${p.type}`);
  }

  /** `unnest($1::uuid[], …) AS alias(id, …)`: many rows, numbered from `first`; `ordinality` names a row-number column. */
  unnest(alias: string, options: { first?: number; ordinality?: string } = {}): string {
    const first = options.first ?? 1;
    const arrays = this.params.map((p, i) => `$${first + i}::${p.type}[]`).join(', ');
    if (options.ordinality === undefined) return `unnest(${arrays}) AS ${alias}(${this.names().join(', ')})`;
    return `unnest(${arrays}) WITH ORDINALITY AS ${alias}(${[...this.names(), options.ordinality].join(', ')})`;
  }

  /** One item's values, in the order `placeholders` numbers them. */
  one(item: T): unknown[] {
    return this.encoders.map((encode) => encode(item));
  }

  /** The arrays of many items, in the order `unnest` numbers them. */
  many(items: readonly T[]): unknown[][] {
    return this.encoders.map((encode) => items.map(encode));
  }

  private names(): string[] {
    return this.params.map((p) => p.name);
  }
}

/**
 * A value as pg should send it. jsonb goes as JSON text: pg would send a JavaScript array as a PostgreSQL array,
 * and inside an array parameter an object needs quoting of its own. pg sends undefined as NULL.
 */
function encoder<T>(type: SqlType, value: (item: T) => unknown): (item: T) => unknown {
  if (type !== 'jsonb') return value;
  return (item) => {
    const v = value(item);
    return v === undefined || v === null ? null : JSON.stringify(v);
  };
}
