// dbt 1.11 (behaviour flags page, "unique project resource names"): a model and a seed of one
// package with the same name warn DuplicateNameDistinctNodeTypesDeprecation by default; with
// `flags: {require_unique_project_resource_names: true}` dbt raises DuplicateResourceNameError.
import { describe, expect, it } from 'vitest';
import { MINIMAL_PROJECT_YML } from '../support/testdir.js';
import { parseFiles } from '../support/parse-files.js';

// Aliased apart, as dbt's own tests do: one relation for both is an AmbiguousAliasError (below).
const files = {
  'models/a.sql': 'select 1 as x\n',
  'seeds/a.csv': 'x\n1\n',
  'macros/generate_alias_name.sql': '{% macro generate_alias_name(custom_alias_name, node) -%}\n    {{ node.name }}_{{ node.resource_type }}\n{%- endmacro %}\n',
};

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

describe('two nodes naming one relation', () => {
  it("stop the parse with dbt's AmbiguousAliasError, a model and a seed alike", async () => {
    const out = await parseFiles({ 'models/a.sql': 'select 1 as x\n', 'models/b.sql': "{{ config(alias='a') }}\nselect 2 as x\n" });
    expect(out.code).toBe(2);
    expect(out.out).toContain('Compilation Error');
    expect(out.out).toMatch(/dbt found two resources with the database representation ""[^"]+"\."[^"]+"\."a""\./);
    expect(out.out).toContain('- model.demo.a (models/a.sql)');
    expect(out.out).toContain('- model.demo.b (models/b.sql)');
    const seed = await parseFiles({ 'models/a.sql': 'select 1 as x\n', 'seeds/a.csv': 'x\n1\n' });
    expect(seed.code).toBe(2);
    expect(seed.out).toContain('- seed.demo.a (seeds/a.csv)');
  });
});
