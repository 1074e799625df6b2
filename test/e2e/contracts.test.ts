// Model contracts on the PostgreSQL server and on PGlite: declared types and constraints (not_null,
// unique, primary_key, check, foreign_key to a ref, model-level composite keys) land in the table
// and are enforced by the database; rebuilding works again and again; a model whose SQL drifts from
// its contract fails before any table is touched, with every difference listed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAREHOUSES, warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const CUSTOMERS = "select 1 as id, 'ana'::text as name, 10.5 as score, 'a@x'::varchar(20) as email\nunion all select 2, 'bo', 0, 'b@x'\n";
const ORDERS = "select 1 as order_id, 1 as line, 1 as customer_id\nunion all select 1, 2, 2\n";

const FILES: Record<string, string> = {
  'dbt_project.yml': 'name: demo\nprofile: demo\nmodels:\n  demo:\n    +materialized: table\n',
  'models/customers.sql': CUSTOMERS,
  'models/orders.sql': ORDERS,
  'models/customer_names.sql': "{{ config(materialized='view') }}\nselect id, name from {{ ref('customers') }}\n",
  'models/_contracts.yml': `version: 2
models:
  - name: customers
    config:
      contract: {enforced: true}
    columns:
      - name: id
        data_type: int
        constraints:
          - type: not_null
          - type: primary_key
      - name: name
        data_type: text
        constraints: [{type: not_null}]
      - name: score
        data_type: numeric(10, 2)
        constraints: [{type: check, expression: 'score >= 0'}]
      - name: email
        data_type: varchar(20)
        constraints: [{type: unique}]
  - name: orders
    config:
      contract: {enforced: true}
    constraints:
      - type: primary_key
        columns: [order_id, line]
    columns:
      - {name: order_id, data_type: integer}
      - {name: line, data_type: integer}
      - name: customer_id
        data_type: integer
        constraints:
          - type: foreign_key
            to: ref('customers')
            to_columns: [id]
  - name: customer_names
    config:
      contract: {enforced: true}
    columns:
      - {name: id, data_type: integer}
      - {name: name, data_type: text}
`,
};

describe.each(WAREHOUSES)('model contracts on %s', (kind) => {
  let p: WarehouseProject;
  let first: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject(kind, FILES);
    first = await p.run('build');
  }, 300_000);
  afterAll(() => p.cleanup());

  const fails = async (statement: string) => {
    try {
      await p.sql(statement);
      return 'accepted';
    } catch (err) {
      return (err as Error).message;
    }
  };

  it('creates the declared types and constraints, and the database enforces them', async () => {
    expect(first.code, first.output).toBe(0);
    const columns = await p.sql(
      `select column_name, data_type, is_nullable from information_schema.columns where table_schema = '${p.schema}' and table_name = 'customers' order by ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'integer', is_nullable: 'NO' },
      { column_name: 'name', data_type: 'text', is_nullable: 'NO' },
      { column_name: 'score', data_type: 'numeric', is_nullable: 'YES' },
      { column_name: 'email', data_type: 'character varying', is_nullable: 'YES' },
    ]);
    expect(await p.sql(`select id, name, score::text as score from ${p.schema}.customers order by id`)).toEqual([
      { id: 1, name: 'ana', score: '10.50' },
      { id: 2, name: 'bo', score: '0.00' },
    ]);
    const kinds = await p.sql(
      `select c.contype::text as kind, count(*)::int as n from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_namespace s on s.oid = t.relnamespace
       where s.nspname = '${p.schema}' and c.contype in ('c', 'f', 'p', 'u') group by 1 order by 1`,
    );
    expect(kinds).toEqual([
      { kind: 'c', n: 1 },
      { kind: 'f', n: 1 },
      { kind: 'p', n: 2 },
      { kind: 'u', n: 1 },
    ]);
    expect(await fails(`insert into ${p.schema}.customers values (1, 'dup', 1, 'c@x')`)).toMatch(/duplicate key value violates unique constraint/);
    expect(await fails(`insert into ${p.schema}.customers values (3, null, 1, 'd@x')`)).toMatch(/null value in column "name"/);
    expect(await fails(`insert into ${p.schema}.customers values (4, 'neg', -1, 'e@x')`)).toMatch(/violates check constraint/);
    expect(await fails(`insert into ${p.schema}.orders values (1, 1, 2)`)).toMatch(/duplicate key value violates unique constraint/);
    expect(await fails(`insert into ${p.schema}.orders values (2, 1, 99)`)).toMatch(/violates foreign key constraint/);
    expect(await fails(`insert into ${p.schema}.customers values (5, 'ok', 1, 'f@x')`)).toBe('accepted');
  });

  it('rebuilds a contracted table again (constraint names never clash)', async () => {
    const again = await p.run('run', { select: ['orders'] });
    expect(again.code, again.output).toBe(0);
    expect(await p.sql(`select count(*)::int as n from ${p.schema}.orders`)).toEqual([{ n: 2 }]);
  });

  it('fails a drifted model before touching its table, listing every difference', async () => {
    p.write('models/customers.sql', "select 1 as id, 'ana'::text as name, 'high' as score, 7 as age\n");
    const drift = await p.run('run', { select: ['customers'] });
    expect(drift.code).toBe(1);
    const message = drift.results[0]?.message ?? '';
    expect(message).toMatch(/^Compilation Error in model customers \(models\/customers\.sql\)\n {2}models\/_contracts\.yml:3: This model has an enforced contract that failed\.\n/);
    // dbt's table (agate's print_table), its rows sorted by column name; each type as dbt-postgres
    // names it: psycopg2's type caster, STRING shown as TEXT (Column.TYPE_LABELS)
    expect(message).toMatch(/\| column_name \| definition_type \| contract_type +\| mismatch_reason +\|\n *\| -{11} \| -{15} \| -+ \| -+ \|\n *\| age /);
    expect(message).toMatch(/\| score\s+\| TEXT\s+\| DECIMAL\s+\| data type mismatch\s+\|/);
    expect(message).toMatch(/\| email\s+\|\s+\| TEXT\s+\| missing in definition \|/);
    expect(message).toMatch(/\| age\s+\| INTEGER\s+\|\s+\| missing in contract\s+\|/);
    // The table still has its rows (the manual insert included): nothing was dropped or rebuilt.
    expect(await p.sql(`select count(*)::int as n from ${p.schema}.customers`)).toEqual([{ n: 3 }]);
    const statements = drift.output;
    expect(statements).not.toMatch(/customers__dbt_tmp/);
    p.write('models/customers.sql', CUSTOMERS);
  });

  it('checks views too, and asks for a data_type on every column', async () => {
    p.write('models/customer_names.sql', "{{ config(materialized='view') }}\nselect id, name, score from {{ ref('customers') }}\n");
    const view = await p.run('run', { select: ['customer_names'] });
    expect(view.code).toBe(1);
    expect(view.results[0]?.message).toMatch(/\| score\s+\| DECIMAL\s+\|\s+\| missing in contract/);
    p.write('models/_contracts.yml', FILES['models/_contracts.yml']!.replace('      - {name: name, data_type: text}\n', '      - {name: name}\n'));
    p.write('models/customer_names.sql', FILES['models/customer_names.sql']!);
    const untyped = await p.run('run', { select: ['customer_names'] });
    expect(untyped.code).toBe(1);
    expect(untyped.results[0]?.message).toContain("Please ensure that the column name and data_type are defined within the YAML configuration for the ['name'] column(s).");
    p.write('models/_contracts.yml', FILES['models/_contracts.yml']!);
  });

  it("compares types as dbt-postgres does, by psycopg2's type caster: text is varchar, int2 is int4, int8 is not", async () => {
    // The view's contract says id integer, name text.
    p.write('models/customer_names.sql', "{{ config(materialized='view') }}\nselect id::smallint as id, name::varchar(5) as name from {{ ref('customers') }}\n");
    const same = await p.run('run', { select: ['customer_names'] });
    expect(same.code, same.output).toBe(0);
    expect(await p.sql(`select name from ${p.schema}.customer_names order by id`)).toEqual([{ name: 'ana' }, { name: 'bo' }, { name: 'ok' }]); // 'ok': inserted by hand above
    p.write('models/customer_names.sql', "{{ config(materialized='view') }}\nselect id::bigint as id, name::char(3) as name from {{ ref('customers') }}\n");
    const wider = await p.run('run', { select: ['customer_names'] });
    expect(wider.code).toBe(1);
    expect(wider.results[0]?.message).toMatch(/\| id\s+\| LONGINTEGER\s+\| INTEGER\s+\| data type mismatch/);
    expect(wider.results[0]?.message).not.toMatch(/\| name\s/);
    // A built-in type psycopg2 has no caster for is dbt-postgres's `unknown type_code <oid>`.
    p.write('models/customer_names.sql', "{{ config(materialized='view') }}\nselect id::numeric::money as id, name from {{ ref('customers') }}\n");
    const money = await p.run('run', { select: ['customer_names'] });
    expect(money.code).toBe(1);
    expect(money.results[0]?.message).toMatch(/\| id\s+\| unknown type_code 790 \| INTEGER\s+\| data type mismatch/);
    p.write('models/customer_names.sql', FILES['models/customer_names.sql']!);
  });

  it('reads a domain column as the type under it, as PostgreSQL reports it to dbt-postgres (pagila `year`)', async () => {
    // The view's contract says id integer, name text; a domain (over a domain) is the type under it
    // in the RowDescription dbt-postgres's get_column_schema_from_query reads.
    await p.sql(`create domain ${p.schema}.year_d as integer check (value >= 1901)`);
    await p.sql(`create domain ${p.schema}.short_d as varchar(5)`);
    await p.sql(`create domain ${p.schema}.name_d as ${p.schema}.short_d`);
    p.write('models/customer_names.sql', `{{ config(materialized='view') }}\nselect (id + 2000)::${p.schema}.year_d as id, name::${p.schema}.name_d as name from {{ ref('customers') }}\n`);
    const domains = await p.run('run', { select: ['customer_names'] });
    expect(domains.code, domains.output).toBe(0);
    expect(await p.sql(`select id from ${p.schema}.customer_names order by id limit 1`)).toEqual([{ id: 2001 }]);
    p.write('models/customer_names.sql', FILES['models/customer_names.sql']!);
  });

  it("logs dbt-postgres's TypeCodeNotFound (debug) for each column psycopg2 has no name for, an error under --warn-error", async () => {
    // dbt-postgres's data_type_code_to_name fires it through warn_or_error for both queries of
    // assert_columns_equivalent: the model's (money) and the declared columns' (money).
    p.write('models/customer_names.sql', "{{ config(materialized='view') }}\nselect id, name::text::money as name from {{ ref('customers') }} where false\n");
    p.write('models/_contracts.yml', FILES['models/_contracts.yml']!.replace('      - {name: name, data_type: text}\n', '      - {name: name, data_type: money}\n'));
    const notice = 'The `type_code` 790 was not recognized, which may affect error messages for enforced contracts that fail as well as `Column.data_type` values returned by `get_column_schema_from_query`';
    const quiet = await p.run('run', { select: ['customer_names'] });
    expect(quiet.code, quiet.output).toBe(0);
    expect(quiet.output).not.toContain(notice);
    const debug = await p.run('run', { select: ['customer_names'], debug: true });
    expect(debug.code, debug.output).toBe(0);
    expect(debug.output.split('\n').filter((line) => line.endsWith(notice))).toHaveLength(2);
    const strict = await p.run('run', { select: ['customer_names'], warnError: true });
    expect(strict.code).toBe(1);
    expect(strict.results[0]?.message).toContain(notice);
    p.write('models/_contracts.yml', FILES['models/_contracts.yml']!);
    p.write('models/customer_names.sql', FILES['models/customer_names.sql']!);
  });
});
