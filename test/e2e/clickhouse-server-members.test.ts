// dbt-clickhouse's `adapter.*` methods that ask the server, as older copies of its materializations
// call them (impl.py: `is_before_version(version)` compares the server's version part by part,
// `is_at_or_after_version`, `supports_atomic_exchange()`, `can_exchange(schema, rel_type)`: a
// table in an Atomic/Replicated/Shared database), and its `exchange_tables_atomic` macro. On chDB;
// while parsing they answer as with no connection (False / None).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const SERVER_MODEL = `select
  '{{ adapter.is_before_version('1.1') }}' as before_old,
  '{{ adapter.is_before_version('999.1') }}' as before_future,
  '{{ adapter.is_at_or_after_version('20.3') }}' as at_or_after_old,
  '{{ adapter.is_at_or_after_version('999') }}' as at_or_after_future,
  '{{ adapter.supports_atomic_exchange() }}' as atomic,
  '{{ adapter.can_exchange(this.schema, 'table') }}' as table_exchange,
  '{{ adapter.can_exchange(this.schema, 'view') }}' as view_exchange,
  '{{ adapter.can_exchange('no_such_database_x', 'table') }}' as missing_exchange
`;

// A post-hook swaps the model's table with another through dbt-clickhouse's exchange_tables_atomic.
const SWAP_HOOK =
  "{% set other = this.incorporate(path={'identifier': 'swapped_other'}) %}" +
  "{% do run_query('create table ' ~ other ~ ' engine = MergeTree order by v as select 2 as v') %}" +
  '{% do exchange_tables_atomic(other, this) %}';

describe('dbt-clickhouse server-version adapter methods', () => {
  let p: WarehouseProject;
  let built: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('chdb', {
      'dbt_project.yml': 'name: demo\nprofile: demo\nmodels:\n  demo:\n    +materialized: table\n',
      'models/server.sql': SERVER_MODEL,
      'models/swapped.sql': `{{ config(order_by='v', post_hook=${JSON.stringify(SWAP_HOOK)}) }}\nselect 1 as v\n`,
    });
    built = await p.run('run');
  }, 300_000);
  afterAll(() => p.cleanup());

  it("compares the server's version and reads its databases' engines", async () => {
    expect(built.code, built.output).toBe(0);
    const rows = await p.sql(`select * from \`${p.schema}\`.server`);
    expect(rows).toEqual([
      {
        before_old: 'False',
        before_future: 'True',
        at_or_after_old: 'True',
        at_or_after_future: 'False',
        atomic: 'True',
        table_exchange: 'True',
        view_exchange: 'False',
        missing_exchange: 'False',
      },
    ]);
  });

  it('exchanges two tables with exchange_tables_atomic', async () => {
    expect(await p.sql(`select v from \`${p.schema}\`.swapped`)).toEqual([{ v: 2 }]);
    expect(await p.sql(`select v from \`${p.schema}\`.swapped_other`)).toEqual([{ v: 1 }]);
  });

  it('refuses a version that is not numbers separated by dots', async () => {
    p.write('models/bad_version.sql', "select '{{ adapter.is_before_version('v22.1') }}' as v\n");
    const out = await p.run('run', { select: ['bad_version'] });
    expect(out.code).toBe(1);
    expect(out.results.map((r) => [r.unique_id, r.status])).toEqual([['model.demo.bad_version', 'error']]);
    expect(out.results[0]?.message).toContain("Version must consist of only numbers separated by '.'");
  });
});
