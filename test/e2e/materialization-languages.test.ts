// A materialization's `supported_languages` (docs: guides/create-new-materializations, "Materialization
// configuration": `{% materialization my_materialization_name, default, supported_languages=['sql'] %}`,
// ['sql'] when none are named): a model in another language fails when it runs, with dbt's
// 'Materialization "..." only supports languages [...]; got "..."'; a supported one builds.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const materialization = (name: string, languages: string) => `
{% materialization ${name}, default${languages} %}
  {%- set target_relation = this.incorporate(type='table') %}
  {% call statement('main') -%}
    {{ get_create_table_as_sql(False, target_relation, sql) }}
  {%- endcall %}
  {{ adapter.commit() }}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
`;

describe('supported_languages of a Jinja materialization', () => {
  let p: WarehouseProject;
  afterAll(async () => p?.cleanup());

  it('fails the SQL model of a python-only materialization; builds the SQL models of the others', async () => {
    p = warehouseProject('pglite', {
      'macros/mats.sql': materialization('python_only', ", supported_languages=['python']") + materialization('sql_by_default', '') + materialization('both', ", supported_languages=['sql', 'python']"),
      'models/a.sql': "{{ config(materialized='python_only') }}\nselect 1 as id\n",
      'models/b.sql': "{{ config(materialized='sql_by_default') }}\nselect 2 as id\n",
      'models/c.sql': "{{ config(materialized='both') }}\nselect 3 as id\n",
    });
    const out = await p.run('run');
    expect(out.code).toBe(1);
    const results = (JSON.parse(readFileSync(path.join(p.dir, 'target', 'run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; message: string | null }[] }).results;
    const byId = Object.fromEntries(results.map((r) => [r.unique_id, r]));
    expect(byId['model.demo.a']?.status).toBe('error');
    expect(byId['model.demo.a']?.message).toContain(`Materialization "materialization_python_only_default" only supports languages ['python']; got "sql"`);
    expect([byId['model.demo.b']?.status, byId['model.demo.c']?.status]).toEqual(['success', 'success']);
    expect(await p.sql(`select id from "${p.schema}".b union all select id from "${p.schema}".c order by id`)).toEqual([{ id: 2 }, { id: 3 }]);
  });
});
