// Mistakes dbt warns about are warned about, at file:line, once each, and --warn-error makes them
// errors: unknown keys in dbt_project.yml and property files (dbt 1.10's schema validation:
// CustomTopLevelKeyDeprecation, CustomKeyInObjectDeprecation, PropertyMovedToConfigDeprecation),
// entries describing nothing (NoNodeForYamlKey, WrongResourceSchemaFile, MacroNotFoundForPatch),
// and --select / --exclude criteria matching nothing (NoNodesForSelectionCriteria, NothingToDo).
// Keys dbt reads, and custom keys under `config:`, stay silent.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

async function tsdbt(files: Record<string, string>, args: string[]) {
  const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, ...files });
  dirs.push(dir);
  const result = await runTsdbt([...args, '--project-dir', dir, '--no-partial-parse']);
  const output = `${result.stdout}\n${result.stderr}`;
  /** Output lines without their timestamp. */
  const lines = output.split('\n').map((l) => l.replace(/^\d\d:\d\d:\d\d {2}/, ''));
  return { ...result, output, lines, dir };
}

/** The lines starting with `prefix`, expected to be exactly one. */
function once(lines: string[], prefix: string): string {
  const found = lines.filter((l) => l.startsWith(prefix));
  expect(found, `${prefix} in:\n${lines.join('\n')}`).toHaveLength(1);
  return found[0] as string;
}

const SCHEMA = `version: 2
models:
  - name: orders
    descripton: typo on a model
    materialized: table
    meta: {owner: me}
    docs: {show: true}
    config:
      my_custom_config: kept silent, as dbt on PostgreSQL does
      materialized: view
    columns:
      - name: id
        descripton: typo on a column
        tags: [pk]
        data_tests: [unique]
sources:
  - name: raw
    descripton: typo on a source
    freshness: {warn_after: {count: 1, period: day}}
    loaded_at_field: loaded_at
    tables:
      - name: events
        descripton: typo on a table
        identifier: events_v2
        warn_after: {count: 1, period: day}
        columns:
          - name: id
            quote: true
x-shared: &shared
  description: a YAML anchor outside the anchors section
`;

describe('unknown keys', () => {
  it('dbt_project.yml: a pre-1.0 name, with the line', async () => {
    const r = await tsdbt({ 'dbt_project.yml': `${MINIMAL_PROJECT_YML}source-paths: [models]\n`, 'models/a.sql': 'select 1 as id\n' }, ['parse']);
    expect(r.code, r.output).toBe(0);
    expect(once(r.lines, 'dbt_project.yml:5:')).toBe('dbt_project.yml:5: The `source-paths` config has been renamed to `model-paths`. Please update your `dbt_project.yml` configuration to reflect this change.');
    const strict = await runTsdbt(['--warn-error', 'parse', '--project-dir', r.dir, '--no-partial-parse']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain('this warning (ConfigSourcePathDeprecation) is an error because of --warn-error');
  });

  // dbt-core 1.11 validates dbt_project.yml against its Project contract (additionalProperties
  // false): an unknown top-level key stops the load (tests/functional/basic/test_project.py).
  it('dbt_project.yml: an unknown top-level key, a version that is no semantic version and a dbt-cloud string stop the load, in dbt\'s words', async () => {
    const r = await tsdbt({ 'dbt_project.yml': 'name: demo\nconfig-version: 2\nprofile: demo\nmodle-paths: [models]\nversion: invalid\ndbt-cloud: Some string\n', 'models/a.sql': 'select 1 as id\n' }, ['parse']);
    expect(r.code).toBe(2);
    expect(r.output).toContain("dbt_project.yml:4: at path []: Additional properties are not allowed ('modle-paths' was unexpected)");
    expect(r.output).toContain('did you mean `model-paths`?');
    expect(r.output).toContain("dbt_project.yml:5: at path ['version']: 'invalid' is not valid under any of the given schemas");
    expect(r.output).toContain("dbt_project.yml:6: at path ['dbt-cloud']: 'Some string' is not valid under any of the given schemas");
  });

  it("--warn-error does not make dbt's JSON-schema warnings errors: dbt-postgres never runs those checks", async () => {
    const r = await tsdbt({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'models/a.sql': 'select 1 as id\n', 'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    descripton: x\n' }, ['--warn-error', 'parse']);
    expect(r.code, r.output).toBe(0);
    expect(once(r.lines, 'models/schema.yml:4:')).toContain('Custom key `descripton`');
  });

  it('property files: typos on a model, column, source and table, a config key beside config:, a custom top-level key', async () => {
    const r = await tsdbt({ 'models/orders.sql': "select 1 as id, now() as loaded_at\n", 'models/schema.yml': SCHEMA }, ['parse', '--show-all-deprecations']);
    expect(r.code, r.output).toBe(0);
    const warnings = r.lines.filter((l) => l.startsWith('models/schema.yml:'));
    expect(warnings).toEqual([
      'models/schema.yml:4: Custom key `descripton` found at `models[0]` in file `models/schema.yml`. This may mean the key is a typo, or is simply not a key supported by the object. Did you mean `description`?',
      'models/schema.yml:5: Found `materialized` as a top-level property of `models[0]` in file `models/schema.yml`. The `materialized` top-level property should be moved into the `config` of `models[0]` (dbt ignores it here).',
      'models/schema.yml:13: Custom key `descripton` found at `models[0].columns[0]` in file `models/schema.yml`. This may mean the key is a typo, or is simply not a key supported by the object. Did you mean `description`?',
      'models/schema.yml:18: Custom key `descripton` found at `sources[0]` in file `models/schema.yml`. This may mean the key is a typo, or is simply not a key supported by the object. Did you mean `description`?',
      'models/schema.yml:23: Custom key `descripton` found at `sources[0].tables[0]` in file `models/schema.yml`. This may mean the key is a typo, or is simply not a key supported by the object. Did you mean `description`?',
      'models/schema.yml:25: Custom key `warn_after` found at `sources[0].tables[0]` in file `models/schema.yml`. This may mean the key is a typo, or is simply not a key supported by the object.',
      'models/schema.yml:29: Unexpected top-level key x-shared in file `models/schema.yml`.',
    ]);
    // By default, as dbt 1.10: the first of each kind, then how many of each there were.
    const firsts = await runTsdbt(['parse', '--project-dir', r.dir, '--no-partial-parse']);
    expect(firsts.code).toBe(0);
    expect(firsts.stdout.split('\n').filter((l) => l.includes('models/schema.yml:')).map((l) => /models\/schema\.yml:\d+/.exec(l)?.[0])).toEqual(['models/schema.yml:4', 'models/schema.yml:5', 'models/schema.yml:29']);
    const lines = firsts.stdout.split('\n').map((l) => l.replace(/^\d\d:\d\d:\d\d\s+/, '')).filter(Boolean);
    expect(lines.slice(lines.indexOf('Summary of encountered deprecations:'))).toEqual([
      'Summary of encountered deprecations:',
      '- CustomKeyInObjectDeprecation: 5 occurrences',
      '- PropertyMovedToConfigDeprecation: 1 occurrence',
      '- CustomTopLevelKeyDeprecation: 1 occurrence',
      'To see all deprecation instances instead of just the first occurrence of each, run command again with the `--show-all-deprecations` flag.',
    ]);
    const selective = await runTsdbt(['parse', '--project-dir', r.dir, '--no-partial-parse', '--warn-error-options', '{error: [CustomKeyInObjectDeprecation], silence: [PropertyMovedToConfigDeprecation, CustomTopLevelKeyDeprecation]}']);
    expect(selective.code).toBe(2);
    expect(selective.stderr).toContain('this warning (CustomKeyInObjectDeprecation) is an error');
    const silenced = await runTsdbt(['parse', '--project-dir', r.dir, '--no-partial-parse', '--warn-error-options', '{silence: [CustomKeyInObjectDeprecation, PropertyMovedToConfigDeprecation, CustomTopLevelKeyDeprecation]}']);
    expect(silenced.code).toBe(0);
    expect(silenced.stdout).not.toContain('models/schema.yml:');
  });

  it('the keys dbt reads are silent: a project using them parses without a warning', async () => {
    const r = await tsdbt(
      {
        'dbt_project.yml': `${MINIMAL_PROJECT_YML}model-paths: [models]\nseed-paths: [seeds]\nclean-targets: [target]\nrequire-dbt-version: ">=1.0.0"\nvars: {x: 1}\nflags: {send_anonymous_usage_stats: false}\nmodels:\n  demo:\n    +materialized: view\n`,
        'models/orders.sql': "{{ config(materialized='table') }}\nselect 1 as id, 'a' as status\n",
        'seeds/countries.csv': 'code,name\nfr,France\n',
        'snapshots/snap.sql': "{% snapshot snap %}\n{{ config(unique_key='id', strategy='check', check_cols='all', target_schema='snapshots') }}\nselect 1 as id\n{% endsnapshot %}\n",
        'macros/cents.sql': '{% macro cents(x) %}{{ x }} / 100{% endmacro %}\n',
        'analyses/explore.sql': "select * from {{ ref('orders') }}\n",
        'tests/no_negative.sql': "select * from {{ ref('orders') }} where id < 0\n",
        'models/schema.yml': `version: 2
anchors:
  - &id_column
    name: id
    data_type: integer
models:
  - name: orders
    description: one row per order
    meta: {owner: me}
    docs: {show: true, node_color: red}
    access: public
    group: finance
    latest_version: 1
    versions: [{v: 1, defined_in: orders, description: the first, columns: [{include: all, exclude: []}]}]
    deprecation_date: 2030-01-01
    config: {tags: [core], contract: {enforced: false}, custom_key: 1}
    constraints: [{type: primary_key, columns: [id]}]
    columns:
      - <<: *id_column
        description: the key
        meta: {pii: false}
        tags: [pk]
        quote: false
        constraints: [{type: not_null}]
        data_tests: [unique, not_null]
        tests: []
      - name: status
        data_tests:
          - accepted_values:
              arguments: {values: [a, b]}
seeds:
  - name: countries
    description: ISO codes
    config: {quote_columns: true, column_types: {code: text}}
    columns: [{name: code, description: the code}]
snapshots:
  - name: snap
    description: history
    columns: [{name: id}]
analyses:
  - name: explore
    description: notebook
    columns: [{name: id}]
macros:
  - name: cents
    description: divides by 100
    docs: {show: true}
    meta: {}
    arguments: [{name: x, type: number, description: the amount}]
data_tests:
  - name: no_negative
    description: no negative ids
    config: {severity: warn}
groups:
  - name: finance
    owner: {name: Finance, email: f@example.com}
exposures:
  - name: dashboard
    type: dashboard
    maturity: high
    url: https://example.com
    owner: {name: A, email: a@example.com}
    depends_on: ["ref('orders')"]
    label: Dashboard
sources:
  - name: raw
    description: raw data
    database: postgres
    schema: raw
    loader: kafka
    loaded_at_field: loaded_at
    freshness: {warn_after: {count: 1, period: day}}
    quoting: {identifier: false}
    meta: {kafka: {topic: t}}
    tags: [raw]
    config: {enabled: true}
    tables:
      - name: events
        identifier: events_v2
        description: events
        loaded_at_query: select now()
        external: {location: s3://x}
        tags: [e]
        meta: {}
        columns: [{name: id, data_tests: [not_null]}]
unit_tests:
  - name: orders_ok
    model: orders
    description: d
    given: []
    expect: {format: dict, rows: [{id: 1, status: a}]}
    overrides: {vars: {x: 2}, env_vars: {}, macros: {}}
    config: {tags: [unit]}
semantic_models: []
metrics: []
saved_queries: []
`,
      },
      ['parse'],
    );
    expect(r.code, r.output).toBe(0);
    expect(r.output).not.toMatch(/Custom key|top-level|Did not find|patch for macro|is a \w+ node|\[WARN|Deprecation/);
    expect(r.lines.filter((l) => /^(models|seeds|macros|dbt_project)\S*:\d+: /.test(l))).toEqual([]);
  });
});

describe('property entries describing nothing', () => {
  it('a model, seed, snapshot, analysis, singular test or macro that does not exist, and a seed described as a model', async () => {
    const r = await tsdbt(
      {
        'models/real.sql': 'select 1 as id\n',
        'models/off.sql': "{{ config(enabled=false) }}\nselect 1 as id\n",
        'seeds/countries.csv': 'code\nfr\n',
        'models/schema.yml': [
          'version: 2',
          'models:',
          '  - name: real',
          '  - name: ghost_model',
          '  - name: "off"', // quoted: unquoted, off is false to YAML as dbt reads it
          '  - name: countries',
          '    columns:',
          '      - name: code',
          '        data_tests: [not_null]',
          'seeds:',
          '  - name: ghost_seed',
          'snapshots:',
          '  - name: ghost_snapshot',
          'analyses:',
          '  - name: ghost_analysis',
          'data_tests:',
          '  - name: ghost_test',
          'macros:',
          '  - name: ghost_macro',
          '',
        ].join('\n'),
      },
      ['parse'],
    );
    expect(r.code, r.output).toBe(0);
    expect(r.lines.filter((l) => l.startsWith('models/schema.yml:'))).toEqual([
      "models/schema.yml:4: Did not find matching node for patch with name 'ghost_model' in the 'models' section of file 'models/schema.yml'",
      "models/schema.yml:6: 'countries' is a seed node, but it is specified in the models section of models/schema.yml. To fix this error, place the `countries` specification under the seeds key instead.",
      "models/schema.yml:11: Did not find matching node for patch with name 'ghost_seed' in the 'seeds' section of file 'models/schema.yml'",
      "models/schema.yml:13: Did not find matching node for patch with name 'ghost_snapshot' in the 'snapshots' section of file 'models/schema.yml'",
      "models/schema.yml:15: Did not find matching node for patch with name 'ghost_analysis' in the 'analyses' section of file 'models/schema.yml'",
      "models/schema.yml:17: Did not find matching node for patch with name 'ghost_test' in the 'data_tests' section of file 'models/schema.yml'",
      'models/schema.yml:19: Found patch for macro "ghost_macro" which was not found',
    ]);
    // The seed described under models: is still tested, as dbt builds the entry's tests on ref('countries').
    const manifest = JSON.parse(readFileSync(path.join(r.dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { attached_node?: string; depends_on: { nodes: string[] } }> };
    const test = Object.entries(manifest.nodes).find(([id]) => id.startsWith('test.demo.not_null_countries_code.'));
    expect(test?.[1].attached_node).toBe('seed.demo.countries');
    expect(test?.[1].depends_on.nodes).toEqual(['seed.demo.countries']);
    const strict = await runTsdbt(['parse', '--project-dir', r.dir, '--no-partial-parse', '--warn-error-options', '{error: [MacroNotFoundForPatch]}']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain('Found patch for macro "ghost_macro" which was not found');
  });
});

describe('dbt_project.yml config paths that configure nothing', () => {
  it('a misspelt folder is UnusedResourceConfigPath, listing each path with its line; folders reached, disabled nodes and dict configs are not', async () => {
    const r = await tsdbt(
      {
        'dbt_project.yml': `${MINIMAL_PROJECT_YML}models:\n  +materialized: view\n  demo:\n    +persist_docs: {relation: true}\n    staging:\n      +materialized: table\n    stagin:\n      +materialized: table\n    legacy:\n      +enabled: false\nseeds:\n  demo:\n    countries:\n      +quote_columns: true\n`,
        'models/staging/stg.sql': 'select 1 as id\n',
        'models/legacy/old.sql': 'select 1 as id\n',
      },
      ['parse'],
    );
    expect(r.code, r.output).toBe(0);
    const at = r.lines.findIndex((l) => l.startsWith('dbt_project.yml:11: Configuration paths exist in your dbt_project.yml file which do not apply to any resources.'));
    expect(at, r.output).toBeGreaterThanOrEqual(0);
    expect(r.lines.slice(at + 1, at + 4)).toEqual(['There are 2 unused configuration paths:', '- models.demo.stagin (dbt_project.yml:11)', '- seeds.demo.countries (dbt_project.yml:17)']);
    const strict = await runTsdbt(['parse', '--project-dir', r.dir, '--warn-error-options', '{error: [UnusedResourceConfigPath]}']);
    expect(strict.code).toBe(2);
  });
});

describe('a cached parse', () => {
  it('warns again, so --warn-error stops a build after a parse that only warned', async () => {
    const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'models/a.sql': 'select 1 as id\n', 'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    descripton: x\n' });
    dirs.push(dir);
    const first = await runTsdbt(['parse', '--project-dir', dir]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    // ls's stdout is its list: its log lines, the warning too, are on stderr.
    const cached = await runTsdbt(['ls', '--project-dir', dir, '--debug']);
    expect(cached.stdout).toBe('demo.a\n');
    expect(cached.stderr).toContain('Reusing the previous parse');
    expect(first.stdout).toContain('models/schema.yml:4: Custom key `descripton`');
    expect(cached.stderr).toContain('models/schema.yml:4: Custom key `descripton`');
    // `parse` with nothing changed answers from its index, and repeats the warning too.
    const unchanged = await runTsdbt(['parse', '--project-dir', dir]);
    expect(unchanged.stdout).toContain('nothing changed since the last parse');
    expect(unchanged.stdout).toContain('models/schema.yml:4: Custom key `descripton`');
    const strict = await runTsdbt(['run', '--project-dir', dir, '--warn-error-options', '{error: [CustomKeyInObjectDeprecation]}']);
    expect(strict.code).toBe(2);
    expect(strict.stdout).not.toContain('START');
  });
});

describe('selection criteria matching nothing', () => {
  const files = { 'models/a.sql': 'select 1 as id\n', 'models/b.sql': "select * from {{ ref('a') }}\n" };

  it('--select and --exclude name each unmatched criterion once, as dbt does; nothing selected is NothingToDo', async () => {
    const r = await tsdbt(files, ['ls', '--select', 'a nope tag:none,a a,b', '--exclude', 'gone a']);
    expect(r.code, r.output).toBe(0);
    once(r.lines, "The selection criterion 'nope' does not match any enabled nodes");
    once(r.lines, "The selection criterion 'tag:none,a' does not match any enabled nodes");
    once(r.lines, "The selection criterion 'gone' does not match any enabled nodes");
    // `a,b` (a and b at once) matches nothing either: dbt names the intersection as written.
    once(r.lines, "The selection criterion 'a,b' does not match any enabled nodes");
    expect(r.output).not.toContain("criterion 'a' does not match");
    const nothing = await runTsdbt(['run', '--project-dir', r.dir, '--select', 'nope']);
    expect(nothing.code, nothing.stdout + nothing.stderr).toBe(0);
    expect(nothing.stdout).toContain("The selection criterion 'nope' does not match any enabled nodes");
    expect(nothing.stdout).toContain('Nothing to do. Try checking your model configs and model specification args');
    const strict = await runTsdbt(['--warn-error', 'run', '--project-dir', r.dir, '--exclude', 'gone']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain("The selection criterion 'gone' does not match any enabled nodes");
    expect(strict.stdout).not.toContain('START');
  });
});
