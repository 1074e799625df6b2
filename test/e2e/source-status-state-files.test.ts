// `source_status:fresher` compares two sources.json files, the --state folder's (the earlier run)
// and this target's (the latest `source freshness`). Without either, dbt raises "No previous
// (current) state comparison freshness results in sources.json" and selects nothing: exit 2.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const PROFILES = ['demo:', '  target: dev', '  outputs:', '    dev:', '      type: pglite', '      path: memory', '      schema: fresh', ''].join('\n');
const SOURCES = ['sources:', '  - name: raw', '    loaded_at_field: loaded_at', '    freshness: {warn_after: {count: 1, period: hour}}', '    tables:', '      - name: events', ''].join('\n');
const RESULTS = JSON.stringify({ results: [{ unique_id: 'source.demo.raw.events', status: 'pass', max_loaded_at: '2024-05-01T12:00:00+00:00' }] });

describe('source_status: without a sources.json to compare', () => {
  const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'profiles.yml': PROFILES, 'models/sources.yml': SOURCES, 'models/m.sql': "select 1 as id from {{ source('raw', 'events') }}" });
  const env = { HOME: dir, DBT_PROFILES_DIR: '' };
  const ls = () => runTsdbt(['ls', '--project-dir', dir, '-s', 'source_status:fresher', '--state', 'previous_state'], { env });
  afterAll(() => removeDir(dir));

  it("refuses without the state's (previous) one", async () => {
    const result = await ls();
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stdout + result.stderr).toContain('No previous state comparison freshness results in sources.json');
  });

  it("refuses without this target's (current) one", async () => {
    mkdirSync(path.join(dir, 'previous_state'), { recursive: true });
    writeFileSync(path.join(dir, 'previous_state', 'sources.json'), RESULTS);
    rmSync(path.join(dir, 'target', 'sources.json'), { force: true });
    const result = await ls();
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stdout + result.stderr).toContain('No current state comparison freshness results in sources.json');
  });

  it('selects once both exist', async () => {
    writeFileSync(path.join(dir, 'target', 'sources.json'), RESULTS.replace('12:00:00', '13:00:00'));
    const result = await ls();
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('source:demo.raw.events');
  });
});
