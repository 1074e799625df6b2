// The golden cases: one small project per built-in materialization and strategy, the commands run
// on it, and the data each run must leave (so a golden is never only a text snapshot). Models use
// SQL both dialects read; where a case's config is dialect-specific (PostgreSQL's `unlogged` and
// `indexes`, ClickHouse's engine settings and strategies) it has a variant per adapter.
import { expect } from 'vitest';
import type { GoldenKind, GoldenOutcome, GoldenRun } from '../support/golden.js';

export interface GoldenCase {
  name: string;
  kinds: GoldenKind[];
  files: Record<string, string>;
  runs: GoldenRun[];
  /** Asserts the data the runs left in the warehouse. */
  check(g: GoldenOutcome, kind: GoldenKind): Promise<void>;
}

const BOTH: GoldenKind[] = ['pglite', 'chdb'];

/** Rows of `select <columns> from golden.<table> order by <order>`, numbers and text as text. */
async function rows(g: GoldenOutcome, table: string, columns: string, order = '1'): Promise<string[]> {
  const result = await g.project.sql(`select ${columns} from golden.${table} order by ${order}`);
  return result.map((r) => Object.values(r).map((v) => (v === null ? 'null' : String(v))).join('|'));
}

/** A model of rows (id, v) whose values depend on `var('version')`: version 1 has ids 1-2, version 2 ids 2-3. */
const VERSIONED_ROWS = `{% set version = var('version', 1) %}
select {{ version }} as id, 'v{{ version }}' as v
union all
select {{ version + 1 }} as id, 'v{{ version }}' as v
`;

const v2 = { vars: '{version: 2}' };

function incremental(config: string): string {
  return `{{ config(materialized='incremental', ${config}) }}\n${VERSIONED_ROWS}`;
}

export const GOLDEN_CASES: GoldenCase[] = [
  {
    name: 'view',
    kinds: BOTH,
    files: { 'models/v.sql': "{{ config(materialized='view') }}\nselect 1 as id, 'a' as name\n" },
    runs: [{ command: 'run' }, { command: 'run' }],
    async check(g) {
      expect(await rows(g, 'v', 'id, name')).toEqual(['1|a']);
    },
  },
  {
    name: 'table',
    kinds: ['pglite'],
    files: {
      'models/t.sql': "{{ config(materialized='table', unlogged=true, indexes=[{'columns': ['id'], 'unique': true}, {'columns': ['name'], 'type': 'hash'}]) }}\nselect 1 as id, 'a' as name\n",
    },
    runs: [{ command: 'run' }, { command: 'run' }],
    async check(g) {
      expect(await rows(g, 't', 'id, name')).toEqual(['1|a']);
      expect((await g.project.sql("select count(*)::int as n from pg_indexes where schemaname = 'golden' and tablename = 't'"))[0]).toEqual({ n: 2 });
    },
  },
  {
    name: 'table',
    kinds: ['chdb'],
    files: {
      'models/t.sql':
        "{{ config(materialized='table', engine='ReplacingMergeTree()', order_by=['id'], partition_by=['name'], primary_key=['id'], settings={'index_granularity': 1024}) }}\nselect 1 as id, 'a' as name\n",
    },
    runs: [{ command: 'run' }, { command: 'run' }],
    async check(g) {
      expect(await rows(g, 't', 'id, name')).toEqual(['1|a']);
      expect(await g.project.sql("select engine, sorting_key, partition_key from system.tables where database = 'golden' and name = 't'")).toEqual([
        { engine: 'ReplacingMergeTree', sorting_key: 'id', partition_key: '(name)' },
      ]);
    },
  },
  {
    name: 'ephemeral',
    kinds: BOTH,
    files: {
      'models/e.sql': "{{ config(materialized='ephemeral') }}\nselect 1 as id, 'a' as name\n",
      'models/t.sql': "{{ config(materialized='table') }}\nselect id, name from {{ ref('e') }}\n",
    },
    runs: [{ command: 'run' }],
    async check(g) {
      expect(await rows(g, 't', 'id, name')).toEqual(['1|a']);
    },
  },
  {
    name: 'incremental-append',
    kinds: BOTH,
    files: { 'models/inc.sql': incremental("incremental_strategy='append'") },
    runs: [{ command: 'run' }, { command: 'run', options: v2 }],
    async check(g) {
      expect(await rows(g, 'inc', 'id, v', 'id, v')).toEqual(['1|v1', '2|v1', '2|v2', '3|v2']);
    },
  },
  {
    name: 'incremental-delete-insert',
    kinds: BOTH,
    files: { 'models/inc.sql': incremental("incremental_strategy='delete+insert', unique_key='id'") },
    runs: [{ command: 'run' }, { command: 'run', options: v2 }],
    async check(g) {
      expect(await rows(g, 'inc', 'id, v')).toEqual(['1|v1', '2|v2', '3|v2']);
    },
  },
  {
    name: 'incremental-merge',
    kinds: BOTH,
    files: { 'models/inc.sql': incremental("incremental_strategy='merge', unique_key='id'") },
    runs: [{ command: 'run' }, { command: 'run', options: v2 }],
    async check(g) {
      expect(await rows(g, 'inc', 'id, v')).toEqual(['1|v1', '2|v2', '3|v2']);
    },
  },
  {
    // A unique index on the key: the merge is an `insert ... on conflict` upsert.
    name: 'incremental-merge-upsert',
    kinds: ['pglite'],
    files: { 'models/inc.sql': incremental("incremental_strategy='merge', unique_key='id', indexes=[{'columns': ['id'], 'unique': true}]") },
    runs: [{ command: 'run' }, { command: 'run', options: v2 }],
    async check(g) {
      expect(await rows(g, 'inc', 'id, v')).toEqual(['1|v1', '2|v2', '3|v2']);
    },
  },
  {
    name: 'incremental-insert-overwrite',
    kinds: ['chdb'],
    files: { 'models/inc.sql': incremental("incremental_strategy='insert_overwrite', partition_by='id', order_by='id'") },
    runs: [{ command: 'run' }, { command: 'run', options: v2 }],
    async check(g) {
      expect(await rows(g, 'inc', 'id, v')).toEqual(['1|v1', '2|v2', '3|v2']);
    },
  },
  {
    name: 'incremental-legacy',
    kinds: ['chdb'],
    files: { 'models/inc.sql': incremental("incremental_strategy='legacy', unique_key='id', order_by='id'") },
    runs: [{ command: 'run' }, { command: 'run', options: v2 }],
    async check(g) {
      expect(await rows(g, 'inc', 'id, v')).toEqual(['1|v1', '2|v2', '3|v2']);
    },
  },
  ...(['pglite', 'chdb'] as const).map((kind): GoldenCase => ({
    // dbt-postgres's predicates name the target `dbt_internal_dest`; dbt-clickhouse's delete has no alias.
    name: 'incremental-predicates',
    kinds: [kind],
    files: { 'models/inc.sql': incremental(`incremental_strategy='delete+insert', unique_key='id', incremental_predicates=['${kind === 'pglite' ? 'dbt_internal_dest.' : ''}id > 2']`) },
    runs: [{ command: 'run' }, { command: 'run', options: v2 }],
    async check(g) {
      // Row 2 is outside the predicate: it is not deleted, so version 2's row 2 comes beside it.
      expect(await rows(g, 'inc', 'id, v', 'id, v')).toEqual(['1|v1', '2|v1', '2|v2', '3|v2']);
    },
  })),
  {
    name: 'incremental-merge-predicates',
    kinds: ['pglite'],
    files: { 'models/inc.sql': incremental("incremental_strategy='merge', unique_key='id', incremental_predicates=['dbt_internal_dest.id > 2']") },
    runs: [{ command: 'run' }, { command: 'run', options: v2 }],
    async check(g) {
      expect(await rows(g, 'inc', 'id, v', 'id, v')).toEqual(['1|v1', '2|v1', '2|v2', '3|v2']);
    },
  },
  {
    name: 'on-schema-change-append-new-columns',
    kinds: BOTH,
    files: { 'models/inc.sql': "{{ config(materialized='incremental', unique_key='id', incremental_strategy='delete+insert', on_schema_change='append_new_columns') }}\nselect 1 as id, 'a' as v\n" },
    runs: [{ command: 'run' }, { command: 'run', write: { 'models/inc.sql': "{{ config(materialized='incremental', unique_key='id', incremental_strategy='delete+insert', on_schema_change='append_new_columns') }}\nselect 2 as id, 'b' as v, 'x' as extra\n" } }],
    async check(g, kind) {
      // ClickHouse adds the column as it is typed (String), so old rows read '' rather than NULL.
      expect(await rows(g, 'inc', 'id, v, extra')).toEqual([kind === 'chdb' ? '1|a|' : '1|a|null', '2|b|x']);
    },
  },
  {
    name: 'on-schema-change-sync-all-columns',
    kinds: BOTH,
    files: { 'models/inc.sql': "{{ config(materialized='incremental', unique_key='id', incremental_strategy='delete+insert', on_schema_change='sync_all_columns') }}\nselect 1 as id, 'a' as v\n" },
    runs: [{ command: 'run' }, { command: 'run', write: { 'models/inc.sql': "{{ config(materialized='incremental', unique_key='id', incremental_strategy='delete+insert', on_schema_change='sync_all_columns') }}\nselect 2 as id, 'x' as extra\n" } }],
    async check(g, kind) {
      expect(await rows(g, 'inc', '*')).toEqual([kind === 'chdb' ? '1|' : '1|null', '2|x']);
    },
  },
  {
    name: 'microbatch',
    kinds: BOTH,
    files: {
      'models/events.sql':
        "{{ config(materialized='table', event_time='event_ts') }}\nselect 1 as id, cast('2024-02-29 10:00:00' as timestamp) as event_ts\nunion all\nselect 2 as id, cast('2024-03-01 10:00:00' as timestamp) as event_ts\n",
      'models/mb.sql': "{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='event_ts', begin='2024-02-29', batch_size='day', lookback=1) }}\nselect id, event_ts from {{ ref('events') }}\n",
    },
    // Run 1 at 2024-03-01 00:00: windows 02-29 and 03-01; run 2 a day later: 03-01 (lookback) and 03-02.
    runs: [{ command: 'run' }, { command: 'run', options: { select: ['mb'] } }],
    async check(g) {
      expect(await rows(g, 'mb', 'id')).toEqual(['1', '2']);
    },
  },
  {
    name: 'snapshot-timestamp',
    kinds: BOTH,
    files: {
      'snapshots/snap.sql': `{% snapshot snap %}
{{ config(target_schema='golden_snapshots', unique_key='id', strategy='timestamp', updated_at='updated_at') }}
select 1 as id, '{{ var('status', 'a') }}' as status, cast('{{ var('updated', '2024-01-01 00:00:00') }}' as timestamp) as updated_at
union all
select 2 as id, 'b' as status, cast('2024-01-01 00:00:00' as timestamp) as updated_at
{% endsnapshot %}
`,
    },
    runs: [{ command: 'snapshot' }, { command: 'snapshot', options: { vars: "{status: a2, updated: '2024-01-02 00:00:00'}" } }],
    async check(g) {
      const result = await g.project.sql('select id, status from golden_snapshots.snap order by id, dbt_valid_from');
      expect(result.map((r) => `${String(r.id)}|${String(r.status)}`)).toEqual(['1|a', '1|a2', '2|b']);
    },
  },
  {
    name: 'snapshot-check',
    kinds: BOTH,
    files: {
      'snapshots/snap.sql': `{% snapshot snap %}
{{ config(target_schema='golden_snapshots', unique_key='id', strategy='check', check_cols=['status']) }}
select 1 as id, '{{ var('status', 'a') }}' as status
union all
select 2 as id, 'b' as status
{% endsnapshot %}
`,
    },
    runs: [{ command: 'snapshot' }, { command: 'snapshot', options: { vars: '{status: a2}' } }],
    async check(g) {
      const result = await g.project.sql('select id, status from golden_snapshots.snap order by id, dbt_valid_from');
      expect(result.map((r) => `${String(r.id)}|${String(r.status)}`)).toEqual(['1|a', '1|a2', '2|b']);
    },
  },
  {
    // The second load keeps the table (its columns are unchanged): truncate and refill.
    name: 'seed',
    kinds: BOTH,
    files: { 'seeds/people.csv': 'id,name,joined\n1,ana,2024-01-01\n2,,2024-01-02\n' },
    runs: [{ command: 'seed' }, { command: 'seed', write: { 'seeds/people.csv': 'id,name,joined\n1,ana,2024-01-01\n2,bo,2024-01-02\n3,cy,2024-01-03\n' } }],
    async check(g) {
      expect(await rows(g, 'people', 'id, name')).toEqual(['1|ana', '2|bo', '3|cy']);
    },
  },
  {
    name: 'data-test',
    kinds: BOTH,
    files: {
      'models/t.sql': "{{ config(materialized='table') }}\nselect 1 as id, 'a' as name\nunion all\nselect 2 as id, null as name\n",
      'models/_models.yml': 'version: 2\nmodels:\n  - name: t\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n      - name: name\n        data_tests:\n          - not_null: {config: {severity: warn}}\n',
    },
    runs: [{ command: 'build' }],
    async check(g) {
      const status: unknown = Object.fromEntries(g.outcomes[0]!.results.map((r) => [r.unique_id.split('.')[2], `${r.status} ${String(r.failures)}`]));
      expect(status).toEqual({ t: 'success null', unique_t_id: 'pass 0', not_null_t_id: 'pass 0', not_null_t_name: 'warn 1' });
      expect(await rows(g, 't', 'id')).toEqual(['1', '2']);
    },
  },
  {
    name: 'data-test-store-failures',
    kinds: BOTH,
    files: {
      'models/t.sql': "{{ config(materialized='table') }}\nselect 1 as id\nunion all\nselect 1 as id\n",
      'models/_models.yml': 'version: 2\nmodels:\n  - name: t\n    columns:\n      - name: id\n        data_tests:\n          - unique: {config: {store_failures: true, severity: warn}}\n',
    },
    runs: [{ command: 'build' }],
    async check(g) {
      expect(g.outcomes[0]!.results.map((r) => `${r.status} ${String(r.failures)}`).sort()).toEqual(['success null', 'warn 1']);
      const stored = await g.project.sql('select unique_field, n_records from golden_dbt_test__audit.unique_t_id');
      expect(stored.map((r) => `${String(r.unique_field)}|${String(r.n_records)}`)).toEqual(['1|2']);
    },
  },
  {
    name: 'unit-test',
    kinds: BOTH,
    files: {
      'models/src.sql': "{{ config(materialized='view') }}\nselect 1 as id, 10 as amount\n",
      'models/doubled.sql': "{{ config(materialized='table') }}\nselect id, amount * 2 as amount from {{ ref('src') }}\n",
      'models/_unit_tests.yml':
        'version: 2\nunit_tests:\n  - name: doubles\n    model: doubled\n    given:\n      - input: ref(\'src\')\n        rows:\n          - {id: 1, amount: 3}\n          - {id: 2, amount: 4}\n    expect:\n      rows:\n        - {id: 1, amount: 6}\n        - {id: 2, amount: 8}\n',
    },
    runs: [{ command: 'build' }],
    async check(g) {
      const status: unknown = Object.fromEntries(g.outcomes[0]!.results.map((r) => [r.unique_id.split('.').at(-1), r.status]));
      expect(status).toEqual({ src: 'success', doubles: 'pass', doubled: 'success' });
      expect(await rows(g, 'doubled', 'id, amount')).toEqual(['1|20']);
    },
  },
  {
    name: 'contract',
    kinds: ['pglite'],
    files: {
      'models/c.sql': "{{ config(materialized='table') }}\nselect 1 as id, 'a' as name\n",
      'models/_models.yml':
        'version: 2\nmodels:\n  - name: c\n    config:\n      contract: {enforced: true}\n    constraints:\n      - {type: check, expression: "id > 0", name: id_positive}\n    columns:\n      - name: id\n        data_type: integer\n        constraints: [{type: not_null}, {type: primary_key}]\n      - name: name\n        data_type: text\n        constraints: [{type: unique}]\n',
    },
    runs: [{ command: 'run' }, { command: 'run' }],
    async check(g) {
      expect(await rows(g, 'c', 'id, name')).toEqual(['1|a']);
    },
  },
  {
    name: 'contract',
    kinds: ['chdb'],
    files: {
      'models/c.sql': "{{ config(materialized='table') }}\nselect toInt32(1) as id, 'a' as name\n",
      'models/_models.yml':
        'version: 2\nmodels:\n  - name: c\n    config:\n      contract: {enforced: true}\n    constraints:\n      - {type: check, expression: "id > 0", name: id_positive}\n    columns:\n      - name: id\n        data_type: Int32\n        constraints: [{type: not_null}]\n      - name: name\n        data_type: String\n',
    },
    runs: [{ command: 'run' }, { command: 'run' }],
    async check(g) {
      expect(await rows(g, 'c', 'id, name')).toEqual(['1|a']);
    },
  },
  {
    name: 'persist-docs',
    kinds: BOTH,
    files: {
      'models/t.sql': "{{ config(materialized='table') }}\nselect 1 as id\n",
      'models/v.sql': "{{ config(materialized='view') }}\nselect id from {{ ref('t') }}\n",
      'models/_models.yml':
        "version: 2\nmodels:\n  - name: t\n    description: The table's rows\n    config:\n      persist_docs: {relation: true, columns: true}\n    columns:\n      - name: id\n        description: The key\n  - name: v\n    description: A view\n    config:\n      persist_docs: {relation: true, columns: true}\n    columns:\n      - name: id\n        description: The key, again\n",
    },
    runs: [{ command: 'run' }],
    async check(g, kind) {
      expect(await rows(g, 'v', 'id')).toEqual(['1']);
      if (kind === 'pglite') {
        expect(await g.project.sql("select obj_description('golden.t'::regclass) as d, col_description('golden.t'::regclass, 1) as c")).toEqual([{ d: "The table's rows", c: 'The key' }]);
      } else {
        expect(await g.project.sql("select comment from system.tables where database = 'golden' and name = 't'")).toEqual([{ comment: "The table's rows" }]);
      }
    },
  },
  {
    // dbt-postgres's materialized view; ClickHouse's (dbt-clickhouse's insert trigger) is the next case.
    // Runs: create (indexes from config), refresh (config unchanged), apply (index changed), --full-refresh.
    name: 'materialized-view',
    kinds: ['pglite'],
    files: {
      'models/m.sql':
        "{{ config(materialized='materialized_view', indexes=[{'columns': ['id'], 'unique': true}, {'columns': [var('indexed', 'name')], 'type': 'hash'}]) }}\nselect 1 as id, 'a' as name\n",
    },
    runs: [{ command: 'run' }, { command: 'run' }, { command: 'run', options: { vars: '{indexed: id}' } }, { command: 'run', options: { vars: '{indexed: id}', fullRefresh: true } }],
    async check(g) {
      expect(await rows(g, 'm', 'id, name')).toEqual(['1|a']);
      expect((await g.project.sql("select count(*)::int as n from pg_matviews where schemaname = 'golden' and matviewname = 'm'"))[0]).toEqual({ n: 1 });
      const indexes = await g.project.sql("select indexdef from pg_indexes where schemaname = 'golden' and tablename = 'm' order by indexdef");
      expect(indexes.map((r) => String(r.indexdef).replace(/ "?m_\w+_idx"? /, ' <name> '))).toEqual([
        'CREATE INDEX <name> ON golden.m USING hash (id)',
        'CREATE UNIQUE INDEX <name> ON golden.m USING btree (id)',
      ]);
    },
  },
  {
    // dbt-clickhouse's: the table filled by the SELECT and `m_mv` TO it; a second run (the SELECT
    // changed) keeps the rows and modifies the view's query; --full-refresh rebuilds the table.
    name: 'materialized-view',
    kinds: ['chdb'],
    files: {
      'seeds/src.csv': 'id,name\n1,a\n',
      'models/m.sql': "{{ config(materialized='materialized_view', engine='MergeTree()', order_by='id') }}\nselect id, {{ var('name', 'name') }} as name from {{ ref('src') }}\n",
    },
    runs: [{ command: 'seed' }, { command: 'run' }, { command: 'run', options: { vars: "{name: 'upper(name)'}" } }, { command: 'run', options: { vars: "{name: 'upper(name)'}", fullRefresh: true } }],
    async check(g) {
      expect(await rows(g, 'm', 'id, name')).toEqual(['1|A']);
      await g.project.sql("insert into golden.src values (2, 'b')");
      expect(await rows(g, 'm', 'id, name')).toEqual(['1|A', '2|B']);
    },
  },
  {
    // dbt-clickhouse's dictionary over the model's SELECT, replaced in one statement on the second run.
    name: 'dictionary',
    kinds: ['chdb'],
    files: {
      'seeds/src.csv': 'id,name\n1,a\n',
      'models/d.sql': "{{ config(materialized='dictionary', fields=[('id', 'UInt64'), ('name', 'String')], primary_key='id', layout='HASHED()', lifetime='1') }}\nselect id, {{ var('name', 'name') }} as name from {{ ref('src') }}\n",
    },
    runs: [{ command: 'seed' }, { command: 'run' }, { command: 'run', options: { vars: "{name: 'upper(name)'}" } }],
    async check(g) {
      expect(await g.project.sql("select dictGet('golden.d', 'name', toUInt64(1)) as name")).toEqual([{ name: 'A' }]);
    },
  },
  {
    name: 'hooks',
    kinds: BOTH,
    files: {
      'models/log.sql': "{{ config(materialized='table') }}\nselect 'start' as event\n",
      'models/t.sql': `{{ config(materialized='table',
    pre_hook=[before_begin("insert into {{ ref('log') }} (event) values ('pre outside')"), "insert into {{ ref('log') }} (event) values ('pre inside')"],
    post_hook=["insert into {{ ref('log') }} (event) values ('post inside')", after_commit("insert into {{ ref('log') }} (event) values ('post outside')")]) }}
select 1 as id
`,
    },
    runs: [{ command: 'run' }],
    async check(g) {
      expect(await rows(g, 'log', 'event')).toEqual(['post inside', 'post outside', 'pre inside', 'pre outside', 'start']);
      expect(await rows(g, 't', 'id')).toEqual(['1']);
    },
  },
];
