// dbt refuses a second property entry for a node already patched (schemas.py parse_patch,
// DuplicatePatchPathError): two entries of one project for one enabled node, or a root entry and a
// package's entry for the package's node (the root's patches first, dbt's patch lookup falling back
// to any package). Two entries for a disabled node are accepted, as dbt accepts them.
import { describe, expect, it } from 'vitest';
import { offlineParseError, offlineProject } from '../support/offline-project.js';
import { MINIMAL_PROJECT_YML, removeDir } from '../support/testdir.js';

const PACKAGE = {
  'dbt_packages/crm/dbt_project.yml': 'name: crm\nversion: "1.0.0"\nconfig-version: 2\n',
  'dbt_packages/crm/models/stg_customers.sql': 'select 1 as id',
  'dbt_packages/crm/models/crm.yml': 'version: 2\nmodels:\n  - name: other\n  - name: stg_customers\n    description: the package says\n',
};
const ROOT_ENTRY = 'version: 2\nmodels:\n  - name: stg_customers\n    description: the root says\n';

describe('a resource described by two property entries', () => {
  it("refuses a root entry and the package's entry for the package's model, naming both files and lines", async () => {
    const err = await offlineParseError({ 'dbt_project.yml': MINIMAL_PROJECT_YML, ...PACKAGE, 'models/root.yml': ROOT_ENTRY });
    expect(err).toContain('dbt found two schema.yml entries for the same resource named stg_customers. Resources and their associated columns may only be described a single time.');
    expect(err).toContain('remove the resource entry for stg_customers in one of these files:\n - crm://models/crm.yml:4\n - demo://models/root.yml:3');
    expect(err).toMatch(/at models\/crm\.yml$/);
  });

  it('refuses two files of one project describing one model', async () => {
    const err = await offlineParseError({
      'dbt_project.yml': MINIMAL_PROJECT_YML,
      'models/orders.sql': 'select 1 as id',
      'models/a.yml': 'version: 2\nmodels:\n  - name: orders\n',
      'models/b.yml': 'version: 2\nmodels:\n  - name: other\n  - name: orders\n',
    });
    expect(err).toContain('remove the resource entry for orders in one of these files:\n - models/b.yml:4\n - models/a.yml:3');
  });

  it("refuses the root describing a package's model twice", async () => {
    const err = await offlineParseError({
      'dbt_project.yml': MINIMAL_PROJECT_YML,
      'dbt_packages/crm/dbt_project.yml': PACKAGE['dbt_packages/crm/dbt_project.yml'],
      'dbt_packages/crm/models/stg_customers.sql': 'select 1 as id',
      'models/root.yml': `${ROOT_ENTRY}  - name: stg_customers\n`,
    });
    expect(err).toContain('remove one of the resource entries for stg_customers in this file:\n - models/root.yml:3\n - models/root.yml:5');
  });

  it('accepts two entries for a disabled model, as dbt does', async () => {
    const project = await offlineProject({
      'dbt_project.yml': MINIMAL_PROJECT_YML,
      'models/orders.sql': "{{ config(enabled=false) }}\nselect 1 as id",
      'models/a.yml': 'version: 2\nmodels:\n  - name: orders\n',
      'models/b.yml': 'version: 2\nmodels:\n  - name: orders\n',
    }, 'parse');
    try {
      expect(Object.keys(project.manifest<{ disabled: Record<string, unknown> }>().disabled)).toEqual(['model.demo.orders']);
    } finally {
      removeDir(project.dir);
    }
  });

  it("lets a root entry describe a package's analysis (dbt's analysis lookup takes any package)", async () => {
    const project = await offlineProject({
      'dbt_project.yml': MINIMAL_PROJECT_YML,
      'dbt_packages/crm/dbt_project.yml': PACKAGE['dbt_packages/crm/dbt_project.yml'],
      'dbt_packages/crm/analyses/churn.sql': 'select 1 as id',
      'models/root.yml': 'version: 2\nanalyses:\n  - name: churn\n    description: from the root\n',
    }, 'parse');
    try {
      expect(project.manifest<{ nodes: Record<string, unknown> }>().nodes['analysis.crm.churn']).toMatchObject({ description: 'from the root', patch_path: 'demo://models/root.yml' });
    } finally {
      removeDir(project.dir);
    }
  });
});
