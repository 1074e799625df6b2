// A root property file testing a package's model (dbt-kustomer's integration tests: its
// `models/source_vs_expected.yml` puts dbt_utils.equality under the package's
// `stg_kustomer__customers`). dbt looks a property entry's node up in its own package, then in any
// package (schemas.py: ref_lookup.get_unique_id(name, project) or get_unique_id(name, None)), and
// builds the entry's tests on ref(name); the tests belong to the package of the file declaring them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineProject, type OfflineProject } from '../support/offline-project.js';
import { MINIMAL_PROJECT_YML, removeDir } from '../support/testdir.js';

const PACKAGE = {
  'dbt_packages/crm/dbt_project.yml': 'name: crm\nversion: "1.0.0"\nconfig-version: 2\n',
  'dbt_packages/crm/models/stg_customers.sql': 'select 1 as id',
};

const ROOT_YML = `version: 2
models:
  - name: stg_customers
    description: Customers, as the package stages them
    config:
      tags: [from_root]
    data_tests:
      - dbt_utils_like_rowcount
    columns:
      - name: id
        data_tests: [not_null]
  - name: no_such_model
    columns:
      - name: id
        data_tests: [unique]
`;

const ROWCOUNT = '{% test dbt_utils_like_rowcount(model) %}select 1 where false{% endtest %}';

describe("a root property file's tests on a package's model", () => {
  let project: OfflineProject;
  let nodes: Record<string, { package_name: string; depends_on: { nodes: string[] }; test_metadata?: { name: string }; description?: string; patch_path?: string | null; tags?: string[]; columns?: Record<string, unknown> }>;
  beforeAll(async () => {
    project = await offlineProject({ 'dbt_project.yml': MINIMAL_PROJECT_YML, ...PACKAGE, 'models/package_tests.yml': ROOT_YML, 'macros/rowcount.sql': ROWCOUNT }, 'parse');
    nodes = project.manifest().nodes as typeof nodes;
  });
  afterAll(() => removeDir(project.dir));

  it("builds them on the package's model, as the root project's tests", () => {
    const tests = Object.entries(nodes).filter(([id]) => id.startsWith('test.')).map(([id, n]) => ({ id: id.replace(/\.[0-9a-f]{10}$/, ''), pkg: n.package_name, name: n.test_metadata?.name, on: n.depends_on.nodes }));
    expect(tests.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'test.demo.dbt_utils_like_rowcount_stg_customers_', pkg: 'demo', name: 'dbt_utils_like_rowcount', on: ['model.crm.stg_customers'] },
      { id: 'test.demo.not_null_stg_customers_id', pkg: 'demo', name: 'not_null', on: ['model.crm.stg_customers'] },
    ]);
  });

  it("applies the entry to the package's model: description, columns, config, and the root file as its patch_path", () => {
    const model = nodes['model.crm.stg_customers'];
    expect(model).toMatchObject({ description: 'Customers, as the package stages them', patch_path: 'demo://models/package_tests.yml', tags: ['from_root'] });
    expect(Object.keys(model?.columns ?? {})).toEqual(['id']);
  });
});
