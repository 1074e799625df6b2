// dbt's not_null and unique tests are rendered once per shape (compile/generic-test-shapes.ts): the
// compiled SQL of each test is what its macro gives (store_failures, a `where` config, a quoted
// column), a project that replaces one of the macros those tests call gets its own macro's text, and
// the macro is rendered once for all the tests of one shape, not once per test.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/app/project-loader.js';
import { GenericTestShapes } from '../../src/compile/generic-test-shapes.js';
import type { ManifestNode } from '../../src/manifest/types.js';
import { offlineProject } from '../support/offline-project.js';
import { testInvocation } from '../support/test-invocation.js';
import { MINIMAL_PROJECT_YML, removeDir } from '../support/testdir.js';

const SCHEMA = `version: 2
models:
  - name: a
    columns:
      - name: id
        data_tests: [not_null, unique]
      - name: x
        data_tests:
          - not_null:
              config: {store_failures: true}
      - name: y
        data_tests:
          - not_null:
              config: {where: "y > 0"}
      - name: Id2
        quote: true
        data_tests: [unique]
  - name: b
    columns:
      - name: id
        data_tests: [not_null]
`;

const FILES = {
  'dbt_project.yml': MINIMAL_PROJECT_YML,
  'models/a.sql': 'select 1 as id, 1 as x, 1 as y, 1 as "Id2"',
  'models/b.sql': "select id from {{ ref('a') }}",
  'models/schema.yml': SCHEMA,
};

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

// dbt's text (dbt-adapters' tests/generic/builtin.sql and generic_test_sql/*.sql rendered by Jinja2):
// the test block's indentation and the default__ macro's blank lines around the query.
const block = (body: string) => `\n    \n    ${body}\n`;
const notNull = (column: string, listed: string, model: string) => block(`\n\n\n\nselect ${listed}\nfrom ${model}\nwhere ${column} is null\n\n`);
const unique = (column: string, model: string) =>
  block(`\n\nselect\n    ${column} as unique_field,\n    count(*) as n_records\n\nfrom ${model}\nwhere ${column} is not null\ngroup by ${column}\nhaving count(*) > 1\n\n`);

const compiledTest = (dir: string, name: string) => readFileSync(path.join(dir, 'target', 'compiled', 'demo', 'models', 'schema.yml', `${name}.sql`), 'utf8');

describe("dbt's not_null and unique tests rendered once per shape", () => {
  it('compile each test to what its macro gives', async () => {
    const { dir } = await offlineProject(FILES);
    dirs.push(dir);
    expect(compiledTest(dir, 'not_null_a_id')).toBe(notNull('id', 'id', '"postgres"."main"."a"'));
    expect(compiledTest(dir, 'not_null_b_id')).toBe(notNull('id', 'id', '"postgres"."main"."b"'));
    expect(compiledTest(dir, 'unique_a_id')).toBe(unique('id', '"postgres"."main"."a"'));
    expect(compiledTest(dir, 'not_null_a_x')).toBe(notNull('x', '*', '"postgres"."main"."a"'));
    expect(compiledTest(dir, 'not_null_a_y')).toBe(notNull('y', 'y', '(select * from "postgres"."main"."a" where y > 0) dbt_subquery'));
    const quoted = readdirSync(path.join(dir, 'target', 'compiled', 'demo', 'models', 'schema.yml')).filter((f) => /^unique_a_.*2/i.test(f));
    expect(quoted).toHaveLength(1);
    expect(compiledTest(dir, (quoted[0] as string).replace(/\.sql$/, ''))).toContain('"Id2" as unique_field');
  });

  it("use the project's macros where it replaces one the tests call", async () => {
    const { dir } = await offlineProject({
      ...FILES,
      'macros/overrides.sql': [
        "{% macro default__test_unique(model, column_name) %}select 'mine' as {{ column_name }} from {{ model }}{% endmacro %}",
        "{% macro should_store_failures() %}{{ return(model.name == 'not_null_b_id') }}{% endmacro %}",
        '',
      ].join('\n'),
    });
    dirs.push(dir);
    expect(compiledTest(dir, 'unique_a_id')).toBe(block('select \'mine\' as id from "postgres"."main"."a"'));
    // should_store_failures reads the test node: one render per shape would give both tests the same text.
    expect(compiledTest(dir, 'not_null_a_id')).toBe(notNull('id', 'id', '"postgres"."main"."a"'));
    expect(compiledTest(dir, 'not_null_b_id')).toBe(notNull('id', '*', '"postgres"."main"."b"'));
  });

  it('render the macro once for all the tests of one shape', async () => {
    const { dir } = await offlineProject(FILES, 'parse');
    dirs.push(dir);
    const project = loadProject(testInvocation(dir).inv);
    const tests = Object.values(project.parsed.manifest.nodes).filter((n): n is ManifestNode => n.resource_type === 'test');
    const shapes = new GenericTestShapes(project.session.scope);
    const rendered: unknown[] = [];
    const render = (args: Record<string, unknown>) => {
      rendered.push(args.column_name);
      return `\nselect ${String(args.column_name)} from ${String(args.model)}\n`;
    };
    const texts = Object.fromEntries(tests.map((t) => [t.name, shapes.text(t, { model: `rel_${t.name}`, column_name: String(t.column_name) }, render)]));
    expect(texts.not_null_a_id).toBe('\nselect id from rel_not_null_a_id\n');
    expect(texts.not_null_b_id).toBe('\nselect id from rel_not_null_b_id\n');
    expect(texts.unique_a_id).toBe('\nselect id from rel_unique_a_id\n');
    // Three shapes: not_null, not_null with store_failures, unique (a where config does not change the macro's text).
    expect(rendered).toHaveLength(3);
    // Other arguments than model and column_name: the test renders its own macro.
    expect(shapes.text(tests.find((t) => t.name === 'not_null_a_id') as ManifestNode, { model: 'm', column_name: 'id', extra: 1 }, render)).toBeUndefined();
    expect(rendered).toHaveLength(3);
  });

  it('give a test its text without a context once its shape is rendered, unless its model argument could read more', async () => {
    const { dir } = await offlineProject(FILES, 'parse');
    dirs.push(dir);
    const project = loadProject(testInvocation(dir).inv);
    const tests = Object.values(project.parsed.manifest.nodes).filter((n): n is ManifestNode => n.resource_type === 'test');
    const byName = (name: string) => tests.find((t) => t.name === name) as ManifestNode;
    const shapes = new GenericTestShapes(project.session.scope);
    const calls: string[] = [];
    const resolve = (fn: string, args: string[]) => {
      calls.push(`${fn}(${args.join(',')})`);
      return `rel_${args.join('_')}`;
    };
    const raw = (t: ManifestNode) => t.test_metadata?.kwargs ?? {};
    // No shape rendered yet: the test takes the way that renders it.
    expect(shapes.direct(byName('not_null_a_id'), raw(byName('not_null_a_id')), resolve)).toBeUndefined();
    shapes.text(byName('not_null_a_id'), { model: 'm', column_name: 'id' }, (args) => `select ${String(args.column_name)} from ${String(args.model)}`);
    expect(shapes.direct(byName('not_null_b_id'), raw(byName('not_null_b_id')), resolve)).toBe('select id from rel_b');
    expect(calls).toEqual(['ref(b)']);
    // A where config changes what get_where_subquery gives: the test renders it.
    expect(shapes.direct(byName('not_null_a_y'), raw(byName('not_null_a_y')), resolve)).toBeUndefined();
    // A ref that cannot be resolved is reported by the usual way.
    expect(
      shapes.direct(byName('not_null_b_id'), raw(byName('not_null_b_id')), () => {
        throw new Error('no such model');
      }),
    ).toBeUndefined();
    expect(calls).toEqual(['ref(b)']);
  });

  it("use the project's get_where_subquery where it replaces dbt's", async () => {
    const { dir } = await offlineProject({
      ...FILES,
      'macros/where.sql': "{% macro get_where_subquery(relation) %}{{ return('(select 1) mine') }}{% endmacro %}\n",
    });
    dirs.push(dir);
    expect(compiledTest(dir, 'not_null_a_id')).toBe(notNull('id', 'id', '(select 1) mine'));
    expect(compiledTest(dir, 'not_null_b_id')).toBe(notNull('id', 'id', '(select 1) mine'));
  });
});
