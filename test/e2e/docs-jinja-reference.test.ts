// Examples of dbt's "dbt Jinja functions" reference pages, run as the pages write them: what each
// prints or renders is what the page (or dbt-core's code, where the page shows no output) says.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsdbt, type CliResult } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

// The fromyaml page's example, then a statement's response (dbt's AdapterResponse, whose str() is
// its message) and values of other types through log() and print(), which dbt writes as str() does.
const MACROS = `{% macro docs_examples() %}
{% set my_yml_str -%}
dogs:
 - good
 - bad
{%- endset %}
{% set my_dict = fromyaml(my_yml_str) %}
{% do log(my_dict['dogs'], info=true) %}
{% do log(set([1, 2, 2]), info=true) %}
{% do log(zip([1, 2], ['alice', 'bob']) | list, info=true) %}
{% do log(true, info=true) %}
{% do log(none, info=true) %}
{% do print({'a': [1, 'x']}) %}
{% set relation = api.Relation.create(database='db', schema='s', identifier='t') %}
{% do log('relation: ' ~ relation, info=true) %}
{% do log([relation], info=true) %}
{% call statement('states', fetch_result=True) -%}
  select 'CA' as state union all select 'NY'
{%- endcall %}
{% set result = load_result('states') %}
{% do log('response: ' ~ result['response'], info=true) %}
{% do log(result['response'].rows_affected, info=true) %}
{% do log({'response': result['response']}, info=true) %}
{% endmacro %}`;

describe("dbt's Jinja reference examples", () => {
  let dir: string;
  let result: CliResult;
  beforeAll(async () => {
    dir = testdir({ 'dbt_project.yml': 'name: demo\nprofile: demo\n', 'macros/examples.sql': MACROS });
    result = await runTsdbt(['run-operation', 'docs_examples', '--project-dir', dir]);
  });
  afterAll(() => removeDir(dir));

  const lines = () => result.stdout.split('\n').map((l) => l.replace(/^\d\d:\d\d:\d\d {2}/, ''));

  it('log() writes the value as Python str() does (fromyaml page: the list of dogs)', () => {
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(lines()).toEqual(expect.arrayContaining(["['good', 'bad']", '{1, 2}', "[(1, 'alice'), (2, 'bob')]", 'True', 'None', "{'a': [1, 'x']}"]));
  });

  it('a relation prints as its name, and inside a list as dbt-adapters\' BaseRelation repr', () => {
    expect(lines()).toEqual(expect.arrayContaining(['relation: "db"."s"."t"', '[<PostgresRelation "db"."s"."t">]']));
  });

  it("a statement's response prints as dbt's AdapterResponse: its message, and its repr inside a dict", () => {
    expect(lines()).toEqual(
      expect.arrayContaining(['response: SELECT 2', '2', "{'response': AdapterResponse(_message='SELECT 2', code='SELECT', rows_affected=2, query_id=None)}"]),
    );
  });
});

// The "on-run-end context" page: `schemas` and `database_schemas` are the schemas (and database,
// schema pairs) of the nodes the run built, as dbt's RunTask.after_run collects them from its
// results; on-run-start has neither.
describe("on-run-end's schemas and database_schemas", () => {
  let dir: string;
  let result: CliResult;
  beforeAll(async () => {
    dir = testdir({
      'dbt_project.yml': [
        'name: demo',
        'profile: demo',
        'on-run-start:',
        '  - "{{ log(\'start: \' ~ (schemas is defined) ~ \' \' ~ (database_schemas is defined), info=true) }}"',
        'on-run-end:',
        '  - "{% for schema in schemas %}{{ log(\'schema: \' ~ schema, info=true) }}{% endfor %}"',
        '  - "{{ log(\'database_schemas: \' ~ database_schemas, info=true) }}"',
        '',
      ].join('\n'),
      'models/built.sql': 'select 1 as id',
      'models/other.sql': "{{ config(schema='other') }}\nselect 1 as id",
    });
    result = await runTsdbt(['run', '--select', 'built', '--project-dir', dir]);
  });
  afterAll(() => removeDir(dir));

  it('names the built model\'s schema only, as a (database, schema) tuple', () => {
    expect(result.code, result.stderr + result.stdout).toBe(0);
    const lines = result.stdout.split('\n').map((l) => l.replace(/^\d\d:\d\d:\d\d {2}/, ''));
    expect(lines).toContain('start: False False');
    expect(lines.filter((l) => l.startsWith('schema: '))).toEqual(['schema: analytics']);
    expect(lines).toContain("database_schemas: [('postgres', 'analytics')]");
  });
});

// The env_var page (and the packages.yml context page): "Only packages.yml and profiles.yml support
// environment variables for secure values (using the DBT_ENV_SECRET_ prefix)". dbt raises
// SecretEnvVarLocationError anywhere else, so the secret never reaches compiled SQL or manifest.json.
describe('env_var of a DBT_ENV_SECRET_ variable outside profiles.yml and packages.yml', () => {
  const env = { DBT_ENV_SECRET_GIT: 'hunter2' };
  const dbtMessage = "Secret env vars are allowed only in profiles.yml or packages.yml. Found 'DBT_ENV_SECRET_GIT' referenced elsewhere.";
  const cases: [string, Record<string, string>][] = [
    ['a model', { 'models/m.sql': "select '{{ env_var('DBT_ENV_SECRET_GIT') }}' as token" }],
    ['a property file', { 'models/m.sql': 'select 1 as id', 'models/p.yml': "models:\n  - name: m\n    config:\n      meta:\n        token: \"{{ env_var('DBT_ENV_SECRET_GIT') }}\"\n" }],
    ['dbt_project.yml', { 'models/m.sql': 'select 1 as id', 'dbt_project.yml': "name: demo\nprofile: demo\nmodels:\n  +meta:\n    token: \"{{ env_var('DBT_ENV_SECRET_GIT') }}\"\n" }],
  ];
  for (const [where, files] of cases) {
    it(`is dbt's error in ${where}, and the secret is written nowhere`, async () => {
      const dir = testdir({ 'dbt_project.yml': 'name: demo\nprofile: demo\n', ...files });
      try {
        const result = await runTsdbt(['compile', '--project-dir', dir], { env });
        expect(result.code).not.toBe(0);
        expect(result.stdout + result.stderr).toContain(dbtMessage);
        expect(readdirRecursive(dir).some((file) => readFileSync(file, 'utf8').includes('hunter2'))).toBe(false);
      } finally {
        removeDir(dir);
      }
    });
  }
});

function readdirRecursive(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.parentPath.includes('pglite'))
    .map((e) => path.join(e.parentPath, e.name));
}

// The cross-database macros page on PostgreSQL: dbt-postgres has no type_string of its own, so
// dbt-adapters' default__type_string gives the Column's label for a string, TEXT.
describe('cross-database macros on PostgreSQL', () => {
  it('type_string is TEXT, as hash and safe_cast write it', async () => {
    const sql = 'select {{ dbt.type_string() }} as t, {{ dbt.hash("column") }} as h, {{ dbt.safe_cast("column_1", api.Column.translate_type("string")) }} as s';
    expect(await compiledModel(sql)).toBe('select TEXT as t, md5(cast(column as TEXT)) as h, cast(column_1 as TEXT) as s');
  });
});

// The "this" page: `this` is the model's relation, made by dbt's Relation.create_from(config, node),
// which gives it no type: `this.type` is None and `this.is_view` false for a view model too.
describe('this', () => {
  it('has no relation type, whatever the materialization', async () => {
    const sql = "{{ config(materialized='view') }}\nselect '{{ this }} {{ this.type }} {{ this.is_view }} {{ this.is_table }}' as t";
    expect(await compiledModel(sql)).toBe('\nselect \'"postgres"."analytics"."m" None False False\' as t');
  });
});

/** models/m.sql of a project of its own, as `tsdbt compile` writes it. */
async function compiledModel(sql: string): Promise<string> {
  const dir = testdir({ 'dbt_project.yml': 'name: demo\nprofile: demo\n', 'models/m.sql': sql });
  try {
    const result = await runTsdbt(['compile', '--project-dir', dir]);
    expect(result.code, result.stderr + result.stdout).toBe(0);
    return readFileSync(path.join(dir, 'target/compiled/demo/models/m.sql'), 'utf8');
  } finally {
    removeDir(dir);
  }
}
