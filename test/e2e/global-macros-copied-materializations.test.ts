// dbt's global snapshot helpers (strategy_dispatch, snapshot_timestamp_strategy, snapshot_check_strategy,
// build_snapshot_table, snapshot_staging_table, build_snapshot_staging_table, create_columns, post_snapshot,
// check_time_data_types...) and backup / intermediate relation helpers (get_create_intermediate_sql,
// get_create_backup_sql, get_rename_intermediate_sql, get_drop_backup_sql), which projects' copies of dbt's
// materializations call: a project's own snapshot materialization, dbt-adapters' snapshot.sql as written,
// snapshots a table twice with a change (timestamp and check strategies); a copied table materialization swaps through the helpers; on PGlite.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

// dbt-adapters' snapshot.sql as written (test/e2e/fixtures, shared with user-snapshot-materialization),
// named scd_snapshot and applied to models, without the fixture's log line.
const SNAPSHOT_MATERIALIZATION = readFileSync(new URL('./fixtures/dbt-snapshot-materialization.sql', import.meta.url), 'utf8')
  .replace('{% materialization snapshot, default %}', '{% materialization scd_snapshot, default %}')
  .replace(/^ *\{\{ log\('project snapshot materialization: '.*\n/m, '');

// dbt's relation-swap pattern (as dbt-adapters' materialized_view.sql uses it) for a table.
const SWAP_TABLE = `{% materialization swap_table, default %}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set existing = load_cached_relation(this) -%}
  {% call statement('intermediate') %}{{ get_create_intermediate_sql(target_relation, sql) }}{% endcall %}
  {% if existing is not none %}
    {% call statement('backup') %}{{ get_create_backup_sql(existing) }}{% endcall %}
  {% endif %}
  {% call statement('main') %}{{ get_rename_intermediate_sql(target_relation) }}{% endcall %}
  {% if existing is not none %}
    {% call statement('drop_backup') %}{{ get_drop_backup_sql(existing) }}{% endcall %}
  {% endif %}
  {{ adapter.commit() }}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
`;

// dbt's get_replace_sql over an existing table (dbt-adapters' materialized_view_get_build_sql calls it so).
const REPLACER = `{% materialization replacer, default %}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set existing = load_cached_relation(this) -%}
  {% call statement('main') %}
    {%- if existing is none -%}{{ get_create_sql(target_relation, sql) }}{%- else -%}{{ get_replace_sql(existing, target_relation, sql) }}{%- endif -%}
  {% endcall %}
  {{ adapter.commit() }}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
`;

const SOURCE = `{{ config(materialized='table') }}
select 1 as id, 'a' as label, timestamp '2024-01-01 00:00:00' as updated_at
union all
{% if var('changed', false) -%}
select 2, 'b2', timestamp '2024-02-01 00:00:00'
{%- else -%}
select 2, 'b', timestamp '2024-01-01 00:00:00'
{%- endif %}
`;

const snapshot = (config: string) => `{{ config(materialized='scd_snapshot', unique_key='id', ${config}) }}
select id, label, updated_at from {{ ref('src') }}
`;

describe("dbt's snapshot and relation-swap helpers in copied materializations", () => {
  let p: WarehouseProject;
  let second: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('pglite', {
      'macros/swap_table.sql': SWAP_TABLE,
      'models/src.sql': SOURCE,
      'macros/replacer.sql': REPLACER,
      'models/replaced.sql': "{{ config(materialized='replacer') }}\nselect {{ var('n', 1) }} as n\n",
      'models/swapped.sql': "{{ config(materialized='swap_table') }}\nselect {{ var('n', 1) }} as n\n",
      'macros/scd_snapshot.sql': SNAPSHOT_MATERIALIZATION,
      'models/by_time.sql': snapshot("strategy='timestamp', updated_at='updated_at'"),
      'models/by_check.sql': snapshot("strategy='check', check_cols=['label']"),
      // dbt's seed helpers a copied seed materialization calls around its inserts.
      'models/seed_sql.sql': `{{ config(materialized='table', quote_columns=true) }}
select '{{ get_seed_column_quoted_csv(model, ['id', 'Label']) | replace("'", "''") }}' as cols,
  '{{ get_csv_sql('truncate table t', 'insert into t values (1)') | replace("'", "''") }}' as csv_sql
`,
    });
    const first = await p.run('build');
    expect(first.code, first.output).toBe(0);
    second = await p.run('build', { vars: '{changed: true, n: 2}' });
  }, 300_000);
  afterAll(() => p.cleanup());

  const rows = (table: string) =>
    p.sql(`select id, label, dbt_valid_to is null as open from "${p.schema}".${table} order by id, dbt_valid_from, label`);

  it('closes the changed row and opens its new version (timestamp strategy)', async () => {
    expect(second.code, second.output).toBe(0);
    expect(await rows('by_time')).toEqual([
      { id: 1, label: 'a', open: true },
      { id: 2, label: 'b', open: false },
      { id: 2, label: 'b2', open: true },
    ]);
    const versions = (await p.sql(`select dbt_valid_from::text as valid_from, dbt_valid_to::text as valid_to from "${p.schema}".by_time where id = 2 order by dbt_valid_from`)) as { valid_from: string; valid_to: string | null }[];
    expect(versions).toEqual([
      { valid_from: '2024-01-01 00:00:00', valid_to: '2024-02-01 00:00:00' },
      { valid_from: '2024-02-01 00:00:00', valid_to: null },
    ]);
  });

  it('closes the changed row and opens its new version (check strategy)', async () => {
    expect(await rows('by_check')).toEqual([
      { id: 1, label: 'a', open: true },
      { id: 2, label: 'b', open: false },
      { id: 2, label: 'b2', open: true },
    ]);
  });

  it('quotes seed columns and joins the create/truncate and insert statements as dbt does', async () => {
    const [row] = (await p.sql(`select cols, csv_sql from "${p.schema}".seed_sql`)) as { cols: string; csv_sql: string }[];
    expect(row?.cols).toBe('"id", "Label"');
    expect(row?.csv_sql.split('\n').map((l) => l.trim()).filter(Boolean)).toEqual(['truncate table t;', '-- dbt seed --', 'insert into t values (1)']);
  });

  it('replaces a table through get_replace_sql', async () => {
    expect(second.results.find((r) => r.unique_id === 'model.demo.replaced')?.status).toBe('success');
    expect(await p.sql(`select n from "${p.schema}".replaced`)).toEqual([{ n: 2 }]);
  });

  it('swaps a table in through the intermediate and backup helpers', async () => {
    expect(second.results.find((r) => r.unique_id === 'model.demo.swapped')?.status).toBe('success');
    expect(await p.sql(`select n from "${p.schema}".swapped`)).toEqual([{ n: 2 }]);
    expect(await p.sql(`select table_name from information_schema.tables where table_schema = '${p.schema}' and table_name like 'swapped%' order by 1`)).toEqual([{ table_name: 'swapped' }]);
  });
});
