// A project's create_table_as that runs a statement of its own and returns the rest, as
// dbt-clickhouse's (and copies of it) do: `create table ... empty as (...)` in a `statement` call,
// then the `insert into` it returns. The built-in table materialization renders the macro for its
// staging relation after clearing that name, so the table the macro made is the one filled. On
// PGlite with `postgres__create_table_as`, and on chDB with `clickhouse__create_table_as`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const macro = (prefix: string, empty: string) => `{% macro ${prefix}__create_table_as(temporary, relation, sql) -%}
  {% call statement('create_table_empty') %}${empty}{% endcall %}
  insert into {{ relation }} {{ sql }}
{%- endmacro %}
`;

const CASES = [
  { kind: 'pglite' as const, macro: macro('postgres', 'create table {{ relation }} as select * from ({{ sql }}) as s limit 0'), quote: (s: string, t: string) => `"${s}"."${t}"` },
  { kind: 'chdb' as const, macro: macro('clickhouse', 'create table {{ relation }} engine = MergeTree order by tuple() empty as ({{ sql }})'), quote: (s: string, t: string) => `\`${s}\`.\`${t}\`` },
];

describe.each(CASES)('a create_table_as that runs its own statement ($kind)', ({ kind, macro: text, quote }) => {
  let p: WarehouseProject;
  const runs: RunOutcome[] = [];
  beforeAll(async () => {
    p = warehouseProject(kind, {
      'dbt_project.yml': 'name: demo\nprofile: demo\nmodels:\n  demo:\n    +materialized: table\n',
      'macros/create_table_as.sql': text,
      'models/numbers.sql': "select 1 as n, 'one' as label union all select 2, 'two'\n",
    });
    runs.push(await p.run('run'));
    runs.push(await p.run('run'));
  }, 300_000);
  afterAll(() => p.cleanup());

  it('builds the table the macro created, on a first build and a rebuild', async () => {
    for (const out of runs) expect(out.results.map((r) => [r.unique_id, r.status]), out.output).toEqual([['model.demo.numbers', 'success']]);
    expect(await p.sql(`select n, label from ${quote(p.schema, 'numbers')} order by n`)).toEqual([
      { n: 1, label: 'one' },
      { n: 2, label: 'two' },
    ]);
  });
});
