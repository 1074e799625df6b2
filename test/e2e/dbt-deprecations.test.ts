// dbt 1.10/1.11 deprecations as dbt-core fires them (core/dbt/deprecations.py, events/types.py; the
// docs' "Deprecations" page), each asserted from what tsdbt writes:
//   - generic_test_builders.py's extract_test_args: MissingArgumentsPropertyInGenericTestDeprecation
//     per test (flag require_generic_test_arguments_property, on by default), or with the flag off
//     ArgumentsPropertyInGenericTestDeprecation per test written with `arguments:`;
//   - `tests:` beside `data_tests:` refused (schemas.py's validate_data_tests, Project.validate);
//     a version's empty `tests:` means the model's tests (get_tests_for_version);
//   - env_vars.py: a custom variable under the reserved prefix DBT_ENGINE (EnvironmentVariableNamespaceDeprecation);
//   - `source freshness --output` (CustomOutputPathInSourceFreshnessDeprecation);
//   - profiles.yml's `config:` used as the project flags (ProjectFlagsMovedDeprecation);
//   - a repeated parse writes dbt.log as the full one does (its deprecations included).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';
import { jsonLogEvents, readJsonLog } from '../support/json-log.js';

const PROFILES = 'demo:\n  target: dev\n  outputs:\n    dev: {type: pglite, path: memory, schema: main}\n';

/** tests/functional/deprecations/fixtures.py's test_missing_arguments_property_yaml. */
const MISSING_ARGUMENTS_YML = `models:
  - name: trivial
    tests:
      - test_name: unique
        custom: arg
      - custom_test:
          custom: arg
      - custom_test2_valid:
          column_name: id
          config:
            where: "1=1"
          arguments:
            custom: arg
    columns:
      - name: id
        tests:
          - test_name: unique
            custom: arg
          - custom_test:
              custom: arg
`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) removeDir(d);
});

function project(files: Record<string, string>): string {
  const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'models/trivial.sql': 'select 1 as id\n', ...files });
  dirs.push(dir);
  return dir;
}

async function parseEvents(dir: string, ...args: string[]) {
  const r = await runTsdbt(['parse', '--project-dir', dir, '--no-partial-parse', '--log-format', 'json', ...args]);
  return { ...r, events: jsonLogEvents(r.stdout) };
}

describe('generic test arguments (dbt 1.10 behaviour flag require_generic_test_arguments_property)', () => {
  it('warns MissingArgumentsPropertyInGenericTestDeprecation for each test with top-level arguments, in dbt\'s words', async () => {
    const dir = project({ 'models/models.yml': MISSING_ARGUMENTS_YML });
    const all = await parseEvents(dir, '--show-all-deprecations');
    const missing = all.events.filter((e) => e.name === 'MissingArgumentsPropertyInGenericTestDeprecation');
    expect(missing.map((e) => e.msg)).toEqual(
      ['unique', 'custom_test', 'unique', 'custom_test'].map(
        (t) => `Found top-level arguments to test \`${t}\` defined on 'trivial' in package 'demo' (models/models.yml). Arguments to generic tests should be nested under the \`arguments\` property.`,
      ),
    );
    // Without --show-all-deprecations, the first is shown and all four counted.
    const first = await parseEvents(dir);
    expect(first.events.filter((e) => e.name === 'MissingArgumentsPropertyInGenericTestDeprecation')).toHaveLength(1);
    expect(first.events.find((e) => e.name === 'DeprecationsSummary')?.data.summaries).toEqual([{ event_name: 'MissingArgumentsPropertyInGenericTestDeprecation', event_code: 'D039', occurrences: 4 }]);
  });

  it('with the flag off, warns ArgumentsPropertyInGenericTestDeprecation for each test written with `arguments:`, and nothing about top-level ones', async () => {
    const dir = project({
      'dbt_project.yml': `${MINIMAL_PROJECT_YML}flags:\n  require_generic_test_arguments_property: false\n`,
      'models/models.yml': 'models:\n  - name: trivial\n    tests:\n      - test_name: unique\n        arguments:\n          custom: arg\n      - not_null:\n          column_name: id\n          where: "1=1"\n          custom: 1\n',
    });
    const r = await parseEvents(dir, '--show-all-deprecations');
    expect(r.events.filter((e) => e.name.includes('Argument') || e.name === 'PropertyMovedToConfigDeprecation').map((e) => [e.name, e.msg])).toEqual([
      [
        'ArgumentsPropertyInGenericTestDeprecation',
        "Found `arguments` property in test definition of `unique` ({'custom': 'arg'}) without usage of `require_generic_test_arguments_property` behavior change flag. The `arguments` property is deprecated for custom usage and will be used to nest keyword arguments in future versions of dbt.",
      ],
    ]);
  });
});

describe('tests: and data_tests:', () => {
  it("refuses both on one column, and both in dbt_project.yml, in dbt's words", async () => {
    const column = project({ 'models/schema.yml': 'models:\n  - name: trivial\n    columns:\n      - name: id\n        data_tests:\n          - not_null\n        tests:\n          - unique\n' });
    const r = await runTsdbt(['parse', '--project-dir', column]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Invalid test config: cannot have both 'tests' and 'data_tests' defined");
    const both = project({ 'dbt_project.yml': `${MINIMAL_PROJECT_YML}tests:\n  +enabled: true\ndata_tests:\n  +tags: super\n` });
    const p = await runTsdbt(['parse', '--project-dir', both]);
    expect(p.code).toBe(2);
    expect(p.stderr).toContain("Invalid project config: cannot have both 'tests' and 'data_tests' defined");
  });

  it("a version whose `tests:` is empty gets the model's tests (tests/functional/deprecations' old_tests_yml)", async () => {
    const dir = project({
      'models/versioned_model.sql': 'select 1 as id\n',
      'macros/custom.sql': '{% test custom(model) %}\n  select * from {{ model }}\n  limit 0\n{% endtest %}\n',
      'models/schema.yml': 'models:\n  - name: versioned_model\n    tests:\n      - custom\n    versions:\n      - v: 1\n        tests:\n        columns:\n          - name: id\n            tests:\n              - not_null\n',
    });
    const r = await runTsdbt(['ls', '--project-dir', dir, '--resource-type', 'test', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').sort()).toEqual(['demo.custom_versioned_model_v1_', 'demo.not_null_versioned_model_v1_id']);
  });
});

describe('invocation deprecations', () => {
  it('warns EnvironmentVariableNamespaceDeprecation for a custom DBT_ENGINE variable, not for dbt\'s own', async () => {
    const dir = project({});
    const r = await runTsdbt(['parse', '--project-dir', dir, '--log-format', 'json', '--show-all-deprecations'], {
      env: { DBT_ENGINE_PARTIAL_PARSE: 'False', DBT_ENGINE_MY_CUSTOM_ENV_VAR_FOR_TESTING: 'True' },
    });
    expect(r.code, r.stderr).toBe(0);
    const warned = jsonLogEvents(r.stdout).filter((e) => e.name === 'EnvironmentVariableNamespaceDeprecation');
    expect(warned.map((e) => [e.code, e.data.env_var, e.data.reserved_prefix, e.msg])).toEqual([
      [
        'D036',
        'DBT_ENGINE_MY_CUSTOM_ENV_VAR_FOR_TESTING',
        'DBT_ENGINE',
        'Found custom environment variable `DBT_ENGINE_MY_CUSTOM_ENV_VAR_FOR_TESTING` in the environment. The prefix `DBT_ENGINE` is reserved for dbt engine environment variables. Custom environment variables with the prefix `DBT_ENGINE` may cause collisions and runtime errors.',
      ],
    ]);
  });

  it('warns CustomOutputPathInSourceFreshnessDeprecation for `source freshness --output`', async () => {
    const dir = project({ 'profiles.yml': PROFILES });
    const r = await runTsdbt(['source', 'freshness', '--project-dir', dir, '--profiles-dir', dir, '--output', 'custom_output.json', '--log-format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(jsonLogEvents(r.stdout).filter((e) => e.name === 'CustomOutputPathInSourceFreshnessDeprecation').map((e) => e.msg)).toEqual([
      'Custom output path usage `--output custom_output.json` usage detected in `dbt source freshness` command.',
    ]);
  });

  it("takes profiles.yml's `config:` as the project flags with ProjectFlagsMovedDeprecation; refuses it beside dbt_project.yml's `flags:`", async () => {
    const dir = project({ 'profiles.yml': `config:\n  warn_error_options: {silence: [NoNodesForSelectionCriteria]}\n${PROFILES}` });
    const r = await runTsdbt(['parse', '--project-dir', dir, '--profiles-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("User config should be moved from the 'config' key in profiles.yml to the 'flags' key in dbt_project.yml.");
    const strict = await runTsdbt(['parse', '--project-dir', dir, '--profiles-dir', dir, '--no-partial-parse', '--warn-error-options', "{'error': ['ProjectFlagsMovedDeprecation']}"]);
    expect(strict.code).toBe(2);
    const both = project({ 'dbt_project.yml': `${MINIMAL_PROJECT_YML}flags:\n  send_anonymous_usage_stats: false\n`, 'profiles.yml': `config:\n  send_anonymous_usage_stats: false\n${PROFILES}` });
    const refused = await runTsdbt(['parse', '--project-dir', both, '--profiles-dir', both]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("Do not specify both 'config' in profiles.yml and 'flags' in dbt_project.yml. Using 'config' in profiles.yml is deprecated.");
  });

  it('a parse that repeats the last one still writes dbt.log, with its deprecations', async () => {
    const dir = project({});
    const logs = path.join(dir, 'logs');
    const first = await runTsdbt(['parse', '--project-dir', dir]);
    expect(first.code, first.stderr).toBe(0);
    removeDir(logs);
    const again = await runTsdbt(['parse', '--project-dir', dir, '--log-format-file', 'json', '--warn-error-options', "{'include': 'all', 'warn': ['Deprecations']}"]);
    expect(again.stdout).toContain('nothing changed since the last parse');
    expect(existsSync(path.join(logs, 'dbt.log'))).toBe(true);
    const events = readFileSync(path.join(logs, 'dbt.log'), 'utf8').split('\n').filter((l) => l.startsWith('{')).map(readJsonLog);
    expect(events.filter((e) => e.name === 'WEOIncludeExcludeDeprecation').map((e) => e.msg)).toEqual(['Found `include` in `warn_error_options` specification. Please use `error` instead of `include`.']);
  });
});
