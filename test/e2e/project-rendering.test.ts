// dbt_project.yml, property files and vars rendered as dbt renders them, checked through the CLI
// on the embedded PGlite target (no profiles.yml: target `dev`, type `postgres`):
// - dbt_project.yml of the root and of a package renders with `target`, natively ('{{ false }}' is
//   false), and an error in a package's file names that file and line;
// - a var holding a template renders when a node reads it;
// - `config:` in property files renders natively (schema, alias, tags, enabled, column_types) and
//   so does a unit test's config, so `--exclude tag:skip` sees it;
// - dictionary configs merge across levels (a seed's +column_types keeps the project's);
// - YAML as dbt reads it: merge keys, and a duplicate key keeps the last value with a warning.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsdbt, type CliResult } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const PROJECT = `name: demo
profile: demo
vars:
  two: "{{ 1 + 1 }}"
  greeting: "hello {{ target.name }}"
  audit_schema: audit
models:
  demo:
    +materialized: "{{ 'table' if target.type == 'postgres' else 'view' }}"
    by_warehouse:
      postgres:
        +enabled: "{{ target.type == 'postgres' }}"
      fabric:
        +enabled: "{{ target.type == 'fabric' }}"
    optional:
      +enabled: "{{ var('load_source_data', false) }}"
    literal_false:
      +enabled: "{{ false }}"
seeds:
  demo:
    +column_types: {a: varchar(10)}
    codes:
      +column_types: {b: varchar(20)}
`;

const PROPERTIES = `version: 2
x-shared: &described
  data_type: integer
  description: shared through a merge key
models:
  - name: vars_model
    config:
      alias: "{{ 'vars_' ~ target.name }}"
      schema: "{{ var('audit_schema') }}"
      tags: "{{ ['from_yaml', target.name] }}"
    columns:
      - <<: *described
        name: two
  - name: yaml_disabled
    config:
      enabled: "{{ target.name != 'dev' }}"
seeds:
  - name: codes
    config:
      column_types:
        c: "{{ 'varchar(30)' }}"
unit_tests:
  - name: ut_skipped_here
    model: vars_model
    config:
      tags: "{{ 'skip' if target.type != 'snowflake' else 'runnable' }}"
    given: []
    expect: {rows: [{two: 2}]}
  - name: ut_runnable
    model: vars_model
    given: []
    expect: {rows: [{two: 2}]}
`;

const PACKAGE_PROJECT = `name: pkg
models:
  pkg:
    +enabled: "{{ target.name == 'dev' }}"
    +materialized: "{{ 'view' }}"
`;

describe('project rendering as dbt does it', () => {
  let dir: string;
  let parse: CliResult;
  let manifest: { nodes: Record<string, { config: Record<string, unknown>; alias?: string; schema?: string; tags?: string[]; columns?: Record<string, { data_type: string | null; description: string }>; description?: string }>; unit_tests: Record<string, { config: Record<string, unknown> }>; disabled?: unknown };
  beforeAll(async () => {
    dir = testdir({
      'dbt_project.yml': PROJECT,
      'models/vars_model.sql': "select {{ var('two') }} as two, '{{ var('greeting') }}' as greeting\n",
      'models/yaml_disabled.sql': 'select 1 as x\n',
      'models/by_warehouse/postgres/per_warehouse.sql': "select 'postgres' as built_for\n",
      'models/by_warehouse/fabric/per_warehouse.sql': "select 'fabric' as built_for\n",
      'models/optional/needs_source_data.sql': 'select 1 as x\n',
      'models/literal_false/never.sql': 'select 1 as x\n',
      'models/_models.yml': PROPERTIES,
      // A duplicate key: the later one wins, with a warning (the first says nothing that exists).
      'models/_dup.yml': 'version: 2\nmodels:\n  - name: not_a_model\nmodels:\n  - name: per_warehouse\n    description: the kept entry\n',
      'seeds/codes.csv': 'a,b,c\nx,y,z\n',
      'dbt_packages/pkg/dbt_project.yml': PACKAGE_PROJECT,
      'dbt_packages/pkg/models/pkg_model.sql': 'select 1 as x\n',
    });
    parse = await runTsdbt(['parse', '--project-dir', dir]);
    manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as typeof manifest;
  });
  afterAll(() => removeDir(dir));

  it('renders dbt_project.yml with target, natively: one model per warehouse, {{ false }} is false', () => {
    expect(parse.stderr + parse.stdout).not.toMatch(/dbt found two models|undefined/);
    expect(parse.code).toBe(0);
    const ids = Object.keys(manifest.nodes);
    expect(ids.filter((id) => id.endsWith('.per_warehouse'))).toEqual(['model.demo.per_warehouse']);
    expect(ids).not.toContain('model.demo.needs_source_data');
    expect(ids).not.toContain('model.demo.never');
    expect(manifest.nodes['model.demo.per_warehouse']?.config.materialized).toBe('table');
    // The package's dbt_project.yml sees target too.
    expect(manifest.nodes['model.pkg.pkg_model']?.config).toMatchObject({ enabled: true, materialized: 'view' });
  });

  it('renders property-file configs natively with target and var', () => {
    const node = manifest.nodes['model.demo.vars_model'];
    expect(node?.alias).toBe('vars_dev');
    expect(node?.schema).toMatch(/_audit$/);
    expect(node?.tags).toEqual(['from_yaml', 'dev']);
    expect(Object.keys(manifest.nodes)).not.toContain('model.demo.yaml_disabled');
    expect(manifest.unit_tests['unit_test.demo.vars_model.ut_skipped_here']?.config.tags).toEqual(['skip']);
  });

  it('merges dictionary configs across levels (column_types)', () => {
    expect(manifest.nodes['seed.demo.codes']?.config.column_types).toEqual({ a: 'varchar(10)', b: 'varchar(20)', c: 'varchar(30)' });
  });

  it('reads YAML as dbt does: merge keys, and the last of a duplicate key with a warning', () => {
    expect(manifest.nodes['model.demo.vars_model']?.columns?.two).toMatchObject({ data_type: 'integer', description: 'shared through a merge key' });
    expect(parse.stdout + parse.stderr).toMatch(/models\/_dup\.yml:4: Duplicate key 'models' in "<unicode string>", line \d+, column 1 in file `models\/_dup\.yml`/);
    expect(manifest.nodes['model.demo.per_warehouse']).toMatchObject({ description: 'the kept entry' });
    expect(parse.stdout + parse.stderr).not.toMatch(/not_a_model/);
  });

  it('renders a var holding a template where a node reads it', async () => {
    const compiled = await runTsdbt(['compile', '--project-dir', dir, '--select', 'vars_model']);
    expect(compiled.code).toBe(0);
    const sql = readFileSync(path.join(dir, 'target/compiled/demo/models/vars_model.sql'), 'utf8');
    expect(sql.trim()).toBe("select 2 as two, 'hello dev' as greeting");
  });

  it('--exclude tag:skip sees a unit test tag rendered from its config', async () => {
    const ls = await runTsdbt(['ls', '--project-dir', dir, '--resource-type', 'unit_test', '--exclude', 'tag:skip']);
    expect(ls.code).toBe(0);
    expect(ls.stdout).toMatch(/ut_runnable/);
    expect(ls.stdout).not.toMatch(/ut_skipped_here/);
  });
});

describe("errors in a package's dbt_project.yml", () => {
  let dir: string;
  afterAll(() => removeDir(dir));
  it('name the package file and the line', async () => {
    dir = testdir({
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'models/m.sql': 'select 1 as x\n',
      'dbt_packages/broken/dbt_project.yml': "name: broken\nmodels:\n  broken:\n    +enabled: \"{{ target.name == }}\"\n",
    });
    const result = await runTsdbt(['parse', '--project-dir', dir]);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toMatch(/dbt_packages\/broken\/dbt_project\.yml:4/);
  });
});

// query-comment (docs: reference/project-configs/query-comment): what the warehouse saw, read back
// with current_query() from a table built by the statement itself, and checked by a data test.
describe('query-comment reaches the warehouse', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));
  const build = async (projectYml: string, check: string, extra: Record<string, string> = {}) => {
    const dir = testdir({
      'dbt_project.yml': projectYml,
      'models/seen.sql': "{{ config(materialized='table') }}\nselect current_query() as q\n",
      'tests/comment_as_expected.sql': `select q from {{ ref('seen') }} where not (${check})\n`,
      ...extra,
    });
    dirs.push(dir);
    const result = await runTsdbt(['build', '--project-dir', dir]);
    const runResults = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string }[] };
    return { result, statuses: Object.fromEntries(runResults.results.map((r) => [r.unique_id, r.status])) };
  };

  it("puts dbt's default comment (app tsdbt, the node's id) before every statement", async () => {
    const { result, statuses } = await build(
      'name: demo\nprofile: demo\n',
      `q like '/* {"app": "tsdbt", "dbt_version": "1.11.14", "tsdbt_version": "%", "profile_name": "demo", "target_name": "dev", "node_id": "model.demo.seen"} */%create table%'`,
    );
    expect(result.code).toBe(0);
    expect(statuses).toEqual({ 'model.demo.seen': 'success', 'test.demo.comment_as_expected': 'pass' });
  });

  it('renders a macro comment per node with target and node, appended when asked', async () => {
    const { result, statuses } = await build(
      'name: demo\nprofile: demo\nquery-comment:\n  comment: "{{ my_comment(node) }}"\n  append: true\n',
      // current_query() is the whole round trip the build travelled in (with the swap and commit
      // after it, each with the comment of no node): the build's own comment follows it.
      `q like '%create table%/* built by tsdbt on dev for seen */%'`,
      { 'macros/my_comment.sql': "{% macro my_comment(node) %}built by tsdbt on {{ target.name }} for {{ node.name if node is not none else 'nothing' }}{% endmacro %}\n" },
    );
    expect(result.code).toBe(0);
    expect(statuses).toEqual({ 'model.demo.seen': 'success', 'test.demo.comment_as_expected': 'pass' });
  });

  it('query-comment: null sends statements without a comment', async () => {
    const { result, statuses } = await build('name: demo\nprofile: demo\nquery-comment: null\n', "q not like '%/*%'");
    expect(result.code).toBe(0);
    expect(statuses).toEqual({ 'model.demo.seen': 'success', 'test.demo.comment_as_expected': 'pass' });
  });

  it("a seed's bulk load carries its node's comment too (--debug shows the statements as sent)", async () => {
    const dir = testdir({ 'dbt_project.yml': 'name: demo\nprofile: demo\n', 'seeds/codes.csv': 'a,b\n1,x\n' });
    dirs.push(dir);
    const result = await runTsdbt(['seed', '--project-dir', dir, '--debug']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/On seed\.demo\.codes: \/\* \{"app": "tsdbt", [^\n]*"node_id": "seed\.demo\.codes"\} \*\/\n[^\n]*copy "postgres"\."analytics"\."codes__dbt_tmp"/);
  });

  it('a malformed query-comment is a project error at its line', async () => {
    const dir = testdir({ 'dbt_project.yml': 'name: demo\nprofile: demo\nquery-comment: [1, 2]\n', 'models/m.sql': 'select 1 as x\n' });
    dirs.push(dir);
    const result = await runTsdbt(['parse', '--project-dir', dir]);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toMatch(/dbt_project\.yml:3: `query-comment` must be text/);
  });
});

describe('tsdbt deps reads dbt_project.yml with target', () => {
  let dir: string;
  afterAll(() => removeDir(dir));
  it('installs a local package when dbt_project.yml tests target.type', async () => {
    dir = testdir({
      'dbt_project.yml': "name: demo\nprofile: demo\nmodels:\n  demo:\n    +enabled: \"{{ target.type != 'fabric' }}\"\n",
      'packages.yml': 'packages:\n  - local: vendor/pkg\n',
      'vendor/pkg/dbt_project.yml': 'name: pkg\n',
    });
    const result = await runTsdbt(['deps', '--project-dir', dir]);
    expect(result.stdout + result.stderr).not.toMatch(/undefined/);
    expect(result.code).toBe(0);
    expect(readFileSync(path.join(dir, 'dbt_packages/pkg/dbt_project.yml'), 'utf8')).toBe('name: pkg\n');
  });
});
