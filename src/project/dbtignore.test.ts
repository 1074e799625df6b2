// A project's .dbtignore (https://docs.getdbt.com/reference/dbtignore): files its .gitignore-style
// patterns name are not found at all; dbt-core's tests/functional/basic/test_jaffle_shop.py
// writes `models/ignore*.sql` and `ignore_folder`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProjectConfig } from '../config/types.js';
import { discoverProject } from './discover.js';

describe('.dbtignore', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-dbtignore-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const files = [
    'models/keep.sql',
    'models/ignore_model1.sql',
    'models/ignore_folder/inside.sql',
    'models/deep/ignore_folder/also.sql',
    'models/stg_codegen_orders.sql',
    'models/props.yml',
    'models/path/to/folders/x/y.sql',
    'macros/m.sql',
  ];
  for (const file of files) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), 'select 1');
  }
  const config = { projectDir: root, modelPaths: ['models'], seedPaths: [], macroPaths: ['macros'], testPaths: [], snapshotPaths: [], analysisPaths: [], docsPaths: [], targetPath: 'target', logPath: 'logs', packagesInstallPath: 'dbt_packages' } as unknown as ProjectConfig;
  const found = () => discoverProject(config).files.map((f) => f.path);

  it('finds every file without one', () => {
    expect(found()).toEqual([...files.slice(0, 7)].sort().concat('macros/m.sql'));
  });

  it('skips the files its patterns name, matched against the path from the project root, as in .gitignore', () => {
    writeFileSync(path.join(root, '.dbtignore'), '# comment\nmodels/ignore*.sql\nignore_folder\n*codegen*.sql\nmodels/path/to/folders/**\n');
    expect(found()).toEqual(['models/keep.sql', 'models/props.yml', 'macros/m.sql']);
  });

  it('takes a negated pattern back', () => {
    writeFileSync(path.join(root, '.dbtignore'), 'models/*.sql\n!models/keep.sql\n');
    expect(found()).toEqual(['models/deep/ignore_folder/also.sql', 'models/ignore_folder/inside.sql', 'models/keep.sql', 'models/path/to/folders/x/y.sql', 'models/props.yml', 'macros/m.sql']);
  });
});
