// `compile --no-introspect` opens no connection, as dbt's compile runner then acquires none: a
// model whose template asks the warehouse (adapter.get_columns_in_relation, run_query) fails with
// dbt's "connection never acquired for thread" Runtime Error, while the models that ask nothing
// compile. Without the flag the same model compiles through the warehouse. On PGlite.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

describe('compile --no-introspect', () => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('pglite', {
      'models/first_model.sql': 'select 1 as fun\n',
      'models/second_model.sql': "{%- set columns = adapter.get_columns_in_relation(ref('first_model')) -%}\nselect {{ columns | length }} as n from {{ ref('first_model') }}\n",
    });
  });
  afterAll(() => p.cleanup());

  const compiled = (name: string) => path.join(p.dir, 'target', 'compiled', 'demo', 'models', `${name}.sql`);

  it("fails the introspecting model with dbt's Runtime Error and opens no connection", async () => {
    await expect(p.run('compile', { introspect: false })).rejects.toMatchObject({
      code: 'no-introspect',
      message: expect.stringContaining('connection never acquired for thread') as unknown,
    });
    expect(readFileSync(compiled('first_model'), 'utf8')).toBe('select 1 as fun');
    expect(existsSync(compiled('second_model'))).toBe(false);
    // PGlite's database is created by the first connection: none was opened.
    expect(existsSync(path.join(p.dir, 'target', 'tsdbt.pglite'))).toBe(false);
  });

  it('compiles it through the warehouse by default', async () => {
    const out = await p.run('compile');
    expect(out.code, out.output).toBe(0);
    expect(readFileSync(compiled('second_model'), 'utf8')).toContain('select 0 as n from');
  });
});
