// dbt's `grants` config (docs: "grants"), as dbt-tests-adapter's grants suite checks it, on the
// PostgreSQL server: every built-in materialization (table, view, incremental, seed, snapshot)
// grants what the config lists after its build; a second run of an incremental model changes
// nothing; a relation whose old grants carry over (a view replaced where it stands) has the ones the
// config no longer lists revoked. The grantee is PUBLIC, the one role every server has.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const GRANTS = "grants={'select': ['public']}";

describe('grants config on PostgreSQL', () => {
  let p: WarehouseProject;
  const privileges = async (table: string) =>
    (
      await p.sql(
        `select privilege_type from information_schema.table_privileges where grantee = 'PUBLIC' and table_schema = '${p.schema}' and table_name = '${table}' order by 1`,
      )
    ).map((r) => r.privilege_type);

  beforeAll(() => {
    p = warehouseProject('server', {
      'dbt_project.yml': "name: demo\nprofile: demo\nseeds:\n  +grants:\n    select: ['public']\n",
      'seeds/people.csv': 'id,name\n1,ann\n',
      'models/t.sql': `{{ config(materialized='table', ${GRANTS}) }}\nselect 1 as id\n`,
      'models/v.sql': `{{ config(materialized='view', ${GRANTS}) }}\nselect 1 as id\n`,
      'models/inc.sql': `{{ config(materialized='incremental', ${GRANTS}) }}\nselect 1 as id\n`,
      'models/plain.sql': "{{ config(materialized='table') }}\nselect 1 as id\n",
      'snapshots/snap.sql':
        `{% snapshot snap %}\n{{ config(strategy='check', unique_key='id', check_cols='all', target_schema=schema, ${GRANTS}) }}\nselect * from {{ ref('people') }}\n{% endsnapshot %}\n`,
    });
  });
  afterAll(async () => {
    await p.cleanup();
  });

  it('each materialization grants what its config lists; a node without grants gets none', async () => {
    const out = await p.run('build');
    expect(out.code, out.output).toBe(0);
    for (const name of ['people', 't', 'v', 'inc', 'snap']) expect([name, await privileges(name)]).toEqual([name, ['SELECT']]);
    expect(await privileges('plain')).toEqual([]);
  });

  it('a second incremental run and snapshot keep the grants', async () => {
    const out = await p.run('build', { select: ['inc', 'snap'] });
    expect(out.code, out.output).toBe(0);
    expect(await privileges('inc')).toEqual(['SELECT']);
    expect(await privileges('snap')).toEqual(['SELECT']);
  });

  it('a grant the config no longer lists is revoked where it carried over', async () => {
    p.write('models/v.sql', "{{ config(materialized='view', grants={'insert': ['public']}) }}\nselect 1 as id\n");
    const out = await p.run('run', { select: ['v'] });
    expect(out.code, out.output).toBe(0);
    expect(await privileges('v')).toEqual(['INSERT']);
  });
});
