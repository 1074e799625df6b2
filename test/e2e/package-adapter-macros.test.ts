// dbt's adapter runs some of dbt's macros by name: `adapter.truncate_relation(r)` (which a seed's
// reload runs) is `execute_macro('truncate_relation')`, and dbt finds that macro with
// `manifest.find_macro_by_name`: the root project's, then any installed package's, then dbt's own.
// So a package defining `truncate_relation` (dbt_constraints does, to drop its foreign keys before
// PostgreSQL refuses the truncate) replaces it for the root project's seeds too.
import { afterAll, describe, expect, it } from 'vitest';
import { warehouseProject } from '../support/warehouse-project.js';

describe("a package's truncate_relation", () => {
  const project = warehouseProject('pglite', {
    'dbt_project.yml': [
      'name: demo',
      'profile: demo',
      'on-run-start:',
      '  - "create table if not exists {{ target.schema }}.guard_log (what text)"',
    ].join('\n'),
    'packages.yml': 'packages:\n  - local: vendor/guard\n',
    'dbt_packages/guard/dbt_project.yml': 'name: guard\nversion: "1.0.0"\nconfig-version: 2\n',
    'dbt_packages/guard/macros/truncate.sql': [
      '{% macro truncate_relation(relation) %}',
      "  {% call statement('guard_log') %}insert into {{ target.schema }}.guard_log values ('truncate {{ relation.identifier }}'){% endcall %}",
      "  {{ return(adapter.dispatch('truncate_relation', 'dbt')(relation)) }}",
      '{% endmacro %}',
    ].join('\n'),
    'seeds/codes.csv': 'code,label\n1,one\n2,two\n',
  });
  afterAll(() => project.cleanup());

  it('truncates a root seed on reload, as dbt finds the macro in any installed package', async () => {
    const first = await project.run('seed');
    expect(first.code, first.output).toBe(0);
    const second = await project.run('seed');
    expect(second.code, second.output).toBe(0);
    expect(await project.sql(`select what from "${project.schema}".guard_log`)).toEqual([{ what: 'truncate codes' }]);
    expect(await project.sql(`select code, label from "${project.schema}".codes order by code`)).toEqual([
      { code: 1, label: 'one' },
      { code: 2, label: 'two' },
    ]);
  });
});
