// An on-run-end hook that fails, as dbt records it: the nodes' results are still written to
// run_results.json, the hook's failure is the last result (operation.<project>.<project>-on-run-end-0,
// status error, with its message), the summary names it, and the run exits 1 (a failed run, not a
// project error).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { warehouseProject } from '../support/warehouse-project.js';

describe('a failing on-run-end hook', () => {
  const project = warehouseProject('pglite', {
    'dbt_project.yml': 'name: demo\nprofile: demo\non-run-end:\n  - "select * from no_such_table_for_the_hook"\n',
    'models/built.sql': 'select 1 as id',
  });
  afterAll(() => project.cleanup());

  it('keeps the run results, adds the hook as an error, and exits 1', async () => {
    const run = await project.run('run');
    expect(run.code, run.output).toBe(1);
    expect(run.output).toContain('Failure in operation.demo.demo-on-run-end-0');
    expect(run.output).toMatch(/Done\. PASS=1 WARN=0 ERROR=1/);
    const results = JSON.parse(readFileSync(path.join(project.dir, 'target', 'run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; message: string | null }[] };
    expect(results.results.map((r) => [r.unique_id, r.status])).toEqual([
      ['model.demo.built', 'success'],
      ['operation.demo.demo-on-run-end-0', 'error'],
    ]);
    expect(results.results[1]?.message).toMatch(/on-run-end failed: .*no_such_table_for_the_hook/);
    // The model was built before the hook failed.
    expect(await project.sql(`select id from "${project.schema}".built`)).toEqual([{ id: 1 }]);
  });
});
