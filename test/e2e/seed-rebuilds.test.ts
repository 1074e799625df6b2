// Seeds rebuilt under views, as dbt does it and without its locks: a second build truncates and
// refills a seed whose columns are unchanged (the same table, as in dbt), a changed column or
// --full-refresh swaps a new table in and re-creates the views, and six seeds feeding one view
// rebuild in parallel (--threads 4) on the PostgreSQL server without `deadlock detected` or
// `could not open relation with OID` (each swap that re-creates views takes one lock first).
import { afterAll, describe, expect, it } from 'vitest';
import { warehouseProject } from '../support/warehouse-project.js';

const SEEDS = ['a', 'b', 'c', 'd', 'e', 'f'];

function files(): Record<string, string> {
  const out: Record<string, string> = {
    'models/all_seeds.sql': SEEDS.map((s) => `select id, amount from {{ ref('${s}') }}`).join('\nunion all\n'),
    'models/totals.sql': "select count(*) as n, sum(amount) as total from {{ ref('all_seeds') }}",
  };
  SEEDS.forEach((s, i) => (out[`seeds/${s}.csv`] = `id,amount\n${i * 10 + 1},${i + 1}\n${i * 10 + 2},${i + 1}\n`));
  return out;
}

describe('seeds rebuilt under the views built on them (PostgreSQL server, --threads 4)', () => {
  const project = warehouseProject('server', files(), { target: { threads: 4 } });
  afterAll(() => project.cleanup());
  const seedOid = async () => (await project.sql(`select '"${project.schema}".a'::regclass::oid::int as oid`))[0]?.oid;
  const totals = async () => (await project.sql(`select n::int, total::int from "${project.schema}".totals`))[0];

  it('builds, refills in place on the next build, and swaps on --full-refresh, every time without a lock conflict', async () => {
    const first = await project.run('build', { threads: 4 });
    expect(first.code, first.output).toBe(0);
    expect(await totals()).toEqual({ n: 12, total: 42 });
    const oid = await seedOid();

    // Same columns: each seed table is truncated and refilled (the same object, as in dbt).
    project.write('seeds/a.csv', 'id,amount\n1,100\n2,100\n3,100\n');
    for (let i = 0; i < 3; i++) {
      const again = await project.run('build', { threads: 4 });
      expect(again.code, again.output).toBe(0);
      expect(again.output).not.toMatch(/deadlock|could not open relation/);
    }
    expect(await totals()).toEqual({ n: 13, total: 340 });
    expect(await seedOid()).toBe(oid);

    // --full-refresh swaps every seed in (a new table each time), re-creating the views on it.
    for (let i = 0; i < 3; i++) {
      const refresh = await project.run('build', { threads: 4, fullRefresh: true });
      expect(refresh.code, refresh.output).toBe(0);
      expect(refresh.output).not.toMatch(/deadlock|could not open relation/);
    }
    expect(await totals()).toEqual({ n: 13, total: 340 });
    expect(await seedOid()).not.toBe(oid);
  }, 240_000);

  it('swaps a seed whose column type changed, without --full-refresh, and the view follows', async () => {
    project.write('seeds/b.csv', 'id,amount\n11,2.5\n12,2.5\n');
    const changed = await project.run('build', { threads: 4 });
    expect(changed.code, changed.output).toBe(0);
    const type = await project.sql(`select data_type from information_schema.columns where table_schema = '${project.schema}' and table_name = 'b' and column_name = 'amount'`);
    expect(type).toEqual([{ data_type: 'double precision' }]);
    const rows = await project.sql(`select amount::float8 as amount from "${project.schema}".all_seeds where id in (11, 12) order by id`);
    expect(rows).toEqual([{ amount: 2.5 }, { amount: 2.5 }]);
  }, 300_000);
});
