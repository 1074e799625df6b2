// One error per root cause: what follows from a parse error (a child's ref to a model that did not
// parse, a model reading a source from a property file that did not load, every model reached by one
// bad dbt_project.yml value) is not reported again, and "did you mean" never names the node itself.
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

/** Runs `parse`; returns the output and the `file:line: message` error lines in it. */
async function parseErrors(files: Record<string, string>): Promise<{ output: string; errors: string[] }> {
  const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, ...files });
  dirs.push(dir);
  const result = await runTsdbt(['parse', '--project-dir', dir, '--no-partial-parse']);
  const output = `${result.stdout}\n${result.stderr}`;
  expect(result.code, output).toBe(2);
  // Each error's line sits under the header of dbt's kind of error (`Compilation Error ...`), indented.
  const errors = output
    .split('\n')
    .filter((line) => /^(\d\d:\d\d:\d\d {2}| {2})?[\w./-]+\.(sql|yml|csv)(:\d+)?: /.test(line))
    .map((line) => line.replace(/^ {2}/, ''));
  return { output, errors };
}

describe('a parse error is reported once, not again as a missing ref or source', () => {
  it("a model whose Jinja does not parse: its children and grandchildren are not 'not found'", async () => {
    const { output, errors } = await parseErrors({
      'models/m1.sql': 'select 1 as id\n{% if true %}\n',
      'models/m2.sql': "select * from {{ ref('m1') }}\n",
      'models/m3.sql': "select * from {{ ref('m2') }}\n",
      'models/schema.yml': "version: 2\nmodels:\n  - name: m1\n    columns:\n      - name: id\n        data_tests: [unique]\nunit_tests:\n  - name: t\n    model: m1\n    given: []\n    expect: {rows: [{id: 1}]}\n",
    });
    expect(errors).toEqual([expect.stringMatching(/models\/m1\.sql:2: Unexpected end of template\. Jinja was looking for the following tags: 'elif' or 'else' or 'endif'/)]);
    expect(output).toContain('Encountered an error:');
    expect(output).not.toContain('not found');
    expect(output).not.toContain('Did you mean');
  });

  it('a model raising at parse time, and a snapshot block that does not parse', async () => {
    const { output, errors } = await parseErrors({
      'models/p.sql': "{{ exceptions.raise_compiler_error('boom') }}\n",
      'models/c.sql': "select * from {{ ref('p') }}\n",
      'snapshots/s.sql': "{% snapshot snap %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect 1 as id {% if %}\n{% endsnapshot %}\n",
      'models/from_snap.sql': "select * from {{ ref('snap') }}\n",
    });
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/models\/p\.sql:1: boom/);
    expect(errors[1]).toMatch(/snapshots\/s\.sql:3: /);
    expect(output).not.toContain('not found');
  });

  it('a property file that does not load (bad YAML, or one bad entry): the sources it declares are not reported missing', async () => {
    const yaml = await parseErrors({
      'models/sources.yml': 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: events\n        columns: [\n',
      'models/a.sql': "select * from {{ source('raw', 'events') }}\n",
      'models/b.sql': "select * from {{ source('raw', 'events') }}\n",
    });
    expect(yaml.errors).toEqual([expect.stringMatching(/models\/sources\.yml:7: invalid YAML/)]);
    expect(yaml.output).not.toContain('not found');
    const entry = await parseErrors({
      'models/sources.yml': 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: events\n      - identifier: x\n',
      'models/a.sql': "select * from {{ source('raw', 'events') }}\n",
      // A source that file does not declare is still reported.
      'models/b.sql': "select * from {{ source('other', 'thing') }}\n",
    });
    expect(entry.errors).toHaveLength(2);
    expect(entry.errors[0]).toMatch(/models\/sources\.yml:6: each source table needs a `name`/);
    expect(entry.errors[1]).toMatch(/models\/b\.sql:1: model 'b' depends on a source named 'other\.thing' which was not found/);
  });

  it('a macro raising for every caller, and a bad dbt_project.yml value reaching every model, are one error each', async () => {
    const macro = await parseErrors({
      'macros/m.sql': "{% macro m() %}\n{{ exceptions.raise_compiler_error('bad macro') }}\n{% endmacro %}\n",
      'models/a.sql': 'select {{ m() }}\n',
      'models/b.sql': 'select {{ m() }}\n',
      'models/c.sql': 'select {{ m() }}\n',
    });
    expect(macro.errors).toEqual([expect.stringMatching(/macros\/m\.sql:2: bad macro/)]);
    expect(macro.output).toContain('Encountered an error:');
    expect(macro.output).toMatch(/in model a: models\/a\.sql:1 -> macros\/m\.sql:2/);
    expect(macro.output).toMatch(/in model c: models\/c\.sql:1 -> macros\/m\.sql:2/);
  });

  it('a macro file that does not parse is one error (its callers are not parsed against a missing macro)', async () => {
    const { errors } = await parseErrors({
      'macros/m.sql': '{% macro m() %}\nselect 1\n',
      'models/a.sql': 'select {{ m() }}\n',
      'models/b.sql': 'select {{ m() }}\n',
    });
    expect(errors).toEqual([expect.stringMatching(/^macros\/m\.sql:1: Unexpected end of template\. .* 'endmacro'/)]);
  });

  it('"did you mean" never suggests the calling node itself', async () => {
    const { output, errors } = await parseErrors({
      'models/m2.sql': "select * from {{ ref('m1') }}\n",
      'models/other.sql': 'select 1\n',
    });
    expect(errors).toEqual(["models/m2.sql:1: model 'm2' depends on a node named 'm1' which was not found"]);
    expect(output).not.toContain("Did you mean 'm2'");
    // dbt's TargetNotFoundError is a CompilationError: its header heads the error, indented below it.
    expect(output).toContain("Encountered an error:\nCompilation Error\n  models/m2.sql:1: model 'm2' depends on");
  });
});

describe('a seed whose CSV does not parse', () => {
  it('is one error; the models reading it are not reported', async () => {
    const dir = testdir({
      'dbt_project.yml': MINIMAL_PROJECT_YML,
      'seeds/s.csv': 'x,y\n1,2,3\n',
      'models/a.sql': "select * from {{ ref('s') }}\n",
      'models/b.sql': "select * from {{ ref('a') }}\n",
    });
    dirs.push(dir);
    const result = await runTsdbt(['build', '--project-dir', dir]);
    const output = `${result.stdout}\n${result.stderr}`;
    // The seed's node fails (exit 1, as dbt's); the models behind it are skipped, not reported as errors.
    expect(result.code, output).toBe(1);
    expect(output.split('\n').filter((l) => /\.(csv|sql):\d+: /.test(l))).toEqual([expect.stringMatching(/seeds\/s\.csv:2: invalid CSV/)]);
    expect(output).toMatch(/Done\. PASS=0 WARN=0 ERROR=1 SKIP=2/);
  });
});
