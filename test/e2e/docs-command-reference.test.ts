// Examples of dbt's command reference, unit tests and seeds pages, run as the pages write them:
// what each prints or records is what the page (or dbt-core's code, where the page is vague) says.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsdbt, type CliResult } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const PROJECT = 'name: demo\nprofile: demo\n';
const untimed = (stdout: string) => stdout.split('\n').map((l) => l.replace(/^\d\d:\d\d:\d\d {2}/, ''));

// `dbt seed --show` (dbt's SeedTask.show_tables): after "Finished running", each seed's rows in a
// random order under "Random sample of table: schema.alias", as agate's print_table draws them
// (booleans as Python's True / False: dbt's type tester casts "true" and "false").
describe('seed --show', () => {
  let dir: string;
  let result: CliResult;
  beforeAll(async () => {
    dir = testdir({ 'dbt_project.yml': PROJECT, 'seeds/country_codes.csv': 'code,name,active\nBE,Belgium,true\nFR,France,false\n' });
    result = await runTsdbt(['seed', '--show', '--project-dir', dir]);
  });
  afterAll(() => removeDir(dir));

  it('prints a sample of each seed loaded, between the run line and the summary', () => {
    expect(result.code, result.stderr + result.stdout).toBe(0);
    const lines = untimed(result.stdout);
    const header = lines.indexOf('Random sample of table: analytics.country_codes');
    expect(header).toBeGreaterThan(lines.findIndex((l) => l.startsWith('Finished running 1 seed')));
    expect(header).toBeLessThan(lines.indexOf('Completed successfully'));
    expect(lines[header + 1]).toBe('-'.repeat('Random sample of table: analytics.country_codes'.length));
    expect(lines.slice(header + 2, header + 4)).toEqual(['| code | name    | active |', '| ---- | ------- | ------ |']);
    expect(lines.slice(header + 4, header + 6).sort()).toEqual(['| BE   | Belgium |   True |', '| FR   | France  |  False |']);
  });
});

// The unit tests page: a unit test whose output differs fails, and dbt's TestTask counts it as one
// failure (build_unit_test_run_result: failures = 1), however many rows differ.
describe('a failing unit test', () => {
  let dir: string;
  let result: CliResult;
  beforeAll(async () => {
    dir = testdir({
      'dbt_project.yml': PROJECT,
      'models/doubled.sql': "select id * 2 as id from {{ ref('src') }}",
      'models/src.sql': 'select 1 as id',
      'models/unit.yml': [
        'unit_tests:',
        '  - name: doubles',
        '    model: doubled',
        '    given:',
        "      - input: ref('src')",
        '        rows: [{id: 1}, {id: 2}, {id: 3}]',
        '    expect:',
        '      rows: [{id: 1}, {id: 2}, {id: 3}]',
        '',
      ].join('\n'),
    });
    result = await runTsdbt(['build', '--project-dir', dir]);
  });
  afterAll(() => removeDir(dir));

  it('is one failure in the progress line and run_results.json, though rows 2, 4 and 6 differ', () => {
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/2 of 3 FAIL 1 doubled::doubles \.+ \[FAIL 1 in/);
    const runResults = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; failures: number | null }[] };
    expect(runResults.results.map((r) => [r.unique_id, r.status, r.failures])).toEqual([
      ['model.demo.src', 'success', null],
      ['unit_test.demo.doubled.doubles', 'fail', 1],
      ['model.demo.doubled', 'skipped', null],
    ]);
  });
});

// The unit tests page ("Unit test configs"): dbt_project.yml's `unit_tests:` block configures unit
// tests by fqn (package, property file folders, model, name) as `models:` does models (dbt's
// _build_unit_test_config): tags append, meta merges, and `+enabled: false` disables.
describe("dbt_project.yml's unit_tests block", () => {
  const files = (projectBlock: string) => ({
    'dbt_project.yml': `${PROJECT}unit_tests:\n  demo:\n${projectBlock}`,
    'models/staging/stg.sql': 'select 1 as id',
    'models/staging/unit.yml': 'unit_tests:\n  - name: ut1\n    model: stg\n    config:\n      tags: [own]\n    given: []\n    expect:\n      rows: [{id: 1}]\n',
  });

  it('gives its tags and meta to the unit tests of the project', async () => {
    const dir = testdir(files('    staging:\n      +tags: [ut]\n      +meta: {owner: data}\n'));
    try {
      const ls = await runTsdbt(['ls', '--select', 'tag:ut,config.meta.owner:data', '--project-dir', dir, '-q']);
      expect(ls.stdout.trim().split('\n')).toEqual(['unit_test:demo.ut1']);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { unit_tests: Record<string, { config: Record<string, unknown> }> };
      expect(manifest.unit_tests['unit_test.demo.stg.ut1']?.config).toMatchObject({ tags: ['ut', 'own'], meta: { owner: 'data' }, enabled: true });
    } finally {
      removeDir(dir);
    }
  });

  it('disables them with +enabled: false', async () => {
    const dir = testdir(files('    +enabled: false\n'));
    try {
      const ls = await runTsdbt(['ls', '--resource-type', 'unit_test', '--project-dir', dir, '-q']);
      expect(ls.code, ls.stderr + ls.stdout).toBe(0);
      expect(ls.stdout.trim()).toBe('');
    } finally {
      removeDir(dir);
    }
  });
});

// The clone command page: `dbt clone --state` makes each selected node's relation in the target
// from the state's. dbt's CloneRunner prints no line per node (its after_execute passes): only what
// the clone materialization logs, then the end-of-run summary.
describe('clone', () => {
  let dir: string;
  let clone: CliResult;
  let rows: CliResult;
  beforeAll(async () => {
    dir = testdir({
      'dbt_project.yml': `${PROJECT}models:\n  +schema: "{{ var('env') }}"\n`,
      'profiles.yml': "demo:\n  target: dev\n  outputs:\n    dev: {type: pglite, path: 'warehouse', schema: main, threads: 1}\n",
      'models/orders.sql': 'select 7 as id',
    });
    const prod = await runTsdbt(['run', '--vars', '{env: prod}', '--target-path', 'prod', '--project-dir', dir, '--profiles-dir', dir]);
    expect(prod.code, prod.stderr + prod.stdout).toBe(0);
    clone = await runTsdbt(['clone', '--state', 'prod', '--vars', '{env: ci}', '--project-dir', dir, '--profiles-dir', dir]);
    rows = await runTsdbt(['show', '--inline', 'select id from main_ci.orders', '--vars', '{env: ci}', '--output', 'json', '--project-dir', dir, '--profiles-dir', dir, '-q']);
  });
  afterAll(() => removeDir(dir));

  it("clones the state's relation, printing no progress line of its own", () => {
    expect(clone.code, clone.stderr + clone.stdout).toBe(0);
    expect(JSON.parse(rows.stdout)).toEqual({ show: [{ id: 7 }] });
    const lines = untimed(clone.stdout);
    expect(lines.filter((l) => /\bclone\b|of 1/.test(l))).toEqual([]);
    expect(lines.filter((l) => l.startsWith('Finished running '))).toEqual([expect.stringMatching(/^Finished running 1 view model in 0 hours 0 minutes and /)]);
    expect(lines).toContain('Done. PASS=1 WARN=0 ERROR=0 SKIP=0 NO-OP=0 TOTAL=1');
  });
});
