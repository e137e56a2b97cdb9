import { createMailroomDataSource, migrate } from '@mailroom/adapters';
import type { SqlType } from '../../../packages/adapters/src/postgres/columns';
import type { TableFacts } from '../../../packages/adapters/src/postgres/table';
import { TABLES } from '../../../packages/adapters/src/postgres/tables';
import { describeOnSystemPostgres, SYSTEM_POSTGRES_URL, uniqueSchema } from '../../support/postgres';

type DataSource = ReturnType<typeof createMailroomDataSource>;

/** How information_schema names each type (`udt_name`). */
const UDT: Record<SqlType, string> = {
  uuid: 'uuid',
  text: 'text',
  jsonb: 'jsonb',
  integer: 'int4',
  bigint: 'int8',
  timestamptz: 'timestamptz',
  boolean: 'bool',
};

interface ColumnFacts {
  column: string;
  type: string;
  nullable: boolean;
  collation: string | null;
  default: string | null;
}

// The statements and the row mapping are built from the table definitions, the tables from the migrations:
// this is where the two meet, so that neither can change alone.
describeOnSystemPostgres()('The table definitions', () => {
  const schema = uniqueSchema();
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = createMailroomDataSource({ url: SYSTEM_POSTGRES_URL, schema, poolSize: 1 });
    await dataSource.initialize();
    await migrate(dataSource, { schema });
  });

  afterAll(async () => {
    await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await dataSource.destroy();
  });

  it.each(TABLES.map((t): [string, TableFacts] => [t.name, t]))(
    '%s: every column of the migrated table, with its type, nullability, collation and default',
    async (name, table) => {
      const rows: {
        column_name: string;
        udt_name: string;
        is_nullable: string;
        collation_name: string | null;
        column_default: string | null;
      }[] = await dataSource.query(
        `SELECT column_name, udt_name, is_nullable, collation_name, column_default
       FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY column_name`,
        [schema, name],
      );
      const migrated: ColumnFacts[] = rows.map((r) => ({
        column: r.column_name,
        type: r.udt_name,
        nullable: r.is_nullable === 'YES',
        collation: r.collation_name,
        // A serial's default names its sequence, which the definition does not.
        default: r.column_default?.startsWith('nextval(') ? 'serial' : r.column_default,
      }));
      const defined: ColumnFacts[] = Object.entries(table.columns)
        .map(([column, c]) => ({
          column,
          type: UDT[c.type],
          nullable: c.nullable === true,
          collation: c.collation ?? null,
          default: c.generated === 'increment' ? 'serial' : c.default === undefined ? null : String(c.default),
        }))
        .sort((a, b) => (a.column < b.column ? -1 : 1));
      expect(migrated).toEqual(defined);
    },
  );

  it.each(TABLES.map((t): [string, TableFacts] => [t.name, t]))('%s: the primary key, by name and columns', async (name, table) => {
    const rows: { constraint_name: string; column_name: string }[] = await dataSource.query(
      `SELECT k.constraint_name, k.column_name
       FROM information_schema.table_constraints c
       JOIN information_schema.key_column_usage k USING (constraint_schema, constraint_name)
       WHERE c.table_schema = $1 AND c.table_name = $2 AND c.constraint_type = 'PRIMARY KEY'
       ORDER BY k.ordinal_position`,
      [schema, name],
    );
    expect(rows.map((r) => r.column_name)).toEqual(table.primaryKey.columns);
    expect(new Set(rows.map((r) => r.constraint_name))).toEqual(new Set([table.primaryKey.name]));
  });
});
