// dbt-clickhouse's view config `sql_security` / `definer` (materializations/view.sql,
// get_sql_security_clause): `SQL SECURITY INVOKER`, or `DEFINER = <user> SQL SECURITY DEFINER`,
// between the view's name and `as`; a definer view without `definer` fails as config.require does,
// an empty one and any other `sql_security` with dbt-clickhouse's compiler errors. On chDB, whose
// catalog keeps the clause in the view's create_table_query.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const BODY = "select id, name from {{ ref('people') }}\n";
const view = (config: string) => `{{ config(materialized='view'${config}) }}\n${BODY}`;

describe('ClickHouse views with sql_security, as dbt-clickhouse makes them', () => {
  let ch: WarehouseProject;
  beforeAll(async () => {
    ch = warehouseProject('chdb', {
      'seeds/people.csv': 'id,name\n1,Dade\n2,Kate\n',
      'models/view_invoker.sql': view(", sql_security='invoker'"),
      'models/view_definer.sql': view(", sql_security='definer', definer='default'"),
      'models/view_definer_missing.sql': view(", sql_security='definer'"),
      'models/view_definer_empty.sql': view(", sql_security='definer', definer=''"),
      'models/view_wrong.sql': view(", sql_security='wrong'"),
      'models/view_plain.sql': view(''),
    });
    const seeded = await ch.run('seed');
    expect(seeded.code, seeded.output).toBe(0);
  }, 300_000);
  afterAll(async () => {
    await ch.cleanup();
  });

  const createQuery = async (name: string) =>
    (await ch.sql(`select create_table_query as q from system.tables where database = '${ch.schema}' and name = '${name}'`)).map((r) => String(r.q));

  it('writes SQL SECURITY INVOKER and DEFINER = <user> SQL SECURITY DEFINER; nothing without the config', async () => {
    const out = await ch.run('run', { select: ['view_invoker', 'view_definer', 'view_plain'] });
    expect(out.code, out.output).toBe(0);
    expect((await createQuery('view_invoker'))[0]).toContain('SQL SECURITY INVOKER AS SELECT');
    expect((await createQuery('view_definer'))[0]).toContain('DEFINER = default SQL SECURITY DEFINER AS SELECT');
    expect((await createQuery('view_plain'))[0]).not.toContain('SQL SECURITY');
    expect(await ch.sql(`select id, name from \`${ch.schema}\`.view_definer order by id`)).toEqual([
      { id: 1, name: 'Dade' },
      { id: 2, name: 'Kate' },
    ]);
  });

  it("fails a definer view without `definer`, an empty one and another sql_security with dbt-clickhouse's messages", async () => {
    const out = await ch.run('run', { select: ['view_definer_missing', 'view_definer_empty', 'view_wrong'] });
    expect(out.code).toBe(1);
    const messages = Object.fromEntries(out.results.map((r) => [r.unique_id, r.message ?? '']));
    expect(messages['model.demo.view_definer_missing']).toContain("Model 'model.demo.view_definer_missing' does not define a required config parameter 'definer'.");
    expect(messages['model.demo.view_definer_empty']).toContain('Invalid config parameter `definer`. No value was provided.');
    expect(messages['model.demo.view_wrong']).toContain('Invalid config parameter `sql_security`. Got: `wrong`, but only definer | invoker allowed.');
    expect(out.results.every((r) => r.status === 'error')).toBe(true);
    for (const name of ['view_definer_missing', 'view_definer_empty', 'view_wrong']) expect(await createQuery(name)).toEqual([]);
  });
});
