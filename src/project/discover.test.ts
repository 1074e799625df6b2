// discoverProject walks each folder once, however many resource paths name it (docs-paths
// defaults to all of them), and gives the same files, absolute paths and searched folders as a
// walk per path would.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProjectConfig } from '../config/types.js';
import { discoverProject, sqlFile } from './discover.js';

describe('discoverProject', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-discover-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  for (const [file, text] of Object.entries({ 'models/b.sql': 'select 1', 'models/a.sql': 'select 2', 'models/sub/c.sql': 'select 3', 'models/sub/overview.md': '{% docs x %}x{% enddocs %}', 'models/props.yml': 'version: 2\n', 'macros/m.sql': '' })) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  const config = { projectDir: root, modelPaths: ['models/'], seedPaths: [], macroPaths: ['macros'], testPaths: [], snapshotPaths: [], analysisPaths: [], docsPaths: ['models', 'macros'], targetPath: 'target', logPath: 'logs', packagesInstallPath: 'dbt_packages' } as unknown as ProjectConfig;

  it('finds each file once per kind, in order, with its absolute path, and lists a folder searched under each path naming it', () => {
    const project = discoverProject(config);
    expect(project.files.map((f) => [f.kind, f.path, f.resourceDir])).toEqual([
      ['model', 'models/a.sql', 'models'],
      ['model', 'models/b.sql', 'models'],
      ['yaml', 'models/props.yml', 'models'],
      ['model', 'models/sub/c.sql', 'models'],
      ['macro', 'macros/m.sql', 'macros'],
      ['docs', 'models/sub/overview.md', 'models'],
    ]);
    for (const f of project.files) expect(f.absPath).toBe(path.resolve(root, f.path));
    expect(project.files[0]?.content).toBe('select 2');
    const models = [path.join(root, 'models'), path.join(root, 'models/sub')];
    expect(project.dirs).toEqual([...models, path.join(root, 'macros'), ...models, path.join(root, 'macros')]);
  });

  it('finds the macro files alone, in the same order, and a SQL file by its kind and path without a walk', () => {
    for (const [file, text] of Object.entries({ 'tests/generic/g.sql': '{% test g(model) %}{% endtest %}', 'tests/one.sql': 'select 1', 'macros/z/n.sql': '' })) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
    const withTests = { ...config, testPaths: ['tests'] };
    const all = discoverProject(withTests).files;
    const macros = discoverProject(withTests, { macrosOnly: true }).files;
    expect(macros.map((f) => [f.kind, f.path, f.resourceDir, f.absPath])).toEqual(all.filter((f) => f.kind === 'macro').map((f) => [f.kind, f.path, f.resourceDir, f.absPath]));
    expect(macros.map((f) => f.path)).toEqual(['macros/m.sql', 'macros/z/n.sql', 'tests/generic/g.sql']);
    for (const found of all.filter((f) => f.kind === 'model' || f.kind === 'test')) {
      const file = sqlFile(withTests, found.kind, found.path);
      expect([file?.kind, file?.path, file?.resourceDir, file?.absPath, file?.content]).toEqual([found.kind, found.path, found.resourceDir, found.absPath, found.content]);
    }
    expect(sqlFile(withTests, 'model', 'elsewhere/x.sql')).toBeNull();
    expect(sqlFile(withTests, 'seed', 'models/a.sql')).toBeNull();
  });
});
