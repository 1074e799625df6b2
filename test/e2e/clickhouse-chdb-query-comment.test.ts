// A multi-line `query-comment` on chDB (dbt-tests-adapter's BaseQueryComments, run by
// dbt-clickhouse's tests/integration/adapter/query_comment: `query-comment: "dbt\nrules!\n"`).
// chDB sends the session's settings as `SET ...;` statements ahead of each query and then misread
// a statement opening with a block comment over several lines: every statement failed with a
// syntax error at the comment's end. The comment is logged as dbt writes it and sent on one line.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

describe('a multi-line query-comment on chDB', () => {
  let p: WarehouseProject;
  let out: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('chdb', {
      'dbt_project.yml': 'name: demo\nprofile: demo\nquery-comment: "dbt\\nrules!\\n"\n',
      'models/x.sql': "{{ config(materialized='table') }}\nselect 1 as id",
    });
    out = await p.run('run');
  }, 300_000);
  afterAll(() => p.cleanup());

  it('builds the model, the comment logged as dbt writes it', async () => {
    expect(out.code, out.output).toBe(0);
    // dbt.log heads each line of a statement with its time and level.
    expect(readFileSync(path.join(p.dir, 'logs', 'dbt.log'), 'utf8')).toMatch(/\/\* dbt\n[^\n]*: rules! \*\/\n/);
    expect(await p.sql(`select id from \`${p.schema}\`.x`)).toEqual([{ id: 1 }]);
  });
});
