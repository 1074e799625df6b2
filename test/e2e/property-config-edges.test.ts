// Property-file configs at their edges, as dbt reads them (docs: "Data test configurations",
// "enabled"): a generic test's config value that renders to None (`{{ var('x', None) | as_native }}`)
// is dropped, so the project's config for data tests stays in force; an entry that sets
// `enabled: true` for a name several disabled models share cannot say which to enable.
import { describe, expect, it } from 'vitest';
import { offlineProject } from '../support/offline-project.js';
import { parseFiles } from '../support/parse-files.js';

describe('property-file configs at their edges', () => {
  it("drops a test config value rendered to None: the project's severity and enabled stay", async () => {
    const p = await offlineProject(
      {
        'dbt_project.yml': 'name: demo\nprofile: demo\ndata_tests:\n  demo:\n    +severity: warn\n',
        'models/m.sql': 'select 1 as id\n',
        'models/schema.yml': `models:
  - name: m
    columns:
      - name: id
        data_tests:
          - unique:
              config:
                severity: "{{ var('severity_direct', None) | as_native }}"
                enabled: "{{ var('enabled_direct', None) | as_native }}"
          - not_null:
              config:
                severity: "{{ var('severity_direct', 'error') }}"
`,
      },
      'parse',
    );
    const nodes = p.manifest().nodes as Record<string, { name: string; config: Record<string, unknown> }>;
    const byName = Object.fromEntries(Object.values(nodes).map((n) => [n.name, n.config]));
    expect(byName.unique_m_id?.severity).toBe('warn');
    expect(byName.unique_m_id?.enabled).toBe(true);
    expect(byName.not_null_m_id?.severity).toBe('error');
  });

  it('refuses to enable from a property file one of several disabled models of one name', async () => {
    const disabledModel = "{{ config(enabled=false) }}\nselect 1 as id\n";
    const { code, out } = await parseFiles({
      'models/a/dup.sql': disabledModel,
      'models/b/dup.sql': disabledModel,
      'models/schema.yml': 'models:\n  - name: dup\n    config: {enabled: true}\n',
    });
    expect(code).toBe(2);
    expect(out).toContain("Found 2 matching disabled nodes for model 'dup'. Multiple nodes for the same unique id cannot be enabled in the schema file.");
    const one = await parseFiles({ 'models/a/dup.sql': disabledModel, 'models/schema.yml': 'models:\n  - name: dup\n    config: {enabled: true}\n' });
    expect(one.code, one.out).toBe(0);
  });
});
