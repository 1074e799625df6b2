// `compile` takes seeds as dbt's does (its executable node types include seeds): each selected seed
// is a successful result in run_results.json, in DAG order before the models that read it, with no
// compiled code and no file under target/compiled.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { offlineProject } from '../support/offline-project.js';

describe('compile and seeds', () => {
  it('records each seed as compiled, before its children, writing no file for it', async () => {
    const p = await offlineProject({
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'seeds/raw.csv': 'id\n1\n',
      'models/stg.sql': "select * from {{ ref('raw') }}\n",
    });
    const runResults = JSON.parse(readFileSync(path.join(p.dir, 'target', 'run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; compiled_code?: string | null }[] };
    expect(runResults.results.map((r) => [r.unique_id, r.status])).toEqual([
      ['seed.demo.raw', 'success'],
      ['model.demo.stg', 'success'],
    ]);
    expect(runResults.results[0]?.compiled_code ?? null).toBeNull();
    expect(existsSync(path.join(p.dir, 'target', 'compiled', 'demo', 'seeds'))).toBe(false);
    expect(p.compiled('stg')).toMatch(/from "[^"]+"\."main"\."raw"/);
  });
});
