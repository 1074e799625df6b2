// dbt-clickhouse gives every statement a query id (a UUID sent with it as ClickHouse's query_id)
// and returns it in the AdapterResponse: run_results.json's adapter_response has `query_id`
// (its clickhouse/test_adapter_response.py looks it up in system.query_log, which chDB has not),
// for `run` and `show` (dbt's ShowRunner writes the response's dict: `_message`, ...).
// Templates read it as `response.query_id`. On chDB.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { showCommand } from '../../src/app/show-command.js';
import { testInvocation } from '../support/test-invocation.js';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Result {
  unique_id: string;
  adapter_response: Record<string, unknown>;
}

describe("ClickHouse's query_id in adapter_response", () => {
  let p: WarehouseProject;
  let seeded: RunOutcome;
  let ran: RunOutcome;
  const results = (): Result[] => (JSON.parse(readFileSync(join(p.dir, 'target', 'run_results.json'), 'utf8')) as { results: Result[] }).results;
  const byName = (name: string) => results().find((r) => r.unique_id.endsWith(`.${name}`))?.adapter_response;
  let seedResponse: Record<string, unknown> | undefined;
  beforeAll(async () => {
    p = warehouseProject('chdb', {
      'seeds/people.csv': 'id,name\n1,Dade\n2,Kate\n',
      'models/first.sql': "{{ config(materialized='table') }}\nselect id, name from {{ ref('people') }}\n",
      'models/second.sql': "{{ config(materialized='table') }}\nselect count() as n from {{ ref('first') }}\n",
      // The response of a statement, as a template reads it.
      'models/probed.sql': "{% if execute %}{% call statement('probe', fetch_result=True) %}select 1 as one{% endcall %}{% do log('probe query_id=' ~ load_result('probe').response.query_id, info=True) %}{% endif %}select 1 as one\n",
    });
    seeded = await p.run('seed');
    seedResponse = byName('people');
    ran = await p.run('run');
  }, 300_000);
  afterAll(() => p.cleanup());

  it('each model: a query_id, a UUID, one per statement; a seed none (dbt records its noop_statement)', () => {
    expect(seeded.code, seeded.output).toBe(0);
    expect(ran.code, ran.output).toBe(0);
    expect(seedResponse).toEqual({ _message: 'INSERT 2', code: 'INSERT', rows_affected: 2 });
    const ids = [byName('first')?.query_id, byName('second')?.query_id];
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(2);
  });

  it('show: the response as a dict, with its query_id', async () => {
    const { inv, lines } = testInvocation(p.dir, {});
    const code = await showCommand(inv, { inline: "select name from {{ ref('first') }} order by id", limit: 1, output: 'json' });
    expect(code, lines.join('\n')).toBe(0);
    const [response] = results().map((r) => r.adapter_response);
    const { query_id: id, ...rest } = response ?? {};
    expect(rest).toEqual({ _message: 'SELECT 1', code: 'SELECT', rows_affected: 1 });
    expect(id).toMatch(UUID);
  });

  it('a template: load_result(...).response.query_id', () => {
    expect(ran.output).toMatch(/probe query_id=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/);
  });
});
