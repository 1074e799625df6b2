// `tsdbt source snapshot-freshness`: dbt still accepts the command's old name (a hidden copy of
// `source freshness`, dbt docs: reference/commands/source), with the same flags, output file and
// exit codes (0 when every source passes or warns, 1 when one errors).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const PROFILES = ['demo:', '  target: dev', '  outputs:', '    dev:', '      type: pglite', '      path: memory', '      schema: fresh', ''].join('\n');

const SOURCES = [
  'version: 2',
  'sources:',
  '  - name: raw',
  '    freshness: {warn_after: {count: 1, period: hour}, error_after: {count: 1, period: day}}',
  '    tables:',
  '      - name: recent',
  '        loaded_at_query: "select current_timestamp"',
  '      - name: stale',
  "        loaded_at_query: \"select current_timestamp - interval '3 day'\"",
  '',
].join('\n');

interface SourcesJson {
  results: { unique_id: string; status: string }[];
}

describe('source snapshot-freshness (the old name of source freshness)', () => {
  const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'profiles.yml': PROFILES, 'models/sources.yml': SOURCES });
  const env = { HOME: dir, DBT_PROFILES_DIR: '' };
  afterAll(() => removeDir(dir));

  it('runs the freshness check with -o and --select, exit 0 when it passes', async () => {
    const result = await runTsdbt(['source', 'snapshot-freshness', '--project-dir', dir, '-s', 'source:raw.recent', '-o', 'target/pass_source.json'], { env });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const json = JSON.parse(readFileSync(path.join(dir, 'target/pass_source.json'), 'utf8')) as SourcesJson;
    expect(json.results.map((r) => [r.unique_id, r.status])).toEqual([['source.demo.raw.recent', 'pass']]);
  });

  it('exit 1 when a selected source is past error_after', async () => {
    const result = await runTsdbt(['source', 'snapshot-freshness', '--project-dir', dir, '-o', 'target/error_source.json'], { env });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const json = JSON.parse(readFileSync(path.join(dir, 'target/error_source.json'), 'utf8')) as SourcesJson;
    expect(json.results.map((r) => [r.unique_id, r.status]).sort()).toEqual([
      ['source.demo.raw.recent', 'pass'],
      ['source.demo.raw.stale', 'error'],
    ]);
  });
});
