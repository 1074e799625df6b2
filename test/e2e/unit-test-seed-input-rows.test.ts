// A unit test input that names a seed and gives no `rows` (nor a fixture) reads the seed's CSV file
// for its rows, as dbt's docs say ("if you don't supply an input for a seed, we will use the seed as
// the input"); an input without rows that is not a seed is refused at parse.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { warehouseProject } from '../support/warehouse-project.js';

const SEED = 'threshold,label\n0,low\n10,mid\n100,high\n';

describe('unit test inputs that leave out rows', () => {
  const project = warehouseProject('pglite', {
    'seeds/thresholds.csv': SEED,
    'models/bins.sql': "select label, threshold * 2 as doubled from {{ ref('thresholds') }}",
    'models/schema.yml': [
      'unit_tests:',
      '  - name: bins_from_seed_file',
      '    model: bins',
      '    given:',
      "      - input: ref('thresholds')",
      '    expect:',
      '      rows:',
      '        - {label: low, doubled: 0}',
      '        - {label: mid, doubled: 20}',
      '        - {label: high, doubled: 200}',
      '',
    ].join('\n'),
  });
  afterAll(() => project.cleanup());

  it("gives the seed file's rows to the test, which passes on them", async () => {
    const run = await project.run('build');
    expect(run.code, run.output).toBe(0);
    const status = Object.fromEntries(run.results.map((r) => [r.unique_id, r.status]));
    expect(status['unit_test.demo.bins.bins_from_seed_file']).toBe('pass');
    const manifest = JSON.parse(readFileSync(path.join(project.dir, 'target/manifest.json'), 'utf8')) as { unit_tests: Record<string, { given: { rows: unknown }[] }> };
    expect(manifest.unit_tests['unit_test.demo.bins.bins_from_seed_file']?.given[0]?.rows).toEqual([
      { threshold: '0', label: 'low' },
      { threshold: '10', label: 'mid' },
      { threshold: '100', label: 'high' },
    ]);
  });
});

describe('a unit test input without rows that is not a seed', () => {
  const project = warehouseProject('pglite', {
    'models/src.sql': 'select 1 as id',
    'models/doubled.sql': "select id * 2 as id from {{ ref('src') }}",
    'models/schema.yml': ['unit_tests:', '  - name: no_rows', '    model: doubled', '    given:', "      - input: ref('src')", '    expect:', '      rows: []', ''].join('\n'),
  });
  afterAll(() => project.cleanup());

  it("is refused at parse with dbt's message, naming the seed it looked for", async () => {
    await expect(project.run('compile')).rejects.toThrow("Unable to find seed 'demo.src' for unit tests in directories: ['seeds']");
  });
});
