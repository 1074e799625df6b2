// A snapshot block's fqn names its file, as dbt's SnapshotParser.get_fqn gives it ("On snapshots,
// the fqn includes the filename"): `snapshots/sub/snap_file.sql` holding `{% snapshot my_snapshot %}`
// is demo.sub.snap_file.my_snapshot, so dbt_project.yml's `snapshots: demo: sub: snap_file:` configs
// reach it and `ls` prints it so; a YAML-defined snapshot's fqn is its folders and name only.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

describe('snapshot fqn', () => {
  const dir = testdir({
    'dbt_project.yml': `${MINIMAL_PROJECT_YML}snapshots:\n  demo:\n    sub:\n      snap_file:\n        +tags: [from_file]\n`,
    'models/src.sql': 'select 1 as id\n',
    'snapshots/sub/snap_file.sql':
      "{% snapshot my_snapshot %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect * from {{ ref('src') }}\n{% endsnapshot %}\n",
    'snapshots/sub/snaps.yml':
      "snapshots:\n  - name: yaml_snapshot\n    relation: ref('src')\n    config: {unique_key: id, strategy: check, check_cols: all}\n    columns:\n      - name: id\n        data_tests: [not_null]\n",
  });
  afterAll(() => removeDir(dir));

  it("puts a block's file name in its fqn (configs by that path apply), not a YAML snapshot's", async () => {
    const r = await runTsdbt(['ls', '--resource-type', 'snapshot', '--output', 'json', '--output-keys', 'name,fqn,tags', '--project-dir', dir]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const rows = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { name: string; fqn: string[]; tags: string[] })
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(rows).toEqual([
      { name: 'my_snapshot', fqn: ['demo', 'sub', 'snap_file', 'my_snapshot'], tags: ['from_file'] },
      { name: 'yaml_snapshot', fqn: ['demo', 'sub', 'yaml_snapshot'], tags: [] },
    ]);
    const plain = await runTsdbt(['ls', '-s', 'demo.sub.snap_file', '--project-dir', dir]);
    expect(plain.stdout.split('\n').filter((l) => l.startsWith('demo.'))).toEqual(['demo.sub.snap_file.my_snapshot']);
  });

  // dbt's YAML snapshot node has path `<property file>/<name>.sql`; its generic tests' compiled
  // files go under the property file's folder (get_target_write_path), while the snapshot's own
  // compiled code is written nowhere: dbt's Compiler._write_node writes no snapshot nor seed.
  it("writes a YAML snapshot's tests' compiled files under the property file's folder, not the snapshot's", async () => {
    const r = await runTsdbt(['compile', '--project-dir', dir]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const compiled = path.join(dir, 'target/compiled/demo/snapshots/sub/snaps.yml');
    expect(readFileSync(path.join(compiled, 'not_null_yaml_snapshot_id.sql'), 'utf8')).toMatch(/where id is null/);
    expect(existsSync(path.join(compiled, 'sub/snaps.yml/yaml_snapshot.sql'))).toBe(false);
    expect(existsSync(path.join(dir, 'target/compiled/demo/snapshots/sub/snap_file.sql'))).toBe(false);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { path: string }> };
    expect(manifest.nodes['snapshot.demo.yaml_snapshot']?.path).toBe('sub/snaps.yml/yaml_snapshot.sql');
  });
});
