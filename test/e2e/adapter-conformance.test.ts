// Behaviours every dbt adapter's test suite checks (dbt-tests-adapter), written from dbt's docs and
// each checked on the PostgreSQL server: a parse render's `schema` and `database` (a snapshot's
// `target_schema=schema`), `this` inside an ephemeral model, the cross-database macros' dateparts,
// incremental strategies looked up before the first build, incremental predicates beside the
// unique key, and unit tests' fixtures (column names in any case, json columns, long strings into
// narrow varchar columns, `test_name:` selecting a unit test), run_results.json of an empty run.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

describe('dbt-tests-adapter behaviours on PostgreSQL', () => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('server', {
      'seeds/people.csv': 'id,name,updated_at\n1,ann,2024-01-01\n2,bob,2024-01-02\n',
      // dbt: "target_schema=schema" puts the snapshot in the target's schema (the parse render's `schema`).
      'snapshots/people_snap.sql':
        "{% snapshot people_snap %}\n{{ config(strategy='timestamp', unique_key='id', updated_at='updated_at', target_database=database, target_schema=schema) }}\nselect * from {{ ref('people') }}\n{% endsnapshot %}\n",
      // `this` in an ephemeral model is a relation in the model's schema.
      'models/eph.sql': "{{ config(materialized='ephemeral') }}\nselect * from {{ this.schema }}.people\n",
      'models/from_eph.sql': "select * from {{ ref('eph') }}\n",
      'models/dates.sql':
        "{{ config(materialized='table') }}\n{% set a = \"cast('2024-01-01 00:00:00.000100' as timestamp)\" %}{% set b = \"cast('2024-01-01 00:00:01.250300' as timestamp)\" %}\n" +
        "select {{ dbt.datediff(a, b, 'millisecond') }} as ms, {{ dbt.datediff(a, b, 'microsecond') }} as us,\n" +
        "  {{ dbt.last_day(\"cast('2024-05-10' as date)\", 'quarter') }} as quarter_end, {{ dbt.last_day(\"cast('2024-02-10' as date)\", 'month') }} as month_end\n",
      'models/bad_strategy.sql': "{{ config(materialized='incremental', incremental_strategy='bad_strategy') }}\nselect 1 as id\n",
      'models/upstream.sql': "select cast('short' as varchar(5)) as tested_column, cast('{\"a\": 1}' as json) as doc\n",
      'models/lengths.sql': "select tested_column, length(tested_column) as col_len, doc from {{ ref('upstream') }}\n",
      'models/unit_tests.yml': [
        'unit_tests:',
        '  - name: mixed_case_columns',
        '    model: lengths',
        '    given:',
        "      - input: ref('upstream')",
        '        rows:',
        '          - {tested_column: "longer_string_value", doc: \'{"a": 1}\'}',
        '          - {TESTED_COLUMN: ab, DOC: \'{"b": 2}\'}',
        '    expect:',
        '      rows:',
        '        - {tested_column: "longer_string_value", col_len: 19, doc: \'{"a": 1}\'}',
        '        - {Tested_Column: ab, col_len: 2, doc: \'{"b": 2}\'}',
        '  - name: bad_fixture_column',
        '    model: lengths',
        '    given:',
        "      - input: ref('upstream')",
        '        rows:',
        '          - {no_such_column: 1}',
        '    expect:',
        '      rows: []',
        '',
      ].join('\n'),
    });
  });
  afterAll(async () => {
    await p.cleanup();
  });

  it("a snapshot configured with target_schema=schema lands in the target's schema", async () => {
    expect((await p.run('seed')).code).toBe(0);
    const snap = await p.run('snapshot');
    expect(snap.code, snap.output).toBe(0);
    const rows = await p.sql(`select id from "${p.schema}".people_snap order by id`);
    expect(rows.map((r) => r.id)).toEqual([1, 2]);
  });

  it("`this.schema` in an ephemeral model is the model's schema", async () => {
    const out = await p.run('run', { select: ['from_eph'] });
    expect(out.code, out.output).toBe(0);
    expect((await p.sql(`select name from "${p.schema}".from_eph order by id`)).map((r) => r.name)).toEqual(['ann', 'bob']);
  });

  it('datediff counts milliseconds and microseconds; last_day finds the end of a quarter', async () => {
    const out = await p.run('run', { select: ['dates'] });
    expect(out.code, out.output).toBe(0);
    const [row] = await p.sql(`select ms::text as ms, us::text as us, quarter_end::text as q, month_end::text as m from "${p.schema}".dates`);
    expect(row).toEqual({ ms: '1250', us: '1250200', q: '2024-06-30', m: '2024-02-29' });
  });

  it('an incremental strategy no macro serves fails the first run, before anything is built', async () => {
    const out = await p.run('run', { select: ['bad_strategy'] });
    expect(out.code).toBe(1);
    expect(out.results[0]?.message).toContain('dbt could not find an incremental strategy macro with the name "get_incremental_bad_strategy_sql"');
    expect(await p.sql(`select 1 from information_schema.tables where table_schema = '${p.schema}' and table_name = 'bad_strategy'`)).toEqual([]);
  });

  it('unit test fixtures: column names in any case, json columns, strings longer than the varchar column', async () => {
    expect((await p.run('run', { select: ['upstream'] })).code).toBe(0);
    const out = await p.run('test', { select: ['test_name:mixed_case_columns'] });
    expect(out.code, out.output).toBe(0);
    expect(out.results.map((r) => [r.unique_id, r.status])).toEqual([['unit_test.demo.lengths.mixed_case_columns', 'pass']]);
  });

  it('a run with nothing selected still writes run_results.json, with no results', async () => {
    rmSync(path.join(p.dir, 'target', 'run_results.json'), { force: true });
    const out = await p.run('run', { select: ['tag:nothing_has_this_tag'] });
    expect(out.code, out.output).toBe(0);
    const written = JSON.parse(readFileSync(path.join(p.dir, 'target', 'run_results.json'), 'utf8')) as { results: unknown[] };
    expect(written.results).toEqual([]);
  });

  it("a fixture column the input lacks is reported in dbt's words", async () => {
    const out = await p.run('test', { select: ['test_name:bad_fixture_column'] });
    expect(out.code).toBe(1);
    expect(out.output).toContain("Invalid column name: 'no_such_column' in unit test fixture for 'upstream'.");
  });
});

describe('incremental_predicates with delete+insert on PostgreSQL', () => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('server', {
      // The docs' example writes predicates on the target's columns unqualified.
      'models/inc.sql':
        "{{ config(materialized='incremental', unique_key='id', incremental_strategy='delete+insert', incremental_predicates=['id != 2']) }}\n" +
        "{% if is_incremental() %}select 1 as id, 'new' as msg union all select 2, 'new'{% else %}select 1 as id, 'old' as msg union all select 2, 'old'{% endif %}\n",
    });
  });
  afterAll(async () => {
    await p.cleanup();
  });

  it('deletes only the matched rows the predicate keeps, then inserts the new ones', async () => {
    expect((await p.run('run')).code).toBe(0);
    const out = await p.run('run');
    expect(out.code, out.output).toBe(0);
    const rows = await p.sql(`select id, msg from "${p.schema}".inc order by id, msg`);
    expect(rows).toEqual([
      { id: 1, msg: 'new' },
      { id: 2, msg: 'new' },
      { id: 2, msg: 'old' },
    ]);
  });
});

describe('adapter.drop_schema then create_schema in a model (dbt-tests-adapter BaseAdapterMethod)', () => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('server', {
      'models/upstream.sql': "{{ config(schema='raw') }}\nselect 1 as id\n",
      'models/rebuilds.sql': [
        "{% set upstream = ref('upstream') %}",
        '{% if execute %}',
        '  {% do adapter.drop_schema(upstream) %}',
        '  {% if adapter.get_relation(upstream.database, upstream.schema, upstream.identifier) is not none %}',
        "    {% do exceptions.raise_compiler_error('the dropped view is still there') %}",
        '  {% endif %}',
        '  {% do adapter.create_schema(upstream) %}',
        "  {% do run_query(create_view_as(upstream, 'select 2 as id')) %}",
        '{% endif %}',
        'select * from {{ upstream }}',
        '',
      ].join('\n'),
    });
  });
  afterAll(async () => {
    await p.cleanup();
  });

  it('creates the schema again after dropping it, so the view it then makes exists', async () => {
    const out = await p.run('run');
    expect(out.code, out.output).toBe(0);
    expect(await p.sql(`select id from "${p.schema}".rebuilds`)).toEqual([{ id: 2 }]);
  });
});

// dbt's node.empty: a model file of nothing but whitespace is not part of what a command runs.
describe('an empty model on PostgreSQL', () => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('server', { 'models/empty.sql': '\n  \n', 'models/full.sql': 'select 1 as id\n' });
  });
  afterAll(async () => {
    await p.cleanup();
  });

  it('is neither built nor reported by run and build', async () => {
    for (const command of ['run', 'build'] as const) {
      const out = await p.run(command);
      expect(out.code, out.output).toBe(0);
      expect(out.results.map((r) => r.unique_id)).toEqual(['model.demo.full']);
    }
    expect(await p.sql(`select table_name from information_schema.tables where table_schema = '${p.schema}' order by 1`)).toEqual([{ table_name: 'full' }]);
  });
});
