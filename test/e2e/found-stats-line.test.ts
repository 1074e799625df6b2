// dbt's `Found ...` line (compilation.py print_compile_stats / _generate_stats, dbt-core 1.8+): each
// kind of resource counted, kinds with a count of 0 left out ("do not include resource types that
// are not actually defined in the project"), a count of 1 singular as NodeType's str (`1 test`),
// project hooks counted as `operation`s (dbt's HookParser adds them to manifest.nodes), then
// sources, exposures, metrics, macros, groups, semantic models, saved queries and unit tests.
// Real dbt 1.9 / 1.11 output reads `Found 5 models, 15 data tests, 429 macros` and
// `Found 2 models, 1 seed, 7 data tests, 485 macros, 1 unit test`.
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const PROJECT = "name: walk\nversion: '1.0'\nprofile: walk\n";

describe("dbt's Found line", () => {
  const plain = testdir({
    'dbt_project.yml': PROJECT,
    'models/a.sql': 'select 1 as id',
    'models/b.sql': "select id from {{ ref('a') }}",
  });
  const rich = testdir({
    'dbt_project.yml': `${PROJECT}on-run-start:\n  - "select 1"\non-run-end:\n  - "select 2"\n`,
    'models/a.sql': 'select 1 as id',
    'seeds/s.csv': 'id\n1\n',
    'models/schema.yml': [
      'groups:',
      '  - name: sales',
      '    owner: {email: a@b.c}',
      'models:',
      '  - name: a',
      '    columns:',
      '      - name: id',
      '        data_tests: [not_null]',
      'exposures:',
      '  - name: dash',
      '    type: dashboard',
      '    owner: {email: a@b.c}',
      "    depends_on: [ref('a')]",
      'sources:',
      '  - name: raw',
      '    tables:',
      '      - name: t',
      '',
    ].join('\n'),
  });
  afterAll(() => {
    removeDir(plain);
    removeDir(rich);
  });

  it('leaves out kinds the project does not have', async () => {
    const out = await runTsdbt(['parse', '--project-dir', plain], { env: { HOME: plain } });
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toMatch(/Found 2 models, \d+ macros\n/);
  });

  it('counts hooks, a single test, exposures and groups as dbt does, in its order', async () => {
    const out = await runTsdbt(['ls', '--project-dir', rich], { env: { HOME: rich } });
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout + out.stderr).toMatch(/Found 1 model, 1 seed, 2 operations, 1 test, 1 source, 1 exposure, \d+ macros, 1 group\n/);
  });

  it("is the line `source freshness` prints too (dbt's FreshnessTask compiles the graph)", async () => {
    const out = await runTsdbt(['source', 'freshness', '--project-dir', rich], { env: { HOME: rich } });
    expect(out.stdout + out.stderr).toMatch(/Found 1 model, 1 seed, 2 operations, 1 test, 1 source, 1 exposure, \d+ macros, 1 group\n/);
    expect(out.stdout + out.stderr).not.toContain('with freshness criteria selected');
  });
});
