// tsdbt ls prints what dbt's ListTask prints for each --output (dbt docs: reference/commands/list),
// so scripts written for dbt ls work: selectors (fqn; `source:pkg.source.table`;
// `unit_test:pkg.name`), search names (`source.table`), original_file_path, and one JSON object per
// line with dbt's ALLOWED_KEYS or --output-keys. Analyses are listed only with --resource-type all.
import { afterAll, describe, expect, it } from 'vitest';
import { createInvocation, type InvocationOptions } from '../../src/app/invocation.js';
import { lsCommand, type LsOptions } from '../../src/app/ls-command.js';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const FILES = {
  'dbt_project.yml': 'name: my_project\nprofile: my_project\n',
  'models/staging/stg_events.sql': 'select 1 as id\n',
  'models/marts/orders.sql': "{{ config(materialized='table', tags=['daily']) }}\nselect id from {{ ref('stg_events') }} join {{ source('raw', 'events') }} using (id)\n",
  'models/staging/sources.yml': 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: events\n',
  'models/staging/schema.yml': [
    'version: 2',
    'models:',
    '  - name: stg_events',
    '    columns:',
    '      - name: id',
    '        data_tests: [not_null]',
    'unit_tests:',
    '  - name: orders_keeps_ids',
    '    model: orders',
    '    given:',
    "      - input: ref('stg_events')",
    '        rows: [{id: 1}]',
    "      - input: source('raw', 'events')",
    '        rows: [{id: 1}]',
    '    expect:',
    '      rows: [{id: 1}]',
    '',
  ].join('\n'),
  'seeds/countries.csv': 'code\nfr\n',
  'analyses/adhoc.sql': "select * from {{ ref('orders') }}\n",
  'tests/assert_no_negative.sql': 'select 1 where false\n',
};

describe('tsdbt ls output formats', () => {
  const dir = testdir(FILES);
  afterAll(() => removeDir(dir));

  const ls = async (options: LsOptions, init: Partial<InvocationOptions> = {}) => {
    const lines: string[] = [];
    // No slow-step progress lines (a parse past two seconds on a loaded machine prints one on
    // stderr): these tests compare stderr whole; manifest-writing-commands.test.ts tests those lines.
    const env = { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir, TSDBT_SLOW_STEP_MS: String(24 * 3600 * 1000) };
    const inv = createInvocation({ projectDir: dir, write: (l) => lines.push(l), writeError: (l) => lines.push(`stderr: ${l}`), env, color: false, ...init });
    expect(await lsCommand(inv, options)).toBe(0);
    return lines;
  };

  it('--output selector (the default): fqn, source:, unit_test:, sorted by unique_id; no analyses', async () => {
    const lines = await ls({ output: 'selector' });
    // The first parse of the project says why it parses everything, as dbt's: on stderr, as ls's stdout is data.
    expect(lines.filter((l) => l.startsWith('stderr: ')).map((l) => l.replace(/^stderr: \S+\s+/, ''))).toEqual(['Unable to do partial parsing because saved manifest not found. Starting full parse.']);
    expect(lines.filter((l) => !l.startsWith('stderr: '))).toEqual([
      'my_project.marts.orders',
      'my_project.staging.stg_events',
      'my_project.countries',
      'source:my_project.raw.events',
      'my_project.assert_no_negative',
      'my_project.staging.not_null_stg_events_id',
      'unit_test:my_project.orders_keeps_ids',
    ]);
  });

  it('--output name: search names (source_name.table for sources)', async () => {
    expect(await ls({ output: 'name' })).toEqual(['orders', 'stg_events', 'countries', 'raw.events', 'assert_no_negative', 'not_null_stg_events_id', 'orders_keeps_ids']);
  });

  it('--output path: original_file_path', async () => {
    expect(await ls({ output: 'path' }, { select: ['stg_events', 'source:raw', 'countries'], indirectSelection: 'empty' })).toEqual(['models/staging/stg_events.sql', 'seeds/countries.csv', 'models/staging/sources.yml']);
  });

  it("--output json: one object per line with dbt's ALLOWED_KEYS in dbt's order", async () => {
    const lines = await ls({ output: 'json' }, { select: ['orders', 'source:raw.events', 'countries'], indirectSelection: 'empty' });
    const rows = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(Object.keys(rows[0] ?? {})).toEqual(['name', 'resource_type', 'package_name', 'original_file_path', 'unique_id', 'alias', 'config', 'tags', 'depends_on']);
    expect(rows[0]).toMatchObject({
      name: 'orders',
      resource_type: 'model',
      package_name: 'my_project',
      original_file_path: 'models/marts/orders.sql',
      unique_id: 'model.my_project.orders',
      alias: 'orders',
      tags: ['daily'],
      // dbt links sources before refs (process_sources runs first): sources lead depends_on.
      depends_on: { nodes: ['source.my_project.raw.events', 'model.my_project.stg_events'], macros: [] },
    });
    expect(rows[0]?.config).toMatchObject({ enabled: true, materialized: 'table', tags: ['daily'], 'post-hook': [], 'pre-hook': [] });
    // A seed depends on macros only; a source has source_name and no alias.
    expect(rows[1]).toMatchObject({ unique_id: 'seed.my_project.countries', depends_on: { macros: [] } });
    expect(rows[1]?.depends_on).not.toHaveProperty('nodes');
    expect(Object.keys(rows[2] ?? {})).toEqual(['name', 'resource_type', 'package_name', 'original_file_path', 'unique_id', 'source_name', 'tags', 'config']);
    expect(rows[2]).toMatchObject({ name: 'events', source_name: 'raw', unique_id: 'source.my_project.raw.events' });
  });

  it('--resource-type filters; all adds analyses; -m lists models only', async () => {
    expect(await ls({ output: 'name' }, { resourceTypes: ['test', 'unit_test'] })).toEqual(['assert_no_negative', 'not_null_stg_events_id', 'orders_keeps_ids']);
    // dbt 1.11's analysis fqn has an `analysis` segment (dbt-core's list/test_list.py: `test.analysis.a`).
    expect(await ls({ output: 'selector' }, { resourceTypes: ['analysis'] })).toEqual(['my_project.analysis.adhoc']);
    expect((await ls({ output: 'name' }, { resourceTypes: ['all'] }))[0]).toBe('adhoc');
    expect(await ls({ output: 'name', modelsFlag: true }, { select: ['stg_events+'] })).toEqual(['orders', 'stg_events']);
  });

  it('the CLI: --output json --output-keys in their order (nested config.materialized), --resource-types, nothing else on stdout', async () => {
    const env = { HOME: dir };
    const keyed = await runTsdbt(['ls', '--project-dir', dir, '--resource-types', 'model', 'seed', '--output', 'json', '--output-keys', 'resource_type name', 'config.materialized'], { env });
    expect(keyed.code, keyed.stderr).toBe(0);
    expect(keyed.stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
      { resource_type: 'model', name: 'orders', 'config.materialized': 'table' },
      { resource_type: 'model', name: 'stg_events', 'config.materialized': 'view' },
      { resource_type: 'seed', name: 'countries', 'config.materialized': 'seed' },
    ]);
    // dbt prints its FoundStats line when its `which` is not "list": for `ls`, not for `list` (compilation.py); on stderr here.
    expect(keyed.stderr).toMatch(/Found 2 models, 1 analysis, 2 data tests, 1 seed, 1 source, \d+ macros, 1 unit test\n/);
    const commas = await runTsdbt(['list', '--project-dir', dir, '-s', 'countries', '--output', 'json', '--output-keys', 'name,unique_id'], { env });
    expect(commas.stdout.trim()).toBe('{"name":"countries","unique_id":"seed.my_project.countries"}');
    expect(commas.stderr).not.toContain('Found ');
    const bad = await runTsdbt(['ls', '--project-dir', dir, '--resource-type', 'modle'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown resource type 'modle'");
  });
});
