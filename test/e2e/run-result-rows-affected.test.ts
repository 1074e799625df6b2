// dbt-postgres' adapter_response (connections.py get_response) is psycopg2's: `code` the command
// tag's words, `rows_affected` cursor.rowcount, which is -1 for a command with no count. A view's
// CREATE VIEW gives -1 (tsdbt reported none), a table's CREATE TABLE AS `SELECT n` its rows, a
// seed dbt's `INSERT n`, and a test its summary query's `SELECT 1`, 1 row (tsdbt reported the
// failures). On-run-end hooks read the same dict. Those three keys are all it holds (dbt's
// AdapterResponse.to_dict(omit_none=True); tsdbt's run_results.json had a `message` copy too).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { warehouseProject } from '../support/warehouse-project.js';

describe('adapter_response as dbt-postgres reports it', () => {
  const hook = '{% for r in results %}{{ log("seen " ~ r.node.name ~ " " ~ r.adapter_response.rows_affected, info=true) }}{% endfor %}';
  const project = warehouseProject('pglite', {
    'dbt_project.yml': `name: demo\nprofile: demo\non-run-end:\n  - ${JSON.stringify(hook)}\n`,
    'models/v.sql': "{{ config(materialized='view') }} select 1 as id",
    'models/t.sql': "{{ config(materialized='table') }} select 1 as id union all select 2",
    'models/schema.yml': 'version: 2\nmodels:\n  - name: t\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
    'seeds/s.csv': 'id\n1\n2\n3\n',
  });
  afterAll(() => project.cleanup());

  it('gives -1 for DDL, the row count otherwise', async () => {
    const run = await project.run('build');
    expect(run.code, run.output).toBe(0);
    const json = JSON.parse(readFileSync(path.join(project.dir, 'target', 'run_results.json'), 'utf8')) as { results: { unique_id: string; adapter_response: Record<string, unknown> }[] };
    const response = (id: string) => json.results.find((r) => r.unique_id.startsWith(id))?.adapter_response;
    expect(response('model.demo.v')).toEqual({ _message: 'CREATE VIEW', code: 'CREATE VIEW', rows_affected: -1 });
    expect(response('model.demo.t')).toEqual({ _message: 'SELECT 2', code: 'SELECT', rows_affected: 2 });
    expect(response('seed.demo.s')).toEqual({ _message: 'INSERT 3', code: 'INSERT', rows_affected: 3 });
    expect(response('test.demo.not_null_t_id')).toEqual({ _message: 'SELECT 1', code: 'SELECT', rows_affected: 1 });
    expect(run.output).toContain('seen v -1');
    expect(run.output).toMatch(/OK created sql table model .*\bt \.+ \[SELECT 2 in /);
    expect(run.output).toContain('seen not_null_t_id 1');
  });
});
