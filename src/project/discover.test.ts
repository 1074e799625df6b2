// discoverProject walks each folder once, however many resource paths name it (docs-paths
// defaults to all of them), and gives the same files, absolute paths and searched folders as a
// walk per path would.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProjectConfig } from '../config/types.js';
import { discoverProject } from './discover.js';

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
});
