// dbt's model governance ("Model access", "groups" in dbt's docs): a model with `access: private`
// may be ref'd only by nodes of its group (a generic test belongs to the group of the model it is
// attached to; an exposure belongs to none), `access` is private, protected or public, an ephemeral
// model cannot be public, and a `group` must be declared. dbt refuses each at parse with the
// messages asserted here (DbtReferenceError, InvalidAccessTypeError, "Invalid group").
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const PROFILES = 'demo:\n  target: dev\n  outputs:\n    dev: {type: pglite, path: memory, schema: main}\n';
const GROUPS = `version: 2
groups:
  - name: finance
    owner: {email: finance@example.com}
  - name: marketing
    owner: {email: marketing@example.com}
models:
  - name: ledger
    access: private
    config: {group: finance}
    columns:
      - name: id
        data_tests: [unique, not_null]
  - name: finance_report
    config: {group: finance}
`;
const BASE = {
  'dbt_project.yml': MINIMAL_PROJECT_YML,
  'profiles.yml': PROFILES,
  'models/ledger.sql': 'select 1 as id\n',
  'models/finance_report.sql': "select id from {{ ref('ledger') }}\n",
  'models/groups.yml': GROUPS,
  // A singular test of the group may read it too.
  'tests/ledger_positive.sql': "{{ config(group='finance') }}\nselect id from {{ ref('ledger') }} where id < 0\n",
};

async function parse(files: Record<string, string>) {
  const dir = testdir(files);
  try {
    const result = await runTsdbt(['parse', '--project-dir', dir, '--profiles-dir', dir]);
    const manifest = result.code === 0 ? (JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { depends_on: { nodes: string[] }; group: string | null }>; group_map: Record<string, string[]> }) : undefined;
    return { ...result, out: result.stdout + result.stderr, manifest };
  } finally {
    removeDir(dir);
  }
}

describe('model access and groups', () => {
  it("lets the private model's group, and its own generic tests, read it", async () => {
    const result = await parse(BASE);
    expect(result.code, result.out).toBe(0);
    expect(result.manifest?.nodes['model.demo.finance_report']?.depends_on.nodes).toEqual(['model.demo.ledger']);
    const tests = Object.entries(result.manifest?.nodes ?? {}).filter(([id]) => id.startsWith('test.demo.'));
    expect(tests.map(([id]) => id.split('.')[2]).sort()).toEqual(['ledger_positive', 'not_null_ledger_id', 'unique_ledger_id']);
    // manifest.json: a generic test's `group` is its model's (dbt's "Generic test node inherits
    // attached node's group"), even where the test's own config names another.
    const groups = Object.fromEntries(tests.map(([id, node]) => [id.split('.')[2] ?? id, node.group] as const));
    expect(groups).toEqual({ ledger_positive: 'finance', not_null_ledger_id: 'finance', unique_ledger_id: 'finance' });
    // dbt's group_map: every declared group, with the nodes in it (tests by their model's group).
    const groupMap = Object.fromEntries(Object.entries(result.manifest?.group_map ?? {}).map(([g, ids]) => [g, ids.map((id) => id.split('.').slice(0, 3).join('.')).sort()]));
    expect(groupMap).toEqual({ finance: ['model.demo.finance_report', 'model.demo.ledger', 'test.demo.ledger_positive', 'test.demo.not_null_ledger_id', 'test.demo.unique_ledger_id'], marketing: [] });
    const own = await parse({ ...BASE, 'models/groups.yml': GROUPS.replace('data_tests: [unique, not_null]', 'data_tests: [unique, {not_null: {config: {group: marketing}}}]'), 'models/free.sql': 'select 1 as id\n', 'models/free.yml': 'version: 2\nmodels:\n  - name: free\n    columns:\n      - name: id\n        data_tests: [unique]\n' });
    expect(own.code, own.out).toBe(0);
    const groupOf = (name: string) => Object.entries(own.manifest?.nodes ?? {}).find(([id]) => id.startsWith(`test.demo.${name}`))?.[1].group;
    expect(groupOf('not_null_ledger_id')).toBe('finance');
    expect(groupOf('unique_free_id')).toBeNull();
  });

  it('checks the refs to a model again when an edit gives it another group (partial parse)', async () => {
    const dir = testdir(BASE);
    try {
      const first = await runTsdbt(['parse', '--project-dir', dir, '--profiles-dir', dir]);
      expect(first.code, first.stdout + first.stderr).toBe(0);
      // ledger's own config() now puts it in marketing: finance_report (finance) may no longer read it.
      writeFileSync(path.join(dir, 'models/ledger.sql'), "{{ config(group='marketing') }}\nselect 1 as id\n");
      const second = await runTsdbt(['parse', '--project-dir', dir, '--profiles-dir', dir]);
      expect(second.code, second.stdout + second.stderr).toBe(2);
      expect(second.stdout + second.stderr).toContain("Node model.demo.finance_report attempted to reference node model.demo.ledger, which is not allowed because the referenced node is private to the 'marketing' group.");
    } finally {
      removeDir(dir);
    }
  });

  it("refuses a ref to a private model from another group, from no group and from an exposure, in dbt's words", async () => {
    const other = await parse({ ...BASE, 'models/campaigns.sql': "{{ config(group='marketing') }}\nselect id\nfrom {{ ref('ledger') }}\n" });
    expect(other.code, other.out).toBe(2);
    expect(other.out).toContain("Node model.demo.campaigns attempted to reference node model.demo.ledger, which is not allowed because the referenced node is private to the 'finance' group.");
    expect(other.out).toContain('models/campaigns.sql:3');

    const none = await parse({ ...BASE, 'models/loose.sql': "select id from {{ ref('ledger') }}\n" });
    expect(none.code, none.out).toBe(2);
    expect(none.out).toContain('Node model.demo.loose attempted to reference node model.demo.ledger');

    const exposure = await parse({ ...BASE, 'models/exposures.yml': 'version: 2\nexposures:\n  - name: board\n    type: dashboard\n    owner: {email: a@example.com}\n    depends_on: [ref("ledger")]\n' });
    expect(exposure.code, exposure.out).toBe(2);
    expect(exposure.out).toContain('Node exposure.demo.board attempted to reference node model.demo.ledger');
    expect(exposure.out).toContain('models/exposures.yml:3');
    expect(exposure.out).not.toMatch(/\n\s+at /);

    // Access and group set for a folder in dbt_project.yml (the docs' "+access: private" on a subfolder).
    const project = `${MINIMAL_PROJECT_YML}models:\n  demo:\n    staging:\n      +group: finance\n      +access: private\n`;
    const folder = await parse({ ...BASE, 'dbt_project.yml': project, 'models/staging/stg_payments.sql': 'select 1 as id\n', 'models/payments.sql': "select id from {{ ref('stg_payments') }}\n" });
    expect(folder.code, folder.out).toBe(2);
    expect(folder.out).toContain("Node model.demo.payments attempted to reference node model.demo.stg_payments, which is not allowed because the referenced node is private to the 'finance' group.");
  });

  it('refuses an access value dbt does not know, and a public ephemeral model', async () => {
    const bad = await parse({ ...BASE, 'models/other.sql': 'select 1 as id\n', 'models/other.yml': 'version: 2\nmodels:\n  - name: other\n    access: unsupported\n' });
    expect(bad.code, bad.out).toBe(2);
    expect(bad.out).toContain('Node model.demo.other has an invalid value (unsupported) for the access field');
    expect(bad.out).toContain('models/other.yml:3');

    const ephemeral = await parse({ ...BASE, 'models/other.sql': "{{ config(materialized='ephemeral', access='public') }}\nselect 1 as id\n" });
    expect(ephemeral.code, ephemeral.out).toBe(2);
    expect(ephemeral.out).toContain("Node model.demo.other with 'ephemeral' materialization has an invalid value (public) for the access field");
  });

  it('refuses a group no property file declares', async () => {
    const result = await parse({ ...BASE, 'models/other.sql': "{{ config(group='sales') }}\nselect 1 as id\n" });
    expect(result.code, result.out).toBe(2);
    expect(result.out).toContain("Invalid group 'sales', expected one of ['finance', 'marketing']");
  });

  it("keeps a restrict-access package's protected models to the package, and lets its public ones be read", async () => {
    const pkg = {
      'dbt_packages/vendor/dbt_project.yml': "name: vendor\nversion: '1.0.0'\nconfig-version: 2\nrestrict-access: True\n",
      'dbt_packages/vendor/models/vendor_internal.sql': 'select 1 as id\n',
      'dbt_packages/vendor/models/vendor_api.sql': "select id from {{ ref('vendor_internal') }}\n",
      'dbt_packages/vendor/models/props.yml': 'version: 2\nmodels:\n  - name: vendor_api\n    access: public\n',
    };
    const allowed = await parse({ ...BASE, ...pkg, 'models/uses_api.sql': "select id from {{ ref('vendor', 'vendor_api') }}\n" });
    expect(allowed.code, allowed.out).toBe(0);
    expect(allowed.manifest?.nodes['model.demo.uses_api']?.depends_on.nodes).toEqual(['model.vendor.vendor_api']);

    const refused = await parse({ ...BASE, ...pkg, 'models/uses_internal.sql': "select id from {{ ref('vendor', 'vendor_internal') }}\n" });
    expect(refused.code, refused.out).toBe(2);
    expect(refused.out).toContain("Node model.demo.uses_internal attempted to reference node model.vendor.vendor_internal, which is not allowed because the referenced node is protected to the 'vendor' package.");
  });
});
