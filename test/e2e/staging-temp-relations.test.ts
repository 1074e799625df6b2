// dbt-postgres stages a microbatch batch's rows and a snapshot's changes in tables of the session,
// as it does an incremental run's new rows: dbt's incremental materialization runs each batch with
// `get_create_table_as_sql(True, make_temp_relation(target), sql)`, and make_temp_relation's suffix
// is `__dbt_tmp_<batch id>` in a batch (dbt-adapters relation.sql); the snapshot materialization's
// build_snapshot_staging_table makes `create_table_as(True, make_temp_relation(target), ...)`.
// dbt-postgres's make_temp_relation has no schema or database and ends in the time of day
// (%H%M%S%f), so both are `create temporary table "<alias>__dbt_tmp...<HHMMSSffffff>"`, gone with
// the session, and nothing named `__dbt_tmp` is ever made in the target's schema. A project's own
// make_temp_relation (`postgres__` or `default__`, through dbt's dispatch) names them instead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAREHOUSES, warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

// dbt-postgres's postgres__create_table_as (no contract, no unlogged), recording what it was given.
const CREATE_TABLE_AS = `{% macro postgres__create_table_as(temporary, relation, sql) -%}
  {%- if execute -%}
    {%- do run_query("insert into " ~ target.schema ~ "_raw.ctas_log (model, temporary, rel_schema, identifier) values ('"
        ~ model.name ~ "', '" ~ temporary ~ "', '" ~ relation.schema ~ "', '" ~ relation.identifier ~ "')") -%}
  {%- endif %}
  create {% if temporary -%} temporary {%- endif %} table {{ relation }} as (
    {{ sql }}
  );
{%- endmacro %}
`;

const MICROBATCH = `{{ config(materialized='incremental', incremental_strategy='microbatch', unique_key='event_id',
            event_time='event_ts', begin='2024-01-01', batch_size='day', lookback=1) }}
select event_id, event_ts, v from {{ source('raw', 'events') }}
`;

const SNAPSHOT = `{% snapshot snap %}
{{ config(unique_key='id', strategy='timestamp', updated_at='updated_at') }}
select id, v, updated_at from {{ source('raw', 'customers') }}
{% endsnapshot %}
`;

const sources = (schema: string) =>
  `version: 2\nsources:\n  - name: raw\n    schema: ${schema}_raw\n    tables:\n      - name: events\n        config: {event_time: event_ts}\n      - name: customers\n`;

/** A project with the microbatch model and the snapshot over `<schema>_raw`, run once before `second`. */
async function stagedProject(kind: 'server' | 'pglite', files: Record<string, string>): Promise<{ p: WarehouseProject; first: RunOutcome[]; second: RunOutcome[] }> {
  const p = warehouseProject(kind, { 'models/mb.sql': MICROBATCH, 'snapshots/snap.sql': SNAPSHOT, ...files });
  p.write('models/sources.yml', sources(p.schema));
  const raw = `"${p.schema}_raw"`;
  await p.sql(`create schema ${raw}`);
  await p.sql(`create table ${raw}.ctas_log (model text, temporary text, rel_schema text, identifier text)`);
  await p.sql(`create table ${raw}.events as select g as event_id, timestamp '2024-01-01 06:00' + g * interval '12 hours' as event_ts, 'v1' as v from generate_series(0, 4) g`);
  await p.sql(`create table ${raw}.customers as select g as id, 'v1' as v, timestamp '2024-01-01' as updated_at from generate_series(1, 3) g`);
  const now = () => new Date('2024-01-03T12:00:00Z');
  const first = [await p.run('run', { now }), await p.run('snapshot', { now })];
  await p.sql(`delete from ${raw}.ctas_log`);
  await p.sql(`update ${raw}.events set v = 'v2' where event_id = 4`);
  await p.sql(`update ${raw}.customers set v = 'v2', updated_at = timestamp '2024-01-02' where id = 2`);
  const second = [await p.run('run', { now }), await p.run('snapshot', { now })];
  return { p, first, second };
}

const logOf = (p: WarehouseProject) => p.sql(`select model, temporary, rel_schema, identifier from "${p.schema}_raw".ctas_log order by model, identifier`);
const relationsIn = async (p: WarehouseProject) =>
  (await p.sql(`select table_name from information_schema.tables where table_schema = '${p.schema}' order by 1`)).map((r) => String(r.table_name));

describe.each(WAREHOUSES)('microbatch batches and snapshots stage in temporary tables, as dbt-postgres (%s)', (kind) => {
  let p: WarehouseProject;
  let first: RunOutcome[];
  let second: RunOutcome[];
  let log: Record<string, unknown>[];
  beforeAll(async () => {
    ({ p, first, second } = await stagedProject(kind, { 'macros/create_table_as.sql': CREATE_TABLE_AS }));
    log = await logOf(p);
  }, 300_000);
  afterAll(() => p.cleanup());

  it('runs', () => {
    for (const out of [...first, ...second]) expect(out.code, out.output).toBe(0);
  });

  it("creates each batch's rows with create_table_as(True, <alias>__dbt_tmp_<batch id><HHMMSSffffff> without schema)", () => {
    const batches = log.filter((r) => r.model === 'mb');
    // The run redoes the current batch and the lookback one: 2024-01-02 and 2024-01-03.
    expect(batches).toHaveLength(2);
    for (const row of batches) expect(row).toMatchObject({ temporary: 'True', rel_schema: 'None' });
    expect(String(batches[0]?.identifier)).toMatch(/^mb__dbt_tmp_20240102\d{12}$/);
    expect(String(batches[1]?.identifier)).toMatch(/^mb__dbt_tmp_20240103\d{12}$/);
  });

  it("creates the snapshot's staging table with create_table_as(True, <alias>__dbt_tmp<HHMMSSffffff> without schema)", () => {
    const staged = log.filter((r) => r.model === 'snap');
    expect(staged).toHaveLength(1);
    expect(staged[0]).toMatchObject({ temporary: 'True', rel_schema: 'None' });
    expect(String(staged[0]?.identifier)).toMatch(/^snap__dbt_tmp\d{12}$/);
  });

  it('applies the staged rows', async () => {
    expect(await p.sql(`select event_id, v from "${p.schema}".mb order by event_id`)).toEqual([
      { event_id: 0, v: 'v1' },
      { event_id: 1, v: 'v1' },
      { event_id: 2, v: 'v1' },
      { event_id: 3, v: 'v1' },
      { event_id: 4, v: 'v2' },
    ]);
    expect(await p.sql(`select id, v, dbt_valid_to is null as current from "${p.schema}".snap order by id, dbt_valid_from`)).toEqual([
      { id: 1, v: 'v1', current: true },
      { id: 2, v: 'v1', current: false },
      { id: 2, v: 'v2', current: true },
      { id: 3, v: 'v1', current: true },
    ]);
  });

  it('leaves no staging relation in the schema', async () => {
    expect(await relationsIn(p)).toEqual(['mb', 'snap', 'tsdbt_microbatch_batches']);
  });
});

// dbt's make_temp_relation dispatches: the root project's postgres__ or default__ implementation
// comes before dbt-postgres's, and the global macro adds the batch's id to the default suffix first.
describe.each([
  ['postgres__make_temp_relation', 'mine'],
  ['default__make_temp_relation', 'ours'],
])("a project's %s names the staging tables", (macro, tag) => {
  let p: WarehouseProject;
  let second: RunOutcome[];
  let log: Record<string, unknown>[];
  beforeAll(async () => {
    const override = `{% macro ${macro}(base_relation, suffix) -%}
  {{ return(base_relation.incorporate(path={"identifier": base_relation.identifier ~ suffix ~ "_${tag}", "schema": none, "database": none})) }}
{%- endmacro %}
`;
    ({ p, second } = await stagedProject('pglite', { 'macros/create_table_as.sql': CREATE_TABLE_AS, 'macros/temp.sql': override, 'models/inc.sql': "{{ config(materialized='incremental', unique_key='id') }}\nselect 1 as id\n" }));
    log = await logOf(p);
  }, 300_000);
  afterAll(() => p.cleanup());

  it('for the incremental run, each microbatch batch and the snapshot', () => {
    for (const out of second) expect(out.code, out.output).toBe(0);
    expect(log).toEqual([
      { model: 'inc', temporary: 'True', rel_schema: 'None', identifier: `inc__dbt_tmp_${tag}` },
      { model: 'mb', temporary: 'True', rel_schema: 'None', identifier: `mb__dbt_tmp_20240102_${tag}` },
      { model: 'mb', temporary: 'True', rel_schema: 'None', identifier: `mb__dbt_tmp_20240103_${tag}` },
      { model: 'snap', temporary: 'True', rel_schema: 'None', identifier: `snap__dbt_tmp_${tag}` },
    ]);
  });
});
