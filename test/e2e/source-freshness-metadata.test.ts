// A source with freshness criteria but neither loaded_at_field nor loaded_at_query asks for
// metadata-based freshness, which dbt-postgres (and every tsdbt adapter) cannot give: dbt warns at
// parse (FreshnessConfigProblem) and `source freshness` fails that source with "Could not compute
// freshness ..." (exit 1), where tsdbt had skipped it. And a project's collect_freshness returning
// the pre-1.5 bare table (`load_result(...).table`) still works, with dbt-adapters'
// CollectFreshnessReturnSignature warning.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const PROFILES = ['demo:', '  target: dev', '  outputs:', '    dev:', '      type: pglite', '      path: memory', '      schema: fresh', ''].join('\n');

const SOURCES = [
  'sources:',
  '  - name: raw',
  '    freshness: {warn_after: {count: 1, period: hour}}',
  '    tables:',
  '      - name: by_query',
  '        loaded_at_query: "select current_timestamp"',
  '      - name: by_metadata',
  '',
].join('\n');

interface SourcesJson {
  results: { unique_id: string; status: string; error?: string }[];
}

describe('source freshness without loaded_at_field (metadata-based)', () => {
  const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'profiles.yml': PROFILES, 'models/sources.yml': SOURCES });
  const env = { HOME: dir, DBT_PROFILES_DIR: '' };
  afterAll(() => removeDir(dir));

  it('warns at parse', async () => {
    const result = await runTsdbt(['parse', '--project-dir', dir], { env });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout + result.stderr).toContain("The configured adapter does not support metadata-based freshness. A loaded_at_field must be specified for source 'raw.by_metadata'.");
  });

  it('fails that source when freshness runs (exit 1), the others checked', async () => {
    const result = await runTsdbt(['source', 'freshness', '--project-dir', dir], { env });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const json = JSON.parse(readFileSync(path.join(dir, 'target/sources.json'), 'utf8')) as SourcesJson;
    expect(json.results.map((r) => [r.unique_id, r.status]).sort()).toEqual([
      ['source.demo.raw.by_metadata', 'runtime error'],
      ['source.demo.raw.by_query', 'pass'],
    ]);
    expect(json.results.find((r) => r.unique_id === 'source.demo.raw.by_metadata')?.error).toContain(
      "Could not compute freshness for source by_metadata: no 'loaded_at_field' provided and pglite adapter does not support metadata-based freshness checks.",
    );
  });
});

describe("a collect_freshness returning a bare table (dbt's pre-1.5 signature)", () => {
  const macro = [
    '{% macro collect_freshness(source, loaded_at_field, filter) %}',
    "  {% call statement('collect_freshness', fetch_result=True, auto_begin=False) -%}",
    '    select current_timestamp as max_loaded_at, current_timestamp as snapshotted_at',
    '  {%- endcall %}',
    "  {{ return(load_result('collect_freshness').table) }}",
    '{% endmacro %}',
  ].join('\n');
  const sources = ['sources:', '  - name: raw', '    freshness: {warn_after: {count: 1, period: hour}}', '    loaded_at_field: loaded_at', '    tables:', '      - name: events', ''].join('\n');
  const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'profiles.yml': PROFILES, 'models/sources.yml': sources, 'macros/collect_freshness.sql': macro });
  const env = { HOME: dir, DBT_PROFILES_DIR: '' };
  afterAll(() => removeDir(dir));

  it('checks the source and warns CollectFreshnessReturnSignature', async () => {
    const result = await runTsdbt(['source', 'freshness', '--project-dir', dir], { env });
    const out = result.stdout + result.stderr;
    expect(result.code, out).toBe(0);
    expect(out).toContain("The 'collect_freshness' macro signature has changed to return the full query result");
    const json = JSON.parse(readFileSync(path.join(dir, 'target/sources.json'), 'utf8')) as SourcesJson;
    expect(json.results.map((r) => [r.unique_id, r.status])).toEqual([['source.demo.raw.events', 'pass']]);
  });
});
