// dbt-clickhouse's profile-reading `adapter.*` methods (get_clickhouse_cluster_name,
// get_clickhouse_local_suffix, should_on_cluster, calculate_incremental_strategy,
// get_model_settings, get_model_query_settings), and dbt's `validation.any` with
// `config.get(..., validator=...)`, as macros copied from dbt-clickhouse's materializations call
// them (urevoleg/course-dbt-clickhouse's project-level `table` materialization). Built on chDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const FILES: Record<string, string> = {
  'models/probe.sql': `{{ config(materialized='table', order_by=['id'], settings={'index_granularity': 1024}, query_settings={'max_threads': 2, 'join_algorithm': 'hash'}) }}
{%- set order_by = config.get('order_by', validator=validation.any[list, basestring]) -%}
{%- set materialized = config.get('materialized', validator=validation.any('table', 'view')) -%}
select 1 as id,
  '{{ adapter.get_clickhouse_cluster_name() }}' as cluster,
  '{{ adapter.get_clickhouse_local_suffix() }}' as local_suffix,
  '{{ adapter.get_clickhouse_local_db_prefix() }}' as db_prefix,
  {{ adapter.should_on_cluster() }} as on_cluster,
  '{{ adapter.calculate_incremental_strategy('delete+insert') }}|{{ adapter.calculate_incremental_strategy('default') }}' as strategies,
  '{{ order_by | join(",") }}|{{ materialized }}' as configs,
  '{{ adapter.get_model_settings(model) | trim }}' as table_settings,
  '{{ adapter.get_model_query_settings(model) | trim | replace("'", "''") }}' as query_settings
`,
  'models/bad_validator.sql': "{{ config(materialized='table') }}\n{% set m = config.get('materialized', validator=validation.any('view', 'ephemeral')) %}\nselect 1 as id\n",
};

describe("dbt-clickhouse's adapter methods and validation.any", () => {
  let p: WarehouseProject;
  let out: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('chdb', FILES, { target: { local_suffix: 'shard', local_db_prefix: 'loc' } });
    out = await p.run('run');
  }, 300_000);
  afterAll(() => p.cleanup());

  it("answer as dbt-clickhouse's do from the profile", async () => {
    expect(out.results.find((r) => r.unique_id === 'model.demo.probe')?.status, out.output).toBe('success');
    expect(await p.sql(`select cluster, local_suffix, db_prefix, on_cluster, strategies, configs, table_settings, query_settings from \`${p.schema}\`.probe`)).toEqual([
      {
        cluster: 'None',
        local_suffix: '_shard',
        db_prefix: 'loc_',
        on_cluster: false,
        strategies: 'delete_insert|delete_insert',
        configs: 'id|table',
        table_settings: '-- end_of_sql\n                    SETTINGS index_granularity=1024',
        query_settings: "-- settings_section\n            SETTINGS max_threads=2, join_algorithm='hash'",
      },
    ]);
  });

  it('a validator that refuses the value fails the model with dbt\'s message', () => {
    const bad = out.results.find((r) => r.unique_id === 'model.demo.bad_validator');
    expect(bad?.status).toBe('error');
    expect(bad?.message).toContain('Expected value "table" to be one of view,ephemeral');
  });
});
