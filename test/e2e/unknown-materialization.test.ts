// A model may name a materialization this warehouse lacks (Snowflake's `dynamic_table` on
// PostgreSQL, a project-wide `+materialized:` typo): dbt parses and compiles such a project, and
// only running that model fails, with dbt's MissingMaterializationError ("No materialization 'x'
// was found for adapter postgres!"), while the rest of the run goes on (its children skip).
// Revealed by datacoves/balboa (`dynamic_table`) and mitodl/ol-data-platform (`materialized_view`
// on Trino), which tsdbt refused at parse.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const projects: WarehouseProject[] = [];
afterAll(async () => {
  for (const p of projects) await p.cleanup();
});

describe('a materialization the warehouse does not have', () => {
  it('parses and compiles; running fails that model alone, at its config line', async () => {
    const p = warehouseProject('pglite', {
      'dbt_project.yml': 'name: demo\nprofile: demo\nmodels:\n  demo:\n    by_project:\n      +materialized: tabel\n',
      'models/dyn.sql': "-- a Snowflake dynamic table\n{{ config(materialized='dynamic_table', target_lag='1 hour', snowflake_warehouse='wh') }}\nselect 1 as id\n",
      'models/child.sql': "select id from {{ ref('dyn') }}\n",
      'models/ok.sql': 'select 2 as id\n',
      'models/by_project/p.sql': 'select 3 as id\n',
    });
    projects.push(p);
    for (const command of ['parse', 'compile']) {
      const out = await runTsdbt([command, '--project-dir', p.dir]);
      expect(out.code, out.stdout + out.stderr).toBe(0);
    }
    const compiled = readFileSync(path.join(p.dir, 'target/compiled/demo/models/dyn.sql'), 'utf8');
    expect(compiled).toContain('select 1 as id');
    const manifest = JSON.parse(readFileSync(path.join(p.dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { config: { materialized: string; target_lag?: string } }> };
    expect(manifest.nodes['model.demo.dyn']?.config).toMatchObject({ materialized: 'dynamic_table', target_lag: '1 hour' });
    expect(manifest.nodes['model.demo.p']?.config.materialized).toBe('tabel');

    const run = await p.run('run');
    expect(run.code).toBe(1);
    const status = Object.fromEntries(run.results.map((r) => [r.unique_id, r.status]));
    expect(status).toEqual({ 'model.demo.dyn': 'error', 'model.demo.child': 'skipped', 'model.demo.ok': 'success', 'model.demo.p': 'error' });
    expect(run.output).toMatch(/models\/dyn\.sql:2: No materialization 'dynamic_table' was found for adapter postgres!/);
    expect(run.output).toMatch(/models\/by_project\/p\.sql: No materialization 'tabel' was found for adapter postgres!/);
    expect(await p.sql(`select id from "${p.schema}".ok`)).toEqual([{ id: 2 }]);
  });
});
