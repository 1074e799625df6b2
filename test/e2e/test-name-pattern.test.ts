// dbt reads a generic test's name with TEST_NAME_PATTERN matched at its start (Python's
// re.match): `[namespace.]name`, the rest ignored. Artemis writes
// `- 'dbt_expectations.expect_table_row_count_to_be_between:':` (a colon inside the quotes), which
// dbt runs as expect_table_row_count_to_be_between; tsdbt looked for a macro named with the colon.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsdbt, type CliResult } from '../support/run-cli.js';

const FILES: Record<string, string> = {
  'dbt_project.yml': 'name: demo\nprofile: demo\n',
  'profiles.yml': 'demo:\n  target: dev\n  outputs:\n    dev:\n      type: pglite\n      path: target/tsdbt.pglite\n      schema: main\n',
  'dbt_packages/checks/dbt_project.yml': 'name: checks\n',
  'dbt_packages/checks/macros/row_count.sql': '{% test row_count_between(model, min_value) %}select count(*) as n from {{ model }} having count(*) < {{ min_value }}{% endtest %}\n',
  'models/orders.sql': 'select 1 as id\n',
  'models/_models.yml': [
    'version: 2',
    'models:',
    '  - name: orders',
    '    data_tests:',
    "      - 'checks.row_count_between:':",
    '          min_value: 1',
    '    columns:',
    '      - name: id',
    "        data_tests: ['not_null  ', 'unique!']",
    '',
  ].join('\n'),
};

interface Manifest {
  nodes: Record<string, { resource_type: string; name: string; test_metadata?: { name: string; namespace: string | null } }>;
}

describe("generic test names read as dbt's TEST_NAME_PATTERN reads them", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-test-names-'));
  let compile: CliResult;
  beforeAll(async () => {
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    compile = await runTsdbt(['compile', '--project-dir', dir, '--profiles-dir', dir]);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ignores what follows [namespace.]name, in the name, the metadata and the compiled test', () => {
    expect(compile.code, compile.stdout + compile.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8')) as Manifest;
    const tests = Object.values(manifest.nodes).filter((n) => n.resource_type === 'test').map((n) => [n.name, n.test_metadata?.namespace ?? null, n.test_metadata?.name]);
    expect(tests.sort()).toEqual([
      ['checks_row_count_between_orders_1', 'checks', 'row_count_between'],
      ['not_null_orders_id', null, 'not_null'],
      ['unique_orders_id', null, 'unique'],
    ]);
    const sql = readFileSync(path.join(dir, 'target', 'compiled', 'demo', 'models', '_models.yml', 'checks_row_count_between_orders_1.sql'), 'utf8');
    expect(sql).toContain('having count(*) < 1');
  });
});
