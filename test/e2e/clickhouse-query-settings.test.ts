// dbt-clickhouse's `query_settings` model config: the settings the model's SELECT runs with, as a
// SETTINGS clause after it (its create_table_or_empty / insert_into; string values quoted, a value
// already quoted kept). From dbt-clickhouse's tests/integration/adapter/query_settings: with
// `join_use_nulls: 0` a left join's missing side is the type's default, not NULL (tsdbt's sessions
// set join_use_nulls = 1 otherwise), for a table and for an incremental run's new rows. Built on chDB.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const JOIN = `select t2.id as test_id, t1.id as n
from (select 1 as id) t1
left join (select 2 as id) t2 on t1.id = t2.id`;

describe("dbt-clickhouse's query_settings (chDB)", () => {
  let p: WarehouseProject;
  const outs: RunOutcome[] = [];
  beforeAll(async () => {
    p = warehouseProject('chdb', {
      'models/not_nullable.sql': `{{ config(materialized='table', query_settings={'join_use_nulls': 0}) }}\n${JOIN}`,
      'models/nullable.sql': `{{ config(materialized='table', query_settings={'join_use_nulls': 1}) }}\n${JOIN}`,
      'models/incr.sql': `{{ config(materialized='incremental', unique_key='n', query_settings={'join_use_nulls': 0, 'join_algorithm': 'full_sorting_merge'}) }}\n${JOIN}\n{% if is_incremental() %} where 1 = 1 {% endif %}`,
    });
    outs.push(await p.run('run'), await p.run('run'));
  }, 300_000);
  afterAll(() => p.cleanup());

  it('runs a table model with its settings', async () => {
    for (const out of outs) expect(out.code, out.output).toBe(0);
    const read = async (t: string) => (await p.sql(`select isNullable(test_id) as nullable, test_id from \`${p.schema}\`.${t}`))[0];
    expect(await read('not_nullable')).toEqual({ nullable: 0, test_id: 0 });
    expect(await read('nullable')).toEqual({ nullable: 1, test_id: null });
  });

  it("runs an incremental run's new rows with them, string values quoted", async () => {
    expect(await p.sql(`select isNullable(test_id) as nullable, test_id, n from \`${p.schema}\`.incr`)).toEqual([{ nullable: 0, test_id: 0, n: 1 }]);
    // The new rows' temporary table, as the second run sent it (logs/dbt.log: target/run/ holds
    // only the main statement, dbt's delete+insert, as dbt's does).
    const log = readFileSync(path.join(p.dir, 'logs', 'dbt.log'), 'utf8');
    expect(log.slice(log.lastIndexOf('\n=============================='))).toContain("SETTINGS join_use_nulls=0, join_algorithm='full_sorting_merge'");
  });
});
