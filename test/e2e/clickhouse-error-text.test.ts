// A statement ClickHouse refuses fails its node with the server's own text, as dbt-clickhouse shows
// it (its message is clickhouse_connect's, which carries the server's `Code: <n>. DB::Exception:
// <message> (<TYPE>)`): dbt-clickhouse's grants/test_invalid_grants looks for the code `511` of a
// grant to a role that does not exist. On chDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

describe("ClickHouse's error text", () => {
  let p: WarehouseProject;
  let outcome: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('chdb', {
      'models/granted.sql': "{{ config(materialized='table', grants={'select': ['invalid_user']}) }}\nselect 1 as fun\n",
      'models/missing.sql': 'select * from no_such_table_anywhere\n',
    });
    outcome = await p.run('run');
  }, 300_000);
  afterAll(() => p.cleanup());

  const message = (name: string) => outcome.results.find((r) => r.unique_id.endsWith(`.${name}`))?.message;

  it('a grant to an unknown role: code 511 and UNKNOWN_ROLE, in run_results.json and the output', () => {
    expect(outcome.code).toBe(1);
    // The grant runs in a macro: the message names the macro's line before the server's text.
    expect(message('granted')).toMatch(/^Database Error in model granted \(models\/granted\.sql\)\n.*: Code: 511\. DB::Exception: There is no role `invalid_user` in `user directories`\. \(UNKNOWN_ROLE\)\n/);
    expect(outcome.output).toContain('Code: 511. DB::Exception: There is no role `invalid_user`');
  });

  it('an unknown table: code 60 and UNKNOWN_TABLE', () => {
    expect(message('missing')).toMatch(/^Database Error in model missing \(models\/missing\.sql\)\n {2}Code: 60\. DB::Exception: Unknown table expression identifier '\w+\.no_such_table_anywhere' .* \(UNKNOWN_TABLE\)$/s);
  });
});
