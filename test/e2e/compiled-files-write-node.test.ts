// Which nodes' compiled code lands in target/compiled, in every command that compiles: dbt's
// Compiler._write_node (compilation.py) returns early for a seed or a snapshot and writes only a
// node whose compiled code is not empty; only then is the node's compiled_path set, and dbt's run
// summary names "compiled code at <compiled_path>" only for a node that has one (task/printer.py).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const FILES = {
  'dbt_project.yml': MINIMAL_PROJECT_YML,
  'seeds/s.csv': 'id\n1\n',
  'models/m.sql': "select id from {{ ref('s') }}\n",
  'models/blank.sql': '\n',
  'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
  'snapshots/snap.sql': "{% snapshot snap %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect * from {{ ref('m') }}\n{% endsnapshot %}\n",
  'snapshots/broken.sql': "{% snapshot broken %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect * from no_such_table\n{% endsnapshot %}\n",
};

/** Every file under `dir`, relative to it, sorted. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

type Nodes = Record<string, { compiled_code?: string | null; compiled_path?: string | null }>;

describe("target/compiled holds what dbt's _write_node writes", () => {
  const dir = testdir(FILES);
  afterAll(() => removeDir(dir));
  const compiled = path.join(dir, 'target', 'compiled', 'demo');

  it('compile: no file (nor compiled_path) for a snapshot or an empty model', async () => {
    const r = await runTsdbt(['compile', '--exclude', 'broken', '--project-dir', dir]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(filesUnder(compiled)).toEqual(['models/m.sql', 'models/schema.yml/not_null_m_id.sql']);
    const nodes = (JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Nodes }).nodes;
    expect(nodes['model.demo.m']?.compiled_path).toBe('target/compiled/demo/models/m.sql');
    expect(nodes['snapshot.demo.snap']?.compiled_code).toMatch(/select \* from .*"m"/);
    expect(nodes['snapshot.demo.snap']?.compiled_path ?? null).toBeNull();
    expect(nodes['model.demo.blank']?.compiled_path ?? null).toBeNull();
  });

  it('build: the same files; a failed snapshot names no compiled code', async () => {
    const r = await runTsdbt(['build', '--full-refresh', '--project-dir', dir]);
    // broken's select fails: the build's exit code is 1, every other node passes.
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/Failure in snapshot broken/);
    expect(r.stdout).not.toMatch(/compiled code at target\/compiled\/demo\/snapshots/);
    expect(filesUnder(compiled)).toEqual(['models/m.sql', 'models/schema.yml/not_null_m_id.sql']);
    // target/run is the statement('main') macro's write, made before the statement runs: both snapshots'.
    expect(filesUnder(path.join(dir, 'target', 'run', 'demo', 'snapshots'))).toEqual(['broken.sql', 'snap.sql']);
  });
});
