// dbt's `load_result(name)` hands a statement's result out once (dbt's docs, "statement blocks";
// dbt-core's load_result): a second load of the same name is dbt's "The 'statement' result named
// 'x' has already been loaded into a variable", failing that model only; `main`'s result can be
// loaded any number of times.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const LOAD_TWICE = (name: string) =>
  `{%- call statement('${name}', fetch_result=True) -%} select 3 as n {%- endcall -%}\n` +
  `{% set first = load_result('${name}') %}{% set second = load_result('${name}') %}\n` +
  "select {{ first['data'][0][0] }} as a, {{ second['data'][0][0] if second else 'null' }} as b\n";

describe('load_result of one statement twice', () => {
  let p: WarehouseProject;
  let out: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('pglite', {
      'models/twice.sql': LOAD_TWICE('test_statement'),
      'models/main_twice.sql': LOAD_TWICE('main'),
    });
    out = await p.run('run');
  });
  afterAll(async () => {
    await p.cleanup();
  });

  it("fails the model with dbt's message", () => {
    const twice = out.results.find((r) => r.unique_id.endsWith('.twice'));
    expect(twice?.status).toBe('error');
    expect(twice?.message).toMatch(/^Compilation Error in model twice \(models\/twice\.sql\)\n[^]*The 'statement' result named 'test_statement' has already been loaded into a variable/);
  });

  it("loads main's result as often as asked", async () => {
    expect(out.results.find((r) => r.unique_id.endsWith('.main_twice'))?.status).toBe('success');
    expect(await p.sql(`select a, b from ${p.schema}.main_twice`)).toEqual([{ a: 3, b: 3 }]);
  });
});
