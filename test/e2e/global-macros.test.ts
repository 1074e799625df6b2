// The global project's relation/DDL helpers (adapters_sql.sql) and SQL utilities (utils_sql.sql),
// called from models and post-hooks of a throw-away project: generate_series and date_spine rows,
// array/cast/date helpers, get_columns_in_query, make_temp_relation, should_full_refresh, then
// post-hooks that change the warehouse through statement / run_query (alter_column_type,
// get_create_table_as_sql, alter_relation_add_remove_columns, persist_docs, run_hooks), checked
// in the catalog. On both PostgreSQL kinds, and the ClickHouse overrides on chDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAREHOUSES, warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

/** A YAML list of hook strings (JSON strings are YAML double-quoted scalars). */
const hooks = (indent: string, list: string[]) => list.map((h) => `\n${indent}- ${JSON.stringify(h)}`).join('');

/** `{% do run_query(get_create_table_as_sql(False, <this with identifier>, 'select <columns> from ' ~ this)) %}` */
const copyOf = (identifier: string, columns = '*') =>
  `{% set copy = this.incorporate(path={'identifier': '${identifier}'}) %}{% do run_query(get_create_table_as_sql(False, copy, 'select ${columns} from ' ~ this)) %}`;

const SHARED_MODELS: Record<string, string> = {
  'models/series.sql': 'select generated_number from ({{ dbt.generate_series(10) }}) as s\n',
  'models/series_edges.sql': `select
    (select count(*) from ({{ dbt.generate_series(1) }}) as a) as one,
    (select count(*) from ({{ dbt.generate_series(0) }}) as b) as zero,
    (select count(*) from ({{ dbt.generate_series(1000) }}) as c) as thousand,
    (select max(generated_number) from ({{ dbt.generate_series(1000) }}) as d) as thousand_max,
    {{ dbt.get_powers_of_two(1000) }} as bits_for_1000
`,
  'models/day_spine.sql': "{{ dbt.date_spine('day', dbt.date(2024, 2, 27), dbt.date(2024, 3, 2)) }}\n",
  'models/month_spine.sql': "{{ dbt.date_spine('month', dbt.date(2024, 1, 1), dbt.date(2024, 4, 1)) }}\n",
  'models/refresh_default.sql': "select '{{ should_full_refresh() }}' as full_refresh\n",
  'models/refresh_pinned.sql': "{{ config(full_refresh=false) }}\nselect '{{ should_full_refresh() }}' as full_refresh\n",
  'models/hooked.sql': 'select 1 as id, 42 as amount\n',
  'models/documented.sql': "select 1 as id, 'ana' as name\n",
  'models/undocumented.sql': "select 1 as id, 'ana' as name\n",
};

const DOCS_YML = `version: 2
models:
  - name: documented
    description: "It's the documented model"
    config:
      persist_docs: {relation: true, columns: true}
    columns:
      - {name: id, description: "The key"}
      - {name: name, description: "Who's who"}
  - name: undocumented
    description: "Described, but persist_docs is off"
    columns:
      - {name: id, description: "The key"}
`;

const PG_FILES: Record<string, string> = {
  ...SHARED_MODELS,
  'dbt_project.yml': `name: demo
profile: demo
models:
  demo:
    +materialized: table
    hooked:
      +post-hook:${hooks('        ', [
        "{{ alter_column_type(this, 'amount', 'text') }}",
        copyOf('hooked_copy'),
        "{% do run_query(get_create_view_as_sql(this.incorporate(path={'identifier': 'hooked_view'}), 'select id * 10 as id from ' ~ this)) %}",
        "{% set tmp = make_temp_relation(this) %}{% do run_query(get_create_table_as_sql(True, tmp, 'select 5 as v')) %}{% do run_query('create table ' ~ this.schema ~ '.from_temp as select v from ' ~ tmp) %}",
      ])}
    reshaped:
      +post-hook:${hooks('        ', ["{% do alter_relation_add_remove_columns(adapter.get_relation(this.database, this.schema, this.identifier), [api.Column('added', 'text'), api.Column('also_added', 'integer')], [api.Column('drop_me', 'integer')]) %}"])}
    documented:
      +post-hook:${hooks('        ', [`${copyOf('documented_copy')}{% do persist_docs(copy, model) %}`, `${copyOf('documented_narrow', 'id')}{% do persist_docs(copy, model) %}`])}
    undocumented:
      +post-hook:${hooks('        ', [`${copyOf('undocumented_copy')}{% do persist_docs(copy, model) %}`])}
    ran_hooks:
      +post-hook:${hooks('        ', [
        "{{ run_hooks([{'sql': 'create table ' ~ this.schema ~ '.hook_in as select 1 as x', 'transaction': true, 'index': 0}, 'create table ' ~ this.schema ~ '.hook_str as select 2 as x', {'sql': 'create table ' ~ this.schema ~ '.hook_out as select 3 as x', 'transaction': false, 'index': 1}]) }}",
        "{{ run_hooks([{'sql': 'create table ' ~ this.schema ~ '.hook_out2 as select 4 as x', 'transaction': false, 'index': 0}, {'sql': 'create table ' ~ this.schema ~ '.hook_in2 as select 5 as x', 'transaction': true, 'index': 1}], inside_transaction=False) }}",
      ])}
`,
  'models/docs.yml': DOCS_YML,
  'models/reshaped.sql': 'select 1 as keep_me, 2 as drop_me\n',
  'models/ran_hooks.sql': 'select 1 as id\n',
  'models/utils.sql': `select
    array_to_string({{ dbt.array_append(dbt.array_construct([1, 2]), 3) }}, ',') as appended,
    array_to_string({{ dbt.array_concat(dbt.array_construct([1]), dbt.array_construct([2, 3])) }}, ',') as concatenated,
    {{ dbt.cast("'7'", dbt.type_int()) }} + 1 as casted,
    cast({{ dbt.date(2024, 2, 29) }} as text) as a_date,
    '{{ get_columns_in_query("select 1 as a, 2 as b, 'x' as c") | join(",") }}' as query_columns,
    '{{ make_temp_relation(this).identifier }}' as temp_identifier,
    '{{ make_temp_relation(this) }}' as temp_rendered,
    '{{ make_temp_relation(this, "__other").identifier }}' as temp_other_suffix
`,
  'models/long_name_abcdefghijklmnopqrstuvwxyz_abcdefghijklmnopqrstu.sql': "select '{{ make_temp_relation(this).identifier }}' as temp_identifier\n",
  'models/with_header.sql': "{% call set_sql_header(config) %}set local work_mem = '8MB';{% endcall %}\nselect 1 as x\n",
};

const dates = (rows: Record<string, unknown>[], column: string) =>
  rows.map((r) => {
    const v = r[column];
    return v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);
  });

describe.each(WAREHOUSES)('global project macros on %s', (kind) => {
  let p: WarehouseProject;
  let first: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject(kind, PG_FILES);
    first = await p.run('build');
  }, 180_000);
  afterAll(() => p.cleanup());

  const columnsOf = async (table: string) =>
    (await p.sql(`select column_name, data_type from information_schema.columns where table_schema = '${p.schema}' and table_name = '${table}' order by ordinal_position`)).map(
      (r) => `${String(r.column_name)} ${String(r.data_type)}`,
    );

  it('builds every fixture model', () => {
    expect(first.code, first.output).toBe(0);
    expect(first.results.filter((r) => r.status !== 'success').map((r) => `${r.unique_id}: ${r.message}`)).toEqual([]);
  });

  it('generate_series numbers 1..n in generated_number', async () => {
    const rows = await p.sql(`select generated_number from ${p.schema}.series order by 1`);
    expect(rows.map((r) => Number(r.generated_number))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const [edges] = await p.sql(`select * from ${p.schema}.series_edges`);
    expect(Object.fromEntries(Object.entries(edges ?? {}).map(([k, v]) => [k, Number(v)]))).toEqual({ one: 1, zero: 0, thousand: 1000, thousand_max: 1000, bits_for_1000: 10 });
  });

  it('date_spine gives each period from the start date up to (not including) the end date', async () => {
    expect(dates(await p.sql(`select cast(date_day as text) as d from ${p.schema}.day_spine order by 1`), 'd')).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01']);
    expect(dates(await p.sql(`select cast(date_month as text) as d from ${p.schema}.month_spine order by 1`), 'd')).toEqual(['2024-01-01', '2024-02-01', '2024-03-01']);
  });

  it('array_append, array_concat, cast, date, get_columns_in_query and make_temp_relation', async () => {
    const [row] = await p.sql(`select * from ${p.schema}.utils`);
    expect(row).toMatchObject({ appended: '1,2,3', concatenated: '1,2,3', a_date: '2024-02-29', query_columns: 'a,b,c' });
    expect(Number(row?.casted)).toBe(8);
    const identifier = String(row?.temp_identifier);
    expect(identifier).toMatch(/^utils__dbt_tmp\d{12}$/);
    // A PostgreSQL temporary table: no schema or database in its name; each call its own name (dbt-postgres tags it with the time).
    expect(row?.temp_rendered).toMatch(/^"utils__dbt_tmp\d{12}"$/);
    expect(row?.temp_rendered).not.toBe(`"${identifier}"`);
    expect(row?.temp_other_suffix).toMatch(/^utils__other\d{12}$/);
    const [long] = await p.sql(`select temp_identifier from ${p.schema}.long_name_abcdefghijklmnopqrstuvwxyz_abcdefghijklmnopqrstu`);
    const longId = String(long?.temp_identifier);
    expect(longId.length).toBe(63);
    expect(longId).toMatch(/^long_name_abcdef.*__dbt_tmp\d{12}$/);
  });

  it('should_full_refresh follows --full-refresh unless the model pins full_refresh', async () => {
    const read = async () => Object.fromEntries(await Promise.all(['refresh_default', 'refresh_pinned'].map(async (m): Promise<[string, unknown]> => [m, (await p.sql(`select full_refresh from ${p.schema}.${m}`))[0]?.full_refresh])));
    expect(await read()).toEqual({ refresh_default: 'False', refresh_pinned: 'False' });
    const again = await p.run('run', { select: ['refresh_default', 'refresh_pinned'], fullRefresh: true });
    expect(again.code, again.output).toBe(0);
    expect(await read()).toEqual({ refresh_default: 'True', refresh_pinned: 'False' });
  });

  it('alter_column_type turns an integer column into text, keeping its values', async () => {
    expect(await columnsOf('hooked')).toEqual(['id integer', 'amount text']);
    expect(await p.sql(`select id, amount from ${p.schema}.hooked`)).toEqual([{ id: 1, amount: '42' }]);
  });

  it('get_create_table_as_sql / get_create_view_as_sql run through run_query in a post-hook', async () => {
    expect(await columnsOf('hooked_copy')).toEqual(['id integer', 'amount text']);
    expect(await p.sql(`select id, amount from ${p.schema}.hooked_copy`)).toEqual([{ id: 1, amount: '42' }]);
    expect(await p.sql(`select id from ${p.schema}.hooked_view`)).toEqual([{ id: 10 }]);
    // The temporary table (make_temp_relation) lived on the node's connection, where from_temp read it.
    expect(await p.sql(`select v from ${p.schema}.from_temp`)).toEqual([{ v: 5 }]);
    const temps = await p.sql(`select table_name from information_schema.tables where table_schema = '${p.schema}' and table_name like 'hooked__dbt_tmp%'`);
    expect(temps).toEqual([]);
  });

  it('alter_relation_add_remove_columns adds and drops columns', async () => {
    expect(await columnsOf('reshaped')).toEqual(['keep_me integer', 'added text', 'also_added integer']);
  });

  it('persist_docs writes the descriptions as comments when persist_docs asks for them', async () => {
    const comments = async (table: string) => {
      const [rel] = await p.sql(`select obj_description('${p.schema}.${table}'::regclass, 'pg_class') as description`);
      const cols = await p.sql(
        `select attname as name, col_description(attrelid, attnum) as description from pg_attribute where attrelid = '${p.schema}.${table}'::regclass and attnum > 0 and not attisdropped order by attnum`,
      );
      return { relation: rel?.description ?? null, columns: Object.fromEntries(cols.map((c) => [String(c.name), c.description ?? null])) };
    };
    expect(await comments('documented_copy')).toEqual({ relation: "It's the documented model", columns: { id: 'The key', name: "Who's who" } });
    // A described column the relation lacks (name) is skipped.
    expect(await comments('documented_narrow')).toEqual({ relation: "It's the documented model", columns: { id: 'The key' } });
    expect(await comments('undocumented_copy')).toEqual({ relation: null, columns: { id: null, name: null } });
  });

  it('run_hooks runs the hooks whose transaction flag matches', async () => {
    const tables = await p.sql(`select table_name from information_schema.tables where table_schema = '${p.schema}' and table_name like 'hook\\_%' order by 1`);
    expect(tables.map((t) => t.table_name)).toEqual(['hook_in', 'hook_out2', 'hook_str']);
  });

  it('set_sql_header is accepted in a model', async () => {
    expect(await p.sql(`select x from ${p.schema}.with_header`)).toEqual([{ x: 1 }]);
  });
});

const CH_FILES: Record<string, string> = {
  ...SHARED_MODELS,
  'dbt_project.yml': `name: demo
profile: demo
models:
  demo:
    +materialized: table
    hooked:
      +post-hook:${hooks('        ', ["{{ alter_column_type(this, 'amount', 'String') }}", copyOf('hooked_copy')])}
    documented:
      +post-hook:${hooks('        ', [`${copyOf('documented_copy')}{% do persist_docs(copy, model) %}`, `${copyOf('documented_narrow', 'id')}{% do persist_docs(copy, model) %}`])}
    undocumented:
      +post-hook:${hooks('        ', [`${copyOf('undocumented_copy')}{% do persist_docs(copy, model) %}`])}
`,
  'models/docs.yml': DOCS_YML,
  'models/utils.sql': `select
    arrayStringConcat({{ dbt.array_append(dbt.array_construct([1, 2]), 3) }}, ',') as appended,
    arrayStringConcat({{ dbt.array_concat(dbt.array_construct([1]), dbt.array_construct([2, 3])) }}, ',') as concatenated,
    toString({{ dbt.date(2024, 2, 29) }}) as a_date,
    '{{ get_columns_in_query("select 1 as a, 2 as b") | join(",") }}' as query_columns,
    '{{ make_temp_relation(this).identifier }}' as temp_identifier
`,
};

describe('global project macros on ClickHouse (chDB)', () => {
  let p: WarehouseProject;
  let first: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('chdb', CH_FILES);
    first = await p.run('build');
  }, 180_000);
  afterAll(() => p.cleanup());

  const db = () => `\`${p.schema}\``;

  it('builds every fixture model', () => {
    expect(first.code, first.output).toBe(0);
    expect(first.results.filter((r) => r.status !== 'success').map((r) => `${r.unique_id}: ${r.message}`)).toEqual([]);
  });

  it('generate_series, date_spine and the utilities give the PostgreSQL answers', async () => {
    expect((await p.sql(`select generated_number from ${db()}.series order by 1`)).map((r) => Number(r.generated_number))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const [edges] = await p.sql(`select * from ${db()}.series_edges`);
    expect(Object.fromEntries(Object.entries(edges ?? {}).map(([k, v]) => [k, Number(v)]))).toEqual({ one: 1, zero: 0, thousand: 1000, thousand_max: 1000, bits_for_1000: 10 });
    expect(dates(await p.sql(`select toString(date_day) as d from ${db()}.day_spine order by 1`), 'd')).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01']);
    expect(dates(await p.sql(`select toString(date_month) as d from ${db()}.month_spine order by 1`), 'd')).toEqual(['2024-01-01', '2024-02-01', '2024-03-01']);
    expect(await p.sql(`select * from ${db()}.utils`)).toEqual([{ appended: '1,2,3', concatenated: '1,2,3', a_date: '2024-02-29', query_columns: 'a,b', temp_identifier: 'utils__dbt_tmp' }]);
    expect(await p.sql(`select full_refresh from ${db()}.refresh_default`)).toEqual([{ full_refresh: 'False' }]);
  });

  it('alter_column_type and create_table_as (MergeTree) from post-hooks', async () => {
    const types = await p.sql(`select table, name, type from system.columns where database = '${p.schema}' and table in ('hooked', 'hooked_copy') order by table, position`);
    expect(types).toEqual([
      { table: 'hooked', name: 'id', type: 'UInt8' },
      { table: 'hooked', name: 'amount', type: 'String' },
      { table: 'hooked_copy', name: 'id', type: 'UInt8' },
      { table: 'hooked_copy', name: 'amount', type: 'String' },
    ]);
    expect(await p.sql(`select engine from system.tables where database = '${p.schema}' and name = 'hooked_copy'`)).toEqual([{ engine: 'MergeTree' }]);
    expect(await p.sql(`select id, amount from ${db()}.hooked_copy`)).toEqual([{ id: 1, amount: '42' }]);
  });

  it('persist_docs sets table and column comments', async () => {
    const comments = async (table: string) => ({
      relation: (await p.sql(`select comment from system.tables where database = '${p.schema}' and name = '${table}'`))[0]?.comment,
      columns: Object.fromEntries((await p.sql(`select name, comment from system.columns where database = '${p.schema}' and table = '${table}' order by position`)).map((c): [string, unknown] => [String(c.name), c.comment])),
    });
    expect(await comments('documented_copy')).toEqual({ relation: "It's the documented model", columns: { id: 'The key', name: "Who's who" } });
    expect(await comments('documented_narrow')).toEqual({ relation: "It's the documented model", columns: { id: 'The key' } });
    expect(await comments('undocumented_copy')).toEqual({ relation: '', columns: { id: '', name: '' } });
  });
});
