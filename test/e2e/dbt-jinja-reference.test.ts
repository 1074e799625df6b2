// dbt's Jinja reference (docs "dbt Jinja functions"), page by page, in one throw-away project on
// PGlite: dbt_version, debug, diff_of_two_dicts, dbt_metadata_envs, selected_resources,
// invocation_args_dict, flags, set / zip / tojson / fromjson / toyaml defaults, exceptions,
// adapter members, relation.information_schema(), and global macros of dbt's global project
// that templates call (backcompat timestamps, date helpers, hook configs, equals, column schema
// of a query, incremental SQL helpers).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsdbt, type CliResult } from '../support/run-cli.js';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const REFERENCE = `{{ config(materialized='table', meta={'owner': 'ana'}) }}
-- meta: {{ config.meta_get('owner') }} {{ config.meta_get('missing', 'dflt') }} {{ config.meta_require('owner') }} {{ config.get('owner', 'not-in-config') }}
-- dbt_version: {{ dbt_version }} {{ dbt_version.split('.') | length }}
-- debug: [{{ debug() }}]
-- diff: {{ diff_of_two_dicts({'key_x': ['value_1', 'VALUE_2'], 'KEY_Y': ['value_3']}, {'KEY_X': ['value_1'], 'key_z': ['value_4']}) }}
-- metadata_envs: {{ dbt_metadata_envs }}
-- selected: {{ selected_resources | sort | join(',') }}
-- args: {{ invocation_args_dict.which }} {{ invocation_args_dict.select | join(',') }} {{ 'full_refresh' in invocation_args_dict }} {{ invocation_args_dict.quiet }} {{ 'warn_error' in invocation_args_dict }}
-- flags: {{ flags.WHICH }} {{ flags.FULL_REFRESH }} {{ flags.FAIL_FAST }} {{ flags.STORE_FAILURES }}
-- defaults: {{ zip([1, 2], 3) }} {{ zip_strict([1, 2], ['a', 'b']) }} {{ set(5) }} {{ set([1, 1]) | length }} {{ fromjson('not json', 'fallback') }} {{ fromyaml('[1, 2]') }}
-- tojson: {{ tojson({'b': 1, 'a': 2}) }} {{ tojson({'b': 1, 'a': 2}, sort_keys=True) }}
-- toyaml: {{ toyaml({'b': 1, 'a': [1, 2]}, sort_keys=True) | replace('\\n', '|') }} {{ toyaml({'f': 1.0, 'h': 0.5, 's': '1', 't': '2022-01-02 03:04:05', 'v': 'yes', 'x': none, 'w': true}) | replace('\\n', '|') }}
-- info_schema: {{ ref('upstream').information_schema('columns') }} {{ ref('upstream').information_schema() }} {{ ref('upstream').information_schema_only() }}
-- info_schema_name: {{ information_schema_name(target.database) }}
-- adapter: {{ adapter.quote_as_configured('x', 'identifier') }} {{ adapter.quote_seed_column('c', false) }} {{ adapter.quote_seed_column('c') }} {{ adapter.quote_seed_column('a"b); --', false) }} {{ adapter.Relation.create(schema='s', identifier='t') }} {{ adapter.Column('id', 'integer').quoted }} [{{ adapter.commit() }}]
-- backcompat: {{ dbt.current_timestamp_backcompat() }} | {{ current_timestamp_in_utc_backcompat() }}
-- dates: {{ dates_in_range('20240227', '20240302') | join(',') }} {{ partition_range('20240101,20240102') | join(',') }} {{ convert_datetime('2024-01-05', '%Y-%m-%d').day }}
-- hooks: {{ before_begin('select 1').transaction }} {{ after_commit('select 2').sql }} {{ in_transaction('select 3').transaction }}
-- equals: {{ equals('a', 'b') }} {{ get_true_sql() }}
-- column_schema: {% for c in get_column_schema_from_query("select 1::int as a, 'x'::text as b") %}{{ c.name }}:{{ c.data_type }} {% endfor %}
-- relations: {{ make_intermediate_relation(this).identifier }} {{ make_backup_relation(this, 'view').identifier }} {{ make_backup_relation(this, 'view').type }}
-- md5: {{ local_md5('hello') }}
-- as_filters: {{ 'True' | as_bool }} {{ '3' | as_number + 1 }} {{ 4 | as_text }} {{ [1] | as_native }}
-- set_strict: {{ set_strict([1, 1, 2]) | length }}
-- printed: {{ print('printed from a model') }}{% do log('logged at info', info=true) %}
-- last_day: {{ default_last_day("'2024-02-10'::date", 'month') }}
-- dbt_is_incremental: {{ dbt.is_incremental() }} {{ is_incremental() }}
-- diff_columns: {{ diff_columns([api.Column('a', 'int'), api.Column('B', 'int')], [api.Column('b', 'int')]) | map(attribute='name') | join(',') }}
select 1 as id`;

const UPSTREAM = 'select 1 as id, 10 as amount';

/** A post-hook that merges `incoming` into this table with get_merge_sql, then delete+insert. */
const MERGE_HOOK = `{%- set cols = adapter.get_columns_in_relation(this) -%}
{%- set incoming = this.incorporate(path={'identifier': 'incoming'}) -%}
{% do run_query('create table ' ~ incoming ~ ' as select 1 as id, 99 as amount union all select 2, 20') %}
{% do run_query(get_merge_sql(this, incoming, 'id', cols)) %}
{% do run_query(get_delete_insert_merge_sql(this.incorporate(path={'identifier': 'dlins'}), incoming, ['id'], cols)) %}`;

describe('dbt Jinja reference', () => {
  let p: WarehouseProject;
  let compiled: CliResult;
  let built: RunOutcome;
  let lines: Record<string, string>;
  beforeAll(async () => {
    p = warehouseProject('pglite', {
      'models/upstream.sql': UPSTREAM,
      'models/reference.sql': REFERENCE,
      'models/columns_of_upstream.sql':
        "select column_name from {{ ref('upstream').information_schema('columns') }} where table_schema = '{{ ref('upstream').schema }}' and table_name = 'upstream'",
      'models/merged.sql': `{{ config(materialized='table', post_hook=[${JSON.stringify(MERGE_HOOK)}]) }}\n-- depends_on: {{ ref('dlins') }}\nselect 1 as id, 10 as amount`,
      'models/deprecated_adapter.sql':
        "{{ config(materialized='table') }}\n-- depends_on: {{ ref('upstream') }}\nselect '{{ adapter.already_exists(target.schema, 'upstream') }}' as up, '{{ adapter.already_exists(target.schema, 'nope') }}' as nope, '{{ adapter.get_columns_in_table(target.schema, 'upstream') | map(attribute='name') | join(',') }}' as cols",
      'models/threaded.sql': "{{ config(materialized='table') }}\nselect '{{ thread_id }}' as thread",
      'models/dlins.sql': "{{ config(materialized='table') }}\nselect 1 as id, 10 as amount union all select 3, 30",
    });
    compiled = await runTsdbt(['compile', '--project-dir', p.dir, '--profiles-dir', p.dir, '--select', 'reference', 'upstream'], { env: { DBT_ENV_CUSTOM_ENV_TEAM: 'data', HOME: p.dir } });
    if (compiled.code !== 0) throw new Error(compiled.stdout + compiled.stderr);
    const text = readFileSync(path.join(p.dir, 'target/compiled/demo/models/reference.sql'), 'utf8');
    lines = Object.fromEntries(text.split('\n').filter((l) => l.startsWith('-- ')).map((l) => [l.slice(3, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
    built = await p.run('build', { select: ['upstream', 'columns_of_upstream', 'dlins', 'merged', 'threaded', 'deprecated_adapter'] });
  }, 180_000);
  afterAll(() => p.cleanup());

  it('compiles and builds', () => {
    expect(compiled.code, compiled.stdout + compiled.stderr).toBe(0);
    expect(built.code, built.output).toBe(0);
  });

  it('dbt_version, debug, diff_of_two_dicts, dbt_metadata_envs', () => {
    expect(lines.dbt_version).toMatch(/^\d+\.\d+\.\d+ 3$/);
    expect(lines.debug).toBe('[]');
    expect(lines.diff).toBe("{'key_x': ['VALUE_2'], 'KEY_Y': ['value_3']}");
    expect(lines.metadata_envs).toBe("{'TEAM': 'data'}");
  });

  it('selected_resources, invocation_args_dict and flags describe the command', () => {
    expect(lines.selected).toBe('model.demo.reference,model.demo.upstream');
    expect(lines.args).toBe('compile reference,upstream False False False');
    expect(lines.flags).toBe('compile False False False');
  });

  it('config.meta_get / meta_require read meta; config.get does not', () => {
    expect(lines.meta).toBe('ana dflt ana not-in-config');
  });

  it('local_md5, the as_* filters, set_strict, print and log', () => {
    expect(lines.md5).toBe('5d41402abc4b2a76b9719d911017c592');
    expect(lines.as_filters).toBe('True 4 4 [1]');
    expect(lines.set_strict).toBe('2');
    expect(lines.printed).toBe('');
    expect(compiled.stdout).toContain('printed from a model');
    expect(compiled.stdout).toContain('logged at info');
  });

  it('zip / set / fromjson return their default where Python raises; tojson and toyaml sort keys on request; toyaml writes as PyYAML does', () => {
    expect(lines.defaults).toBe("None [(1, 'a'), (2, 'b')] None 1 fallback [1, 2]");
    expect(lines.tojson).toBe('{"b": 1, "a": 2} {"a": 2, "b": 1}');
    // PyYAML's safe_dump: a list under a key is not indented, a float keeps its fraction, and a
    // string that YAML 1.1 would read as a number, timestamp or bool is single-quoted.
    expect(lines.toyaml).toBe("a:|- 1|- 2|b: 1| f: 1.0|h: 0.5|s: '1'|t: '2022-01-02 03:04:05'|v: 'yes'|x: null|w: true|");
  });

  it("relation.information_schema('columns') renders dbt-adapters' InformationSchema and is queryable", async () => {
    expect(lines.info_schema).toBe('"postgres".INFORMATION_SCHEMA.columns "postgres".INFORMATION_SCHEMA "postgres".INFORMATION_SCHEMA');
    expect(lines.info_schema_name).toBe('"postgres".INFORMATION_SCHEMA');
    const rows = await p.sql(`select column_name from ${p.schema}.columns_of_upstream order by 1`);
    expect(rows.map((r) => r.column_name)).toEqual(['amount', 'id']);
  });

  it("thread_id names the runner thread executing the node (dbt's pool worker: 'Thread-1 (worker)')", async () => {
    const [row] = await p.sql(`select thread from ${p.schema}.threaded`);
    expect(String(row?.thread)).toMatch(/^Thread-\d+ \(worker\)$/);
  });

  it("the adapter's deprecated already_exists and get_columns_in_table still answer", async () => {
    expect(await p.sql(`select up, nope, cols from ${p.schema}.deprecated_adapter`)).toEqual([{ up: 'True', nope: 'False', cols: 'id,amount' }]);
  });

  it('adapter members: quote_as_configured, quote_seed_column, Relation, Column, commit', () => {
    // quote_seed_column(name, false) is bare only for a plain name: anything else is quoted anyway.
    expect(lines.adapter).toBe('"x" c "c" "a""b); --" "s"."t" "id" []');
  });

  it('global macros: backcompat timestamps, date helpers, hook configs, equals, column schema, relations, diff_columns', () => {
    expect(lines.backcompat).toBe("current_timestamp::timestamp | (current_timestamp at time zone 'utc')::timestamp");
    expect(lines.dates).toBe('20240227,20240228,20240229,20240301,20240302 20240101,20240102 5');
    expect(lines.hooks).toBe('False select 2 True');
    expect(lines.equals).toBe('(a = b) TRUE');
    expect(lines.column_schema).toBe('a:integer b:text ');
    expect(lines.relations).toBe('reference__dbt_tmp reference__dbt_backup view');
    expect(lines.diff_columns).toBe('a');
    expect(lines.last_day).toBe("cast('2024-02-10'::date + ((interval '1 month') * (1)) + ((interval '1 day') * (-1)) as date)".replace("'2024-02-10'::date", "date_trunc('month', '2024-02-10'::date)"));
    expect(lines.dbt_is_incremental).toBe('False False');
  });

  it('get_merge_sql and get_delete_insert_merge_sql run as dbt writes them', async () => {
    expect(await p.sql(`select id, amount from ${p.schema}.merged order by id`)).toEqual([{ id: 1, amount: 99 }, { id: 2, amount: 20 }]);
    expect(await p.sql(`select id, amount from ${p.schema}.dlins order by id`)).toEqual([{ id: 1, amount: 99 }, { id: 2, amount: 20 }, { id: 3, amount: 30 }]);
  });
});
