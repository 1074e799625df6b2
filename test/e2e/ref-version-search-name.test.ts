// `ref('<model>.v<version>')`, without `version=`: dbt's RefableLookup stores each version of a
// versioned model under its `search_name`, `<name>.v<version>` (dbt-core contracts/graph/
// manifest.py, add_node), so that name resolves to that version, in a model's SQL and in a unit
// test's `given: input:` alike (ahmadMuhammadGd/northwind-dbt's unit tests use it). Built on PGlite.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const FILES: Record<string, string> = {
  'models/dim_v1.sql': "select 1 as id, 'old' as label\n",
  'models/dim_v2.sql': "select 2 as id, 'new' as label\n",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: dim\n    latest_version: 2\n    config: {materialized: table}\n    versions:\n      - v: 1\n      - v: 2\n',
  'models/old_reader.sql': "{{ config(materialized='table') }}\nselect id, label from {{ ref('dim.v1') }}\n",
  'models/latest_reader.sql': "{{ config(materialized='table') }}\nselect id, label from {{ ref('dim') }}\n",
  'models/unit.yml': `unit_tests:
  - name: reads_v1
    model: old_reader
    given:
      - input: ref('dim.v1')
        rows: [{id: 7, label: fixture}]
    expect:
      rows: [{id: 7, label: fixture}]
`,
};

describe("ref('<model>.v<version>')", () => {
  let p: WarehouseProject;
  let out: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('pglite', FILES);
    out = await p.run('build');
  }, 120_000);
  afterAll(() => p.cleanup());

  it('reads that version, in SQL and as a unit test input', async () => {
    expect(out.code, out.output).toBe(0);
    expect(await p.sql(`select id, label from "${p.schema}".old_reader`)).toEqual([{ id: 1, label: 'old' }]);
    expect(await p.sql(`select id, label from "${p.schema}".latest_reader`)).toEqual([{ id: 2, label: 'new' }]);
    expect(out.results.find((r) => r.unique_id === 'unit_test.demo.old_reader.reads_v1')?.status).toBe('pass');
    const manifest = JSON.parse(readFileSync(path.join(p.dir, 'target/manifest.json'), 'utf8')) as { parent_map: Record<string, string[]> };
    expect(manifest.parent_map['model.demo.old_reader']).toEqual(['model.demo.dim.v1']);
  });

  it('is not a name with a version of its own: ref(dim.v1, v=2) is not found', async () => {
    p.write('models/old_reader.sql', "select id from {{ ref('dim.v1', v=2) }}\n");
    const failed = await runTsdbt(['parse', '--project-dir', p.dir, '--profiles-dir', p.dir, '--no-partial-parse']);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain("depends on a node named 'dim.v1' which was not found");
  });
});
