// tsdbt's built-in incremental materialization goes through dbt's on_schema_change macros when a
// project replaces one of them (process_schema_changes, check_for_schema_changes, diff_columns,
// diff_column_data_types, sync_column_schemas, alter_relation_add_remove_columns), as dbt's
// incremental materialization calls process_schema_changes; otherwise it compares the columns
// itself. On PGlite: a type change fails `fail` natively, and passes where the project's
// diff_column_data_types reports no type changes; a project's sync_column_schemas decides what
// `append_new_columns` adds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const typed = (onSchemaChange: string) => `{{ config(materialized='incremental', on_schema_change='${onSchemaChange}') }}
select {% if var('wide', false) %}2::bigint{% else %}1::int{% endif %} as id
`;

describe('on_schema_change through a project-replaced dbt macro (built-in incremental)', () => {
  const runTwice = async (p: WarehouseProject): Promise<RunOutcome> => {
    const first = await p.run('run');
    expect(first.code, first.output).toBe(0);
    return p.run('run', { vars: '{wide: true, extra: true}' });
  };

  describe('natively', () => {
    let p: WarehouseProject;
    let second: RunOutcome;
    beforeAll(async () => {
      p = warehouseProject('pglite', { 'models/strict.sql': typed('fail') });
      second = await runTwice(p);
    }, 300_000);
    afterAll(() => p.cleanup());

    it('fails on the changed type', () => {
      expect(second.code).toBe(1);
      expect(second.output).toMatch(/changed types: id integer -> bigint/);
    });
  });

  describe('with the project macros', () => {
    let p: WarehouseProject;
    let second: RunOutcome;
    beforeAll(async () => {
      p = warehouseProject('pglite', {
        // Types never count as a change here.
        'macros/diff_types.sql': '{% macro postgres__diff_column_data_types(source_columns, target_columns) %}{{ return([]) }}{% endmacro %}',
        // append_new_columns adds each new column under a prefixed name too, so the project's macro visibly ran.
        'macros/sync.sql': `{% macro sync_column_schemas(on_schema_change, target_relation, schema_changes_dict) %}
  {% for c in schema_changes_dict['source_not_in_target'] %}
    {% do run_query('alter table ' ~ target_relation ~ ' add column ' ~ adapter.quote(c.name) ~ ' ' ~ c.data_type) %}
    {% do run_query('alter table ' ~ target_relation ~ ' add column ' ~ adapter.quote('synced_' ~ c.name) ~ ' ' ~ c.data_type) %}
  {% endfor %}
{% endmacro %}`,
        'models/strict.sql': typed('fail'),
        'models/appended.sql': `{{ config(materialized='incremental', on_schema_change='append_new_columns') }}
select 1 as id{% if var('extra', false) %}, 'x'::text as extra{% endif %}
`,
      });
      second = await runTwice(p);
    }, 300_000);
    afterAll(() => p.cleanup());

    it("does not fail where the project's diff_column_data_types sees no change", async () => {
      expect(second.results.find((r) => r.unique_id === 'model.demo.strict')?.status, second.output).toBe('success');
      expect(await p.sql(`select id from "${p.schema}".strict order by id`)).toEqual([{ id: 1 }, { id: 2 }]);
    });

    it("adds the columns the project's sync_column_schemas adds", async () => {
      expect(second.results.find((r) => r.unique_id === 'model.demo.appended')?.status, second.output).toBe('success');
      expect(await p.sql(`select id, extra, synced_extra from "${p.schema}".appended order by extra nulls first`)).toEqual([
        { id: 1, extra: null, synced_extra: null },
        { id: 1, extra: 'x', synced_extra: null },
      ]);
    });
  });
});
