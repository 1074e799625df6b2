// A hook written as JSON text: dbt's get_hook_dict (core/dbt/hooks.py) reads every hook string
// with json.loads before taking it as SQL, so `'{"sql": "...", "transaction": false}'` is a hook
// whose SQL is the `sql` key, outside the model's transaction. dbt does it for a config's
// pre-hook / post-hook at parse (NodeConfig.__pre_deserialize__) and for each on-run-start /
// on-run-end hook's compiled code when it runs (RunTask.get_hook_sql), after writing that code to
// target/compiled/<project>/dbt_project.yml/hooks/ (Compiler._write_node).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { queryProjectPglite } from '../support/pglite-query.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const START_HOOK = `'{"sql": "create table if not exists {{ target.schema }}.from_start_hook as select 7 as seven", "transaction": false}'`;

describe('hooks written as JSON text', () => {
  const dir = testdir({
    'dbt_project.yml': `${MINIMAL_PROJECT_YML}on-run-start:\n  - "create schema if not exists {{ target.schema }}"\n  - ${START_HOOK}\n`,
    'models/m.sql': `{{ config(materialized='table', post_hook='{"sql": "insert into {{ this }} values (2)", "transaction": false}') }}\nselect seven as n from {{ target.schema }}.from_start_hook\n`,
  });
  afterAll(() => removeDir(dir));

  it('runs the JSON text\'s sql, and writes the hook\'s compiled code to target/compiled', async () => {
    const result = await runTsdbt(['run', '--project-dir', dir]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await queryProjectPglite(dir, 'select seven from analytics.from_start_hook')).toEqual([{ seven: 7 }]);
    expect((await queryProjectPglite(dir, 'select n from analytics.m order by n')).map((r) => r.n)).toEqual([2, 7]);
    const compiled = path.join(dir, 'target/compiled/demo/dbt_project.yml/hooks/demo-on-run-start-1.sql');
    expect(existsSync(compiled)).toBe(true);
    expect(JSON.parse(readFileSync(compiled, 'utf8'))).toEqual({ sql: 'create table if not exists analytics.from_start_hook as select 7 as seven', transaction: false });
  });

  it("reads a config's JSON hook text as dbt's Hook in manifest.json", () => {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { config: Record<string, unknown> }> };
    expect(manifest.nodes['model.demo.m']?.config['post-hook']).toEqual([{ sql: 'insert into {{ this }} values (2)', transaction: false, index: null }]);
  });
});
