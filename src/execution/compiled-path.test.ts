import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ManifestNode } from '../manifest/types.js';
import { compiledPath, compiledPaths } from './compiled-path.js';

describe('compiledPath', () => {
  it("gives path.join's path: target/<kind>/<package>/<original path>[/<test file>], odd paths included", () => {
    const nodes = [
      { name: 'a', package_name: 'p', original_file_path: 'models/sub/a.sql', resource_type: 'model', path: 'sub/a.sql' },
      { name: 'not_null_a_id', package_name: 'p', original_file_path: 'models/schema.yml', resource_type: 'test', test_metadata: { name: 'not_null' }, path: 'not_null_a_id.sql' },
      { name: 'ut', package_name: 'dep', original_file_path: 'models/schema.yml', resource_type: 'unit_test', path: 'ut.sql' },
      { name: 'x', package_name: 'p', original_file_path: './models/../a//x.sql', resource_type: 'model', path: 'x.sql' },
      { name: 'y', package_name: '..', original_file_path: 'models/y.yml/', resource_type: 'test', test_metadata: {}, path: 'a/b/../y.sql' },
    ] as unknown as ManifestNode[];
    for (const targetDir of ['/work/project/target', 'target', '.', '/', '', 'a/..', '../other/target/'])
      for (const kind of ['compiled', 'run'] as const)
        for (const node of nodes) {
          const file = node.test_metadata ? path.posix.basename(node.path) : path.posix.join(path.posix.dirname(node.original_file_path), `${node.name}.sql`);
          const rel = node.test_metadata || node.resource_type === 'unit_test' ? path.posix.join(node.original_file_path, file) : node.original_file_path;
          expect(compiledPath(targetDir, kind, node)).toBe(path.join(targetDir, kind, node.package_name, rel));
          // Both of compile's paths at once: the same as two compiledPath calls.
          expect(compiledPaths([targetDir, 'target'], kind, node)).toEqual([path.join(targetDir, kind, node.package_name, rel), path.join('target', kind, node.package_name, rel)]);
        }
    expect(compiledPath('target', 'compiled', nodes[1] as ManifestNode)).toBe('target/compiled/p/models/schema.yml/not_null_a_id.sql');
    // dbt's unit test path (get_pseudo_test_path) repeats the property file's folder: dbt-core's TestUnitTestSubfolderPath.
    expect(compiledPath('target', 'compiled', nodes[2] as ManifestNode)).toBe('target/compiled/dep/models/schema.yml/models/ut.sql');
  });
});
