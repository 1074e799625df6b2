// dbt's HookParser (core/dbt/parser/hooks.py, dbt 1.11) adds one `operation` node per
// on-run-start / on-run-end hook of the project and of each package to manifest.json's `nodes`:
// unique_id `operation.<project>.<project>-on-run-start-<index>`, fqn `[project, 'hooks', name]`,
// path `hooks/<name>.sql` (get_pseudo_hook_path), original_file_path `./dbt_project.yml`, tags the
// hook type, `index` its place in its list, checksum dbt_project.yml's, config a NodeConfig from
// the `models:` tree at that fqn, depends_on what its render called. The maps and the `graph`
// templates read list them; `ls` never lists an operation (ListTask's resource types).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { offlineProject, type OfflineProject } from '../support/offline-project.js';
import { parseOrLs } from '../support/parse-or-ls.js';
import { removeDir } from '../support/testdir.js';

const PROJECT = [
  'name: demo',
  'config-version: 2',
  'profile: demo',
  'models:',
  '  demo:',
  '    +meta: {owner: data}',
  'on-run-start:',
  '  - create table if not exists audit (x int)',
  "  - \"select count(*) from {{ ref('m') }} where {{ dbt.current_timestamp() }} is not null\"",
  "on-run-end: \"{{ log('done', info=True) }}\"",
  '',
].join('\n');

type Node = Record<string, unknown> & { depends_on: { nodes: string[]; macros: string[] }; config: Record<string, unknown> };

describe("project hooks are manifest.json's operation nodes, as dbt's HookParser makes them", () => {
  let project: OfflineProject;
  afterAll(() => project && removeDir(project.dir));

  it('writes one node per hook of the project and of a package, with dbt’s fields', async () => {
    project = await offlineProject(
      {
        'dbt_project.yml': PROJECT,
        'models/m.sql': 'select 1 as id\n',
        'macros/show_hooks.sql': "{% macro show_hooks() %}{% for id, n in graph.nodes.items() if n.resource_type == 'operation' %}{{ log('graph: ' ~ id ~ ' ' ~ n.index, info=True) }}{% endfor %}{% endmacro %}\n",
        'dbt_packages/pkg/dbt_project.yml': 'name: pkg\nconfig-version: 2\non-run-end: [select 2]\n',
      },
      'parse',
    );
    const manifest = project.manifest<{ nodes: Record<string, Node>; parent_map: Record<string, string[]>; child_map: Record<string, string[]> }>();
    const ids = Object.keys(manifest.nodes).filter((id) => id.startsWith('operation.'));
    expect(ids.sort()).toEqual(['operation.demo.demo-on-run-end-0', 'operation.demo.demo-on-run-start-0', 'operation.demo.demo-on-run-start-1', 'operation.pkg.pkg-on-run-end-0']);

    const checksum = createHash('sha256').update(readFileSync(path.join(project.dir, 'dbt_project.yml'), 'utf8').trim()).digest('hex');
    const start1 = manifest.nodes['operation.demo.demo-on-run-start-1'] as Node;
    expect(start1).toMatchObject({
      resource_type: 'operation',
      package_name: 'demo',
      name: 'demo-on-run-start-1',
      alias: 'demo-on-run-start-1',
      path: 'hooks/demo-on-run-start-1.sql',
      original_file_path: './dbt_project.yml',
      fqn: ['demo', 'hooks', 'demo-on-run-start-1'],
      raw_code: "select count(*) from {{ ref('m') }} where {{ dbt.current_timestamp() }} is not null",
      language: 'sql',
      checksum: { name: 'sha256', checksum },
      tags: ['on-run-start'],
      index: 1,
      relation_name: null,
      refs: [{ name: 'm', package: null, version: null }],
      depends_on: { nodes: ['model.demo.m'], macros: ['macro.dbt.current_timestamp'] },
      meta: { owner: 'data' },
    });
    // dbt's NodeConfig, with the `models:` tree's config at the hook's fqn.
    expect(start1.config).toMatchObject({ materialized: 'view', enabled: true, meta: { owner: 'data' } });
    expect(manifest.nodes['operation.demo.demo-on-run-end-0']).toMatchObject({ tags: ['on-run-end'], index: 0, depends_on: { nodes: [], macros: [] } });
    expect(manifest.nodes['operation.pkg.pkg-on-run-end-0']).toMatchObject({ package_name: 'pkg', fqn: ['pkg', 'hooks', 'pkg-on-run-end-0'], raw_code: 'select 2' });

    expect(manifest.parent_map['operation.demo.demo-on-run-start-1']).toEqual(['model.demo.m']);
    expect(manifest.child_map['model.demo.m']).toContain('operation.demo.demo-on-run-start-1');
    // dbt's FoundStats counts them from the manifest's nodes.
    expect(project.output).toMatch(/Found 1 model, 4 operations, \d+ macros/);
  });

  it('`ls` lists none of them, even by their tag; `graph.nodes` has them', async () => {
    const ls = await parseOrLs(project.dir, 'ls', { select: ['tag:on-run-start', 'package:pkg', 'demo'] });
    expect(ls.lines.filter((l) => /^\S+$/.test(l))).toEqual(['m']);
    const { runOperationCommand } = await import('../../src/app/run-operation.js');
    const { testInvocation } = await import('../support/test-invocation.js');
    const { inv, lines } = testInvocation(project.dir, {});
    expect(await runOperationCommand(inv, { macro: 'show_hooks' })).toBe(0);
    expect(lines.filter((l) => l.includes('graph: ')).map((l) => l.replace(/^.*graph: /, ''))).toEqual([
      'operation.demo.demo-on-run-start-0 0',
      'operation.demo.demo-on-run-start-1 1',
      'operation.demo.demo-on-run-end-0 0',
      'operation.pkg.pkg-on-run-end-0 0',
    ]);
  });
});
