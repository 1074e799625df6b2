// dbt 1.11 (behaviour flags page, "unique project resource names"): a model and a seed of one
// package with the same name warn DuplicateNameDistinctNodeTypesDeprecation by default; with
// `flags: {require_unique_project_resource_names: true}` dbt raises DuplicateResourceNameError.
import { describe, expect, it } from 'vitest';
import { MINIMAL_PROJECT_YML } from '../support/testdir.js';
import { parseFiles } from '../support/parse-files.js';

const files = { 'models/a.sql': 'select 1 as x\n', 'seeds/a.csv': 'x\n1\n' };

describe('a model and a seed named alike', () => {
  it('warn DuplicateNameDistinctNodeTypesDeprecation by default', async () => {
    const out = await parseFiles(files);
    expect(out.code, out.out).toBe(0);
    expect(out.out).toContain("Found resources with the same name 'a' in package 'demo': 'model.demo.a' and 'seed.demo.a'. Please update one of the resources to have a unique name.");
  });

  it('stop the parse with require_unique_project_resource_names: true', async () => {
    const out = await parseFiles({ ...files, 'dbt_project.yml': `${MINIMAL_PROJECT_YML}flags:\n  require_unique_project_resource_names: true\n` });
    expect(out.code).toBe(2);
    expect(out.out).toContain('dbt found two resources with the name "a".');
    expect(out.out).toContain('  - model.demo.a (models/a.sql)\n  - seed.demo.a (seeds/a.csv)');
  });
});
