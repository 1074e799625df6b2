// `model` in a materialization is dbt's compiled node as `to_dict(omit_none=True)` gives it
// (providers.py ctx_model): `compiled` and `compiled_code`, `extra_ctes_injected` True once
// compiled (compilation.py's _recursively_prepend_ctes sets it on every compiled node, with or
// without ephemeral parents), `extra_ctes`, a model's `access` and `contract`, and `compiled_sql`,
// which ctx_model keeps beside `compiled_code`. mashiike/dbt-inheritance's root-project
// `default__create_table_as` re-renders a model's SQL only when `model['extra_ctes_injected']`;
// tsdbt's `model` lacked it (and a node run ahead of its turn lacked every compiled field).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const facts = [
  `'" ~ model.get('compiled') ~ "' as compiled`,
  `'" ~ model.get('extra_ctes_injected') ~ "' as injected`,
  `'" ~ (model.get('extra_ctes') or []) | length ~ "' as ctes`,
  `'" ~ model.get('access') ~ "' as access`,
  `'" ~ (model.get('contract') or {}).get('enforced') ~ "' as enforced`,
  `'" ~ (model.get('compiled_sql') is string and model.get('compiled_sql') == model.get('compiled_code')) ~ "' as same_sql`,
].join(', ');

describe("a materialization's `model` is dbt's compiled node dict", () => {
  let p: WarehouseProject;
  let out: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('pglite', {
      'dbt_project.yml': 'name: demo\nprofile: demo\nmodels:\n  demo:\n    +materialized: table\n',
      'models/eph.sql': "{{ config(materialized='ephemeral') }}\nselect 1 as id",
      'models/a.sql': "select id from {{ ref('eph') }}",
      'models/b.sql': 'select 2 as id',
      'models/c.sql': "select id + 1 as id from {{ ref('b') }}",
      // The project's create_table_as, as dbt-inheritance's integration tests override it.
      'macros/override.sql': `{% macro default__create_table_as(temporary, relation, sql) -%}\n  {{ dbt.default__create_table_as(temporary, relation, "select q.*, ${facts} from (" ~ sql ~ ") q") }}\n{%- endmacro %}\n`,
    });
    out = await p.run('run');
  }, 300_000);
  afterAll(() => p?.cleanup());

  it('has compiled, extra_ctes_injected, extra_ctes, access, contract and compiled_sql, with or without ephemeral parents', async () => {
    expect(out.code, out.output).toBe(0);
    const rows = await p.sql(`select id, compiled, injected, ctes, access, enforced, same_sql from "${p.schema}".a union all select id, compiled, injected, ctes, access, enforced, same_sql from "${p.schema}".b union all select id, compiled, injected, ctes, access, enforced, same_sql from "${p.schema}".c order by id`);
    const row = (id: number, ctes: string) => ({ id, compiled: 'True', injected: 'True', ctes, access: 'protected', enforced: 'False', same_sql: 'True' });
    expect(rows).toEqual([row(1, '1'), row(2, '0'), row(3, '0')]);
  });
});
