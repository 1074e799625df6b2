// dbt 1.10+'s JSON-schema deprecations as a command shows them (docs: reference/deprecations):
// where dbt runs its checks (BigQuery, Databricks, Redshift, Snowflake; here
// TSDBT_JSONSCHEMA_ADAPTERS=all), a custom key under a property entry's `config:`
// (CustomKeyInConfigDeprecation), a config key without its `+` in dbt_project.yml
// (MissingPlusPrefixDeprecation), an unknown key in an entry (CustomKeyInObjectDeprecation) and a
// custom key in a model's config() call are warned at file:line, the first of each kind, all
// counted in dbt's summary, and --warn-error makes them errors. On the embedded PostgreSQL
// adapter, as on dbt-postgres, only what dbt does not read at all is warned (tsdbt's choice),
// never an error by --warn-error.
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { jsonLogEvents } from '../support/json-log.js';
import { removeDir, testdir } from '../support/testdir.js';

const PROJECT = ['name: demo', "version: '1.0.0'", 'config-version: 2', 'profile: demo', 'models:', '  demo:', '    staging:', '      materialized: view', ''].join('\n');
const PROPERTIES = [
  'version: 2',
  'models:',
  '  - name: orders',
  '    my_custom_property: typo or custom',
  '    config:',
  '      my_custom_key: a',
  '      materialized: table',
  '',
].join('\n');

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

function project(files: Record<string, string>): string {
  const dir = testdir(files);
  dirs.push(dir);
  return dir;
}

const lines = (output: string) => output.split('\n').map((l) => l.replace(/^\d\d:\d\d:\d\d {2}/, ''));
const ALL = { TSDBT_JSONSCHEMA_ADAPTERS: 'all' };

describe("dbt's JSON-schema deprecations", () => {
  const dir = project({
    'dbt_project.yml': PROJECT,
    'models/staging/orders.sql': "{{ config(my_sql_key='x') }}\nselect 1 as id\n",
    'models/staging/properties.yml': PROPERTIES,
  });

  it('where dbt validates: each kind at file:line in dbt\'s words, with dbt\'s summary counts', async () => {
    const r = await runTsdbt(['parse', '--no-partial-parse', '--project-dir', dir], { env: ALL });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const out = lines(r.stdout);
    expect(out).toContain("dbt_project.yml:8: Missing '+' prefix on `materialized` found at `demo.staging.materialized` in file `dbt_project.yml`. Hierarchical config values without a '+' prefix are deprecated in dbt_project.yml.");
    expect(out).toContain('models/staging/properties.yml:4: Custom key `my_custom_property` found at `models[0]` in file `models/staging/properties.yml`. This may mean the key is a typo, or is simply not a key supported by the object.');
    // The first CustomKeyInConfigDeprecation only (the property file's); the config() call's is counted.
    expect(out.filter((l) => l.includes('Custom key `my_custom_key` found in `config`'))).toEqual([
      'models/staging/properties.yml:6: Custom key `my_custom_key` found in `config` at path `models[0].config` in file `models/staging/properties.yml`. Custom config keys should move into the `config.meta`.',
    ]);
    expect(out.slice(out.indexOf('Summary of encountered deprecations:'), -1).filter(Boolean).slice(0, 4).sort()).toEqual([
      '- CustomKeyInConfigDeprecation: 2 occurrences',
      '- CustomKeyInObjectDeprecation: 1 occurrence',
      '- MissingPlusPrefixDeprecation: 1 occurrence',
      'Summary of encountered deprecations:',
    ]);
  });

  it('the JSON log carries dbt\'s event names, codes and data; --show-all-deprecations shows the config() call\'s too', async () => {
    const r = await runTsdbt(['parse', '--no-partial-parse', '--show-all-deprecations', '--log-format', 'json', '--project-dir', dir], { env: ALL });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const events = jsonLogEvents(r.stdout).filter((e) => e.code.startsWith('D') && e.name !== 'DeprecationsSummary');
    expect(events.map((e) => [e.name, e.code, e.level, e.data])).toEqual([
      ['MissingPlusPrefixDeprecation', 'D037', 'warn', { key: 'materialized', file: 'dbt_project.yml', key_path: 'demo.staging.materialized', location: { file: 'dbt_project.yml', line: 8 } }],
      ['CustomKeyInObjectDeprecation', 'D027', 'warn', { key: 'my_custom_property', file: 'models/staging/properties.yml', key_path: 'models[0]', location: { file: 'models/staging/properties.yml', line: 4 } }],
      ['CustomKeyInConfigDeprecation', 'D026', 'warn', { key: 'my_custom_key', file: 'models/staging/properties.yml', key_path: 'models[0].config', location: { file: 'models/staging/properties.yml', line: 6 } }],
      ['CustomKeyInConfigDeprecation', 'D026', 'warn', { key: 'my_sql_key', file: 'models/staging/orders.sql', key_path: '', location: { file: 'models/staging/orders.sql', line: 1 } }],
    ]);
    expect(jsonLogEvents(r.stdout).find((e) => e.name === 'DeprecationsSummary')?.data.summaries).toEqual(
      expect.arrayContaining([{ event_name: 'CustomKeyInConfigDeprecation', event_code: 'D026', occurrences: 2 }]),
    );
  });

  it('--warn-error makes them errors where dbt validates', async () => {
    const r = await runTsdbt(['--warn-error', 'parse', '--no-partial-parse', '--project-dir', dir], { env: ALL });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('MissingPlusPrefixDeprecation');
  });

  it('on PostgreSQL, as dbt-postgres: only the key dbt does not read, never an error by --warn-error', async () => {
    const r = await runTsdbt(['--warn-error', 'parse', '--no-partial-parse', '--project-dir', dir]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const out = lines(r.stdout);
    expect(out).toContain(
      'models/staging/properties.yml:4: Custom key `my_custom_property` found at `models[0]` in file `models/staging/properties.yml`. This may mean the key is a typo, or is simply not a key supported by the object.',
    );
    expect(out).toContain('- CustomKeyInObjectDeprecation: 1 occurrence');
    expect(out.some((l) => l.includes('CustomKeyInConfigDeprecation') || l.includes('MissingPlusPrefixDeprecation'))).toBe(false);
  });

  it('a cached parse shows them again, and honours the adapter list of this command', async () => {
    const first = await runTsdbt(['parse', '--project-dir', dir], { env: ALL });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const cached = await runTsdbt(['parse', '--project-dir', dir]);
    expect(lines(cached.stdout)).toContain('- CustomKeyInObjectDeprecation: 1 occurrence');
    expect(cached.stdout).not.toContain('CustomKeyInConfigDeprecation');
    const again = await runTsdbt(['parse', '--project-dir', dir], { env: ALL });
    expect(lines(again.stdout)).toContain('- CustomKeyInConfigDeprecation: 2 occurrences');
    // Answered from the last parse's index (nothing changed): --warn-error still makes them errors there.
    const strict = await runTsdbt(['--warn-error', 'parse', '--project-dir', dir], { env: ALL });
    expect(strict.code, strict.stdout + strict.stderr).toBe(2);
  });

  it('a valid project gives none', async () => {
    const valid = project({
      'dbt_project.yml': PROJECT.replace('materialized: view', '+materialized: view'),
      'models/staging/orders.sql': "{{ config(materialized='table', meta={'my_sql_key': 'x'}) }}\nselect 1 as id\n",
      'models/staging/properties.yml': ['version: 2', 'models:', '  - name: orders', '    description: fine', '    config:', '      meta: {my_custom_key: a}', '      materialized: table', ''].join('\n'),
    });
    const r = await runTsdbt(['parse', '--no-partial-parse', '--project-dir', valid], { env: ALL });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).not.toContain('Deprecation');
    expect(r.stdout).not.toContain('Summary of encountered deprecations');
  });
});
