// `overrides:` on a source property entry (dbt's docs, resource-properties/overrides: "Override a
// source defined in an included package. The properties defined in the overriding source will be
// applied on top of the base properties of the overridden source"): the root project supplies the
// database, schema and freshness of a package's source, and a table's columns and tests; the
// entry declares no source of its own. Two overrides of one source are refused, and an override
// naming nothing is warned about, as in dbt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineParseError, offlineProject, type OfflineProject } from '../support/offline-project.js';
import { MINIMAL_PROJECT_YML, removeDir } from '../support/testdir.js';

const PACKAGE = {
  'dbt_packages/github_source/dbt_project.yml': 'name: github_source\nversion: "1.0.0"\nconfig-version: 2\n',
  'dbt_packages/github_source/models/src_github.yml': `version: 2
sources:
  - name: github
    schema: github_default
    loader: fivetran
    freshness:
      error_after: {count: 3, period: hour}
    tables:
      - name: issue
        identifier: issue_raw
        columns:
          - name: id
            data_tests: [unique, not_null]
      - name: repository
        loaded_at_field: _fivetran_synced
`,
};

const OVERRIDE = `version: 2
sources:
  - name: github
    overrides: github_source
    database: raw
    schema: github_data
    freshness:
      error_after: {count: 3, period: day}
    tables:
      - name: issue
        columns:
          - name: id
            data_tests: [unique]
`;

describe('source overrides (overrides: <package>)', () => {
  let project: OfflineProject;
  let manifest: { sources: Record<string, Record<string, unknown>>; nodes: Record<string, Record<string, unknown>> };
  beforeAll(async () => {
    project = await offlineProject({ 'dbt_project.yml': MINIMAL_PROJECT_YML, ...PACKAGE, 'models/src_github.yml': OVERRIDE }, 'parse');
    manifest = project.manifest();
  });
  afterAll(() => removeDir(project.dir));

  it("applies the entry's keys on top of the package's source, which keeps the rest", () => {
    expect(Object.keys(manifest.sources).sort()).toEqual(['source.github_source.github.issue', 'source.github_source.github.repository']);
    expect(manifest.sources['source.github_source.github.issue']).toMatchObject({ database: 'raw', schema: 'github_data', identifier: 'issue_raw', loader: 'fivetran', relation_name: '"raw"."github_data"."issue_raw"' });
    expect(manifest.sources['source.github_source.github.repository']).toMatchObject({
      schema: 'github_data',
      loaded_at_field: '_fivetran_synced',
      freshness: { error_after: { count: 3, period: 'day' } },
    });
  });

  it("replaces a table's columns and their tests with the override's", () => {
    const tests = Object.values(manifest.nodes).filter((n) => n.resource_type === 'test').map((n) => n.name).sort();
    expect(tests).toEqual(['source_unique_github_issue_id']);
  });

  it('warns about an override naming no source of the package', async () => {
    const stray = await offlineProject({ 'dbt_project.yml': MINIMAL_PROJECT_YML, ...PACKAGE, 'models/src_github.yml': OVERRIDE.replace('- name: issue', '- name: issues') }, 'parse');
    expect(stray.output).toMatch(/During parsing, dbt encountered source overrides that had no target:\n.*  - Source table github_source\.github\.issues \(in models\/src_github\.yml\)/);
    removeDir(stray.dir);
  });

  it('refuses two overrides of one source', async () => {
    const error = await offlineParseError({ 'dbt_project.yml': MINIMAL_PROJECT_YML, ...PACKAGE, 'models/a.yml': OVERRIDE, 'models/b.yml': OVERRIDE });
    expect(error).toContain('dbt found two schema.yml entries for the same source named github in package github_source');
    expect(error).toContain(' - models/a.yml\n - models/b.yml');
  });
});
