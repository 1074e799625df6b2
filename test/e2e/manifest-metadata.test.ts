// manifest.json's metadata through the CLI: dbt_project.yml's `quoting:` reaches metadata.quoting
// over the adapter's default policy (an embedded PGlite target: postgres, all quoted).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

describe('manifest.json metadata (PGlite)', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));
  const parse = async (projectYml: string) => {
    const dir = testdir({ 'dbt_project.yml': projectYml, 'models/a.sql': 'select 1 as id\n' });
    dirs.push(dir);
    const result = await runTsdbt(['parse', '--project-dir', dir]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    return (JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { metadata: Record<string, unknown> }).metadata;
  };

  it("writes the project's id, no user and the adapter's quoting, with dbt_project.yml's quoting over it", async () => {
    const plain = await parse(MINIMAL_PROJECT_YML);
    expect(plain).toMatchObject({
      project_name: 'demo',
      project_id: 'fe01ce2a7fbac8fafaed7c982a04e229', // md5('demo')
      user_id: null,
      send_anonymous_usage_stats: false,
      adapter_type: 'postgres',
      quoting: { database: true, schema: true, identifier: true, column: null },
    });
    expect(plain.run_started_at).toBe(plain.invocation_started_at);
    expect(plain.run_started_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
    const quoted = await parse(`${MINIMAL_PROJECT_YML}quoting:\n  identifier: false\n  column: true\n`);
    expect(quoted.quoting).toEqual({ database: true, schema: true, identifier: false, column: null });
  });
});
