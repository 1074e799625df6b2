// `tsdbt clone` as dbt's CloneTask, on ClickHouse (chDB), where dbt-tests-adapter's dbt_clone
// classes (which dbt-clickhouse runs) look:
//   - an ephemeral model has no relation: dbt's task records no result for it (runnable.py's
//     _handle_result keeps none for an ephemeral node), so the results are the relations only;
//   - without --state, dbt's error: "--state or --defer-state are required for deferral, but neither
//     was provided";
//   - --state naming the target folder: dbt's WarnStateTargetEqual names the folder as given
//     ('target'); a snapshot the state run did not build has itself as its state relation and is
//     not there: clone's view of it fails, as dbt's does (exit 1).
import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneCommand } from '../../src/app/clone-command.js';
import { testInvocation } from '../support/test-invocation.js';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const SNAPSHOT = `{% snapshot my_snapshot %}
{{ config(target_schema=schema, unique_key='id', strategy='check', check_cols=['id']) }}
select * from {{ ref('view_model') }}
{% endsnapshot %}
`;

describe('clone on ClickHouse: results and errors as dbt reports them', () => {
  let p: WarehouseProject;
  beforeAll(async () => {
    p = warehouseProject('chdb', {
      'seeds/seed.csv': 'id,name\n1,Alice\n2,Bob\n',
      'models/view_model.sql': "select * from {{ ref('seed') }}\n",
      'models/ephemeral_model.sql': "{{ config(materialized='ephemeral') }}\nselect * from {{ ref('view_model') }}\n",
      'models/table_model.sql': "{{ config(materialized='table', order_by='id') }}\nselect * from {{ ref('ephemeral_model') }}\n",
      'snapshots/my_snapshot.sql': SNAPSHOT,
    });
    const built = await p.run('build', { exclude: ['my_snapshot'] });
    expect(built.code, built.output).toBe(0);
    cpSync(path.join(p.dir, 'target'), path.join(p.dir, 'state'), { recursive: true });
  }, 300_000);
  afterAll(async () => {
    await p.cleanup();
  });

  async function clone(state: string | undefined, exclude?: string[]): Promise<{ code: number; output: string }> {
    const { inv, lines } = testInvocation(p.dir, { ...(state === undefined ? {} : { state }), ...(exclude ? { exclude } : {}) });
    const code = await cloneCommand(inv);
    return { code, output: lines.join('\n') };
  }
  const runResults = () => (JSON.parse(readFileSync(path.join(p.dir, 'target', 'run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; message: string | null }[] }).results;

  it('records no result for an ephemeral model', async () => {
    const out = await clone('state', ['my_snapshot']);
    expect(out.code, out.output).toBe(0);
    const results = runResults();
    expect(results.map((r) => r.unique_id).sort()).toEqual(['model.demo.table_model', 'model.demo.view_model', 'seed.demo.seed']);
    expect(results.every((r) => r.message === 'No-op')).toBe(true);
    expect(out.output).toContain('Done. PASS=3 '); // dbt's clone prints no line per node
    expect(out.output).not.toContain('ephemeral_model');
  });

  it("fails without --state with dbt's message", async () => {
    await expect(clone(undefined)).rejects.toThrow('--state or --defer-state are required for deferral, but neither was provided');
  });

  it('--state target: warns naming the folder as given, and fails the unbuilt snapshot as dbt does', async () => {
    const out = await clone('target');
    expect(out.output).toContain("Warning: The state and target directories are the same: 'target'.");
    expect(out.code, out.output).toBe(1);
    const results = runResults();
    const statuses = Object.fromEntries(results.map((r) => [r.unique_id, r.status]));
    expect(statuses).toEqual({ 'model.demo.table_model': 'success', 'model.demo.view_model': 'success', 'seed.demo.seed': 'success', 'snapshot.demo.my_snapshot': 'error' });
    expect(await p.sql(`select name from system.tables where database = '${p.schema}' and name like 'my_snapshot%'`)).toEqual([]);
  });
});
