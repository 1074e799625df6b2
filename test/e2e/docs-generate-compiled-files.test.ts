// dbt's `docs generate` runs the compile task first unless `--no-compile` (task/docs/generate.py
// GenerateTask.run calls CompileTask.run), and its compiler writes each compiled node's SQL under
// target/compiled as `dbt compile` does (compilation.py compile_node with write=True, _write_node):
// target/compiled/<package>/<original_file_path>[/<path>], none for a seed or a snapshot nor for a
// node whose compiled code is empty; the node's compiled_path names the file in manifest.json.
// `--no-compile` compiles nothing, so writes no file.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docsGenerateCommand } from '../../src/app/docs-command.js';
import { createInvocation } from '../../src/app/invocation.js';
import { MEMORY_PROFILE } from '../support/offline-project.js';
import { removeDir, testdir } from '../support/testdir.js';

const FILES = {
  'profiles.yml': MEMORY_PROFILE,
  'dbt_project.yml': `name: demo\nprofile: demo\non-run-start: ${JSON.stringify(["select count(*) from {{ ref('m') }}", "{{ log('nothing to run', info=False) }}"])}\n`,
  'seeds/s.csv': 'id\n1\n',
  'models/m.sql': "select id from {{ ref('s') }}\n",
  'models/eph.sql': "{{ config(materialized='ephemeral') }}\nselect 2 as id\n",
  'models/uses_eph.sql': "select * from {{ ref('eph') }}\n",
  'models/blank.sql': '\n',
  'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
  'analyses/a.sql': "select * from {{ ref('m') }}\n",
  'snapshots/snap.sql': "{% snapshot snap %}\n{{ config(unique_key='id', strategy='check', check_cols='all', target_schema='snaps') }}\nselect * from {{ ref('m') }}\n{% endsnapshot %}\n",
};

/** Every file under `dir`, relative to it, sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

describe('docs generate writes target/compiled as dbt’s compile task does', () => {
  const dir = testdir(FILES);
  afterAll(() => removeDir(dir));
  const generate = (compile: boolean) => docsGenerateCommand(createInvocation({ projectDir: dir, write: () => {}, env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir } }), { compile, emptyCatalog: true });

  it('--no-compile writes no compiled file', async () => {
    expect(await generate(false)).toBe(0);
    expect(existsSync(path.join(dir, 'target', 'compiled'))).toBe(false);
  });

  it("writes each compiled node's SQL, but a seed's, a snapshot's or an empty one's, and names it in compiled_path", async () => {
    expect(await generate(true)).toBe(0);
    const compiled = path.join(dir, 'target', 'compiled');
    expect(filesUnder(compiled)).toEqual([
      'demo/analyses/a.sql',
      'demo/dbt_project.yml/hooks/demo-on-run-start-0.sql',
      'demo/models/eph.sql',
      'demo/models/m.sql',
      'demo/models/schema.yml/not_null_m_id.sql',
      'demo/models/uses_eph.sql',
    ]);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { compiled_code?: string | null; compiled_path?: string | null }> };
    const m = manifest.nodes['model.demo.m'];
    expect(m?.compiled_path).toBe('target/compiled/demo/models/m.sql');
    expect(readFileSync(path.join(compiled, 'demo/models/m.sql'), 'utf8')).toBe(m?.compiled_code);
    expect(m?.compiled_code).toMatch(/^select id from "[^"]+"\."main"\."s"$/);
    expect(readFileSync(path.join(compiled, 'demo/models/uses_eph.sql'), 'utf8')).toContain('__dbt__cte__eph as (');
    expect(manifest.nodes['snapshot.demo.snap']?.compiled_path ?? null).toBeNull();
  });
});
