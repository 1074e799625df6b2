// dbt's --warn-error / --warn-error-options (docs: reference/global-configs/warnings): warnings
// become errors (all, or by event name), stay warnings (`warn`), or are not printed (`silence`);
// accepted before the subcommand, after it, and as DBT_WARN_ERROR(_OPTIONS).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const FILES: Record<string, string> = {
  'dbt_project.yml': MINIMAL_PROJECT_YML,
  'models/plain.sql': 'select 1 as id\n',
  // exceptions.warn (JinjaLogWarning) while the model runs (guarded by `execute`: unguarded, dbt's
  // parse render fires it too, see the last case).
  'models/odd.sql': "{% if execute %}{% do exceptions.warn('odd looks odd') %}{% endif %}\nselect 2 as id\n",
  // A severity-warn test that finds one row (LogTestResult).
  'tests/one_row.sql': "{{ config(severity='warn') }}\nselect * from {{ ref('plain') }}\n",
  // A model described in YAML that does not exist (NoNodeForYamlKey, at parse time).
  'models/schema.yml': 'version: 2\nmodels:\n  - name: ghost\n    description: not here\n',
  'macros/careful.sql': "{% macro careful() %}{% do exceptions.warn('careful now') %}{% endmacro %}\n",
};

interface Result {
  unique_id: string;
  status: string;
  message: string | null;
}

function runResults(dir: string): Record<string, Result> {
  const parsed = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as { results: Result[] };
  return Object.fromEntries(parsed.results.map((r) => [r.unique_id, r]));
}

describe('--warn-error and --warn-error-options', () => {
  const dir = testdir(FILES);
  afterAll(() => removeDir(dir));
  const build = (args: string[], env: NodeJS.ProcessEnv = {}) => runTsdbt([...args, '--project-dir', dir, '--no-partial-parse'], { env });

  it('without them, every warning is printed and the build passes', async () => {
    const result = await build(['build']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("models/schema.yml:3: Did not find matching node for patch with name 'ghost' in the 'models' section of file 'models/schema.yml'");
    expect(result.stdout).toContain('odd looks odd');
    expect(runResults(dir)['test.demo.one_row']).toMatchObject({ status: 'warn', message: 'Got 1 result, configured to warn if != 0' });
  });

  it('--warn-error before the subcommand makes a parse-time warning an error: exit 2, nothing runs', async () => {
    const result = await build(['--warn-error', 'build']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("models/schema.yml:3: Did not find matching node for patch with name 'ghost' in the 'models' section of file 'models/schema.yml'");
    expect(result.stderr).toContain('this warning (NoNodeForYamlKey) is an error because of --warn-error');
    expect(result.stdout).not.toContain('START');
  });

  it('error "all" with exceptions in warn: the warning model errors, the warn test fails, the run exits 1', async () => {
    const result = await build(['build', '--warn-error-options', '{"error": "all", "warn": ["NoNodeForYamlKey"]}']);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toContain("Did not find matching node for patch with name 'ghost' in the 'models' section of file 'models/schema.yml'");
    const results = runResults(dir);
    expect(results['model.demo.odd']).toMatchObject({ status: 'error' });
    expect(results['model.demo.odd']?.message).toContain('models/odd.sql:1: odd looks odd');
    expect(results['model.demo.plain']).toMatchObject({ status: 'success' });
    expect(results['test.demo.one_row']).toMatchObject({ status: 'fail', message: 'Got 1 result, configured to fail if != 0' });
  });

  it('dbt 1.x spelling include / exclude, as DBT_WARN_ERROR_OPTIONS: only the listed event is an error', async () => {
    const result = await build(['build'], { DBT_WARN_ERROR_OPTIONS: '{include: [LogTestResult], exclude: []}' });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const results = runResults(dir);
    expect(results['model.demo.odd']).toMatchObject({ status: 'success' });
    expect(results['test.demo.one_row']).toMatchObject({ status: 'fail' });
  });

  it('silence hides the named warnings and leaves the others', async () => {
    const result = await build(['build', '--warn-error-options', '{"silence": ["NoNodeForYamlKey", "JinjaLogWarning"]}']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).not.toContain('ghost');
    expect(result.stdout).not.toContain('odd looks odd');
    expect(result.stdout).toContain('Warning in test one_row');
  });

  it('NoNodesForSelectionCriteria (a criterion matching nothing) and NothingToDo are warnings, errors when listed: exit 2', async () => {
    const plain = await build(['run', '--select', 'tag:nothing', '--warn-error-options', '{silence: [NoNodeForYamlKey]}']);
    expect(plain.code, plain.stdout + plain.stderr).toBe(0);
    expect(plain.stdout).toContain('Nothing to do');
    expect(plain.stdout).toContain("The selection criterion 'tag:nothing' does not match any enabled nodes");
    const criterion = await build(['run', '--select', 'plain tag:nothing,odd', '--warn-error-options', '{error: [NoNodesForSelectionCriteria]}']);
    expect(criterion.code).toBe(2);
    // dbt names an intersection as written (parse_union's raw spec), not each of its parts.
    expect(criterion.stderr).toContain("The selection criterion 'tag:nothing,odd' does not match any enabled nodes");
    expect(criterion.stdout).not.toContain('START');
    const strict = await build(['run', '--select', 'tag:nothing', '--warn-error-options', '{error: [NothingToDo]}']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain('Nothing to do. Try checking your model configs');
    const fromEnv = await build(['parse'], { DBT_WARN_ERROR: 'true' });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain('(NoNodeForYamlKey)');
  });

  it('--warn-error with --warn-error-options, or options that are not a mapping of lists, exit 2 with a clear message', async () => {
    const both = await build(['--warn-error', 'parse', '--warn-error-options', '{error: all}']);
    expect(both.code).toBe(2);
    // dbt's Flags._assert_mutually_exclusive words (the flags both given on the command line).
    expect(both.stderr).toContain('warn_error_options: not allowed with argument warn_error');
    const bad = await build(['parse', '--warn-error-options', '{error: [NothingToDo], silenc: [X]}']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--warn-error-options: unknown key "silenc"');
    const notList = await build(['parse', '--warn-error-options', '{warn: NothingToDo}']);
    expect(notList.code).toBe(2);
    expect(notList.stderr).toContain('"warn" must be a list of warning names');
  });

  it("dbt_project.yml's flags.warn_error_options applies when no flag or env var is given; the command line wins", async () => {
    const flagged = testdir({
      ...FILES,
      'dbt_project.yml': `${MINIMAL_PROJECT_YML}flags:\n  warn_error_options:\n    error: [NoNodeForYamlKey]\n`,
    });
    try {
      const fromProject = await runTsdbt(['parse', '--project-dir', flagged]);
      expect(fromProject.code).toBe(2);
      expect(fromProject.stderr).toContain('(NoNodeForYamlKey)');
      const overridden = await runTsdbt(['parse', '--project-dir', flagged, '--no-partial-parse', '--warn-error-options', '{silence: [NoNodeForYamlKey]}']);
      expect(overridden.code, overridden.stdout + overridden.stderr).toBe(0);
      expect(overridden.stdout).not.toContain('ghost');
    } finally {
      removeDir(flagged);
    }
  });

  it("a model's exceptions.warn outside `execute` fires while parsing, as dbt renders the model then: promoted, the parse stops (exit 2)", async () => {
    const parsing = testdir({ ...FILES, 'models/odd.sql': "{% do exceptions.warn('odd at parse') %}\nselect 2 as id\n" });
    try {
      const warned = await runTsdbt(['parse', '--project-dir', parsing, '--no-partial-parse', '--warn-error-options', '{silence: [NoNodeForYamlKey]}']);
      expect(warned.code, warned.stdout + warned.stderr).toBe(0);
      expect(warned.stdout).toContain('odd at parse');
      const promoted = await runTsdbt(['parse', '--project-dir', parsing, '--no-partial-parse', '--warn-error-options', '{error: [JinjaLogWarning], silence: [NoNodeForYamlKey]}']);
      expect(promoted.code).toBe(2);
      expect(promoted.stderr).toContain('Compilation Error in model odd (models/odd.sql)');
    } finally {
      removeDir(parsing);
    }
  });

  it('exceptions.warn in run-operation: a warning, or with JinjaLogWarning promoted the operation fails (exit 1)', async () => {
    const plain = await build(['run-operation', 'careful', '--warn-error-options', '{silence: [NoNodeForYamlKey]}']);
    expect(plain.code, plain.stdout + plain.stderr).toBe(0);
    expect(plain.stdout).toContain('careful now');
    const strict = await build(['run-operation', 'careful', '--warn-error-options', '{error: [JinjaLogWarning], silence: [NoNodeForYamlKey]}']);
    expect(strict.code).toBe(1);
    expect(strict.stdout + strict.stderr).toContain('macros/careful.sql:1: careful now');
  });

  it('a key given twice in dbt_project.yml is DuplicateYAMLKeysDeprecation: silenced, or an error', async () => {
    const twice = testdir({ 'dbt_project.yml': `${MINIMAL_PROJECT_YML}version: '2.0.0'\n`, 'models/a.sql': 'select 1 as id\n' });
    try {
      const plain = await runTsdbt(['parse', '--project-dir', twice]);
      expect(plain.code, plain.stdout + plain.stderr).toBe(0);
      expect(plain.stdout).toMatch(/dbt_project\.yml:\d+: .*version/);
      const silenced = await runTsdbt(['parse', '--project-dir', twice, '--warn-error-options', '{silence: [DuplicateYAMLKeysDeprecation]}']);
      expect(silenced.stdout).not.toMatch(/dbt_project\.yml:\d+: .*version/);
      const strict = await runTsdbt(['parse', '--project-dir', twice, '--warn-error-options', '{error: [DuplicateYAMLKeysDeprecation]}']);
      expect(strict.code).toBe(2);
      expect(strict.stderr).toContain('(DuplicateYAMLKeysDeprecation)');
    } finally {
      removeDir(twice);
    }
  });

  it('tsdbt --warn-error deps (a global flag before the subcommand) runs deps as usual when nothing warns', async () => {
    const quiet = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML });
    try {
      const result = await runTsdbt(['--warn-error', 'deps', '--project-dir', quiet]);
      expect(result.code, result.stdout + result.stderr).toBe(0);
    } finally {
      removeDir(quiet);
    }
  });
});
