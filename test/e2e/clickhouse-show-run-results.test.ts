// `dbt show` records what it ran in run_results.json, as dbt's ShowTask (a CompileTask) writes it:
// one result per preview, its compiled_code the query ShowRunner ran (get_show_sql's, so
// `limit <n>` is in it when --limit is given), and args with the command's `limit` (dbt-tests-adapter's
// BaseShowLimit, which dbt-clickhouse runs, reads both). On chDB.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';
import { showCommand } from '../../src/app/show-command.js';
import { testInvocation } from '../support/test-invocation.js';

const SEED = 'sample_num\n1\n2\n3\n4\n5\n6\n7\n';
const EPHEMERAL = `{{ config(materialized = 'ephemeral') }}
select sample_num + 10 as col_deci from {{ ref('sample_seed') }}
`;

interface ShowRunResults {
  args: { which: string; limit: number };
  results: { unique_id: string; status: string; compiled_code: string }[];
}

describe('show on ClickHouse: run_results.json as dbt writes it', () => {
  let ch: WarehouseProject;
  beforeAll(async () => {
    ch = warehouseProject('chdb', { 'seeds/sample_seed.csv': SEED, 'models/ephemeral_model.sql': EPHEMERAL });
    expect((await ch.run('seed')).code).toBe(0);
  });
  afterAll(async () => {
    await ch.cleanup();
  });

  async function show(limit: number): Promise<{ rows: unknown[]; runResults: ShowRunResults }> {
    const { inv, lines } = testInvocation(ch.dir, {});
    const inline = "select col_deci + 100 as col_hundo from {{ ref('ephemeral_model') }} order by col_hundo";
    const code = await showCommand(inv, { inline, limit, output: 'json' });
    const output = lines.join('\n');
    expect(code, output).toBe(0);
    const rows = (JSON.parse(output.slice(output.indexOf('{'))) as { show: unknown[] }).show;
    const runResults = JSON.parse(readFileSync(join(ch.dir, 'target', 'run_results.json'), 'utf8')) as ShowRunResults;
    return { rows, runResults };
  }

  it('records --limit 3 in args and the limited query as compiled_code', async () => {
    const { rows, runResults } = await show(3);
    expect(rows).toEqual([{ col_hundo: 111 }, { col_hundo: 112 }, { col_hundo: 113 }]);
    expect(runResults.args.which).toBe('show');
    expect(runResults.args.limit).toBe(3);
    expect(runResults.results).toHaveLength(1);
    const [result] = runResults.results;
    expect(result?.unique_id).toMatch(/^sql_operation\..*\.inline_query$/);
    expect(result?.status).toBe('success');
    expect(result?.compiled_code).toContain('limit 3');
    expect(result?.compiled_code).toContain('__dbt__cte__ephemeral_model');
  });

  it('records --limit -1 (every row) with no limit in the query', async () => {
    const { rows, runResults } = await show(-1);
    expect(rows).toHaveLength(7);
    expect(runResults.args.limit).toBe(-1);
    expect(runResults.results[0]?.compiled_code).not.toMatch(/\blimit\b/i);
  });
});
