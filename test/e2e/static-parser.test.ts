// dbt's static parser (docs: "Project Parsing", static parser; `--no-static-parser`), widened: SQL
// files whose parse render can be read from their syntax are not rendered while parsing, and the
// manifest is the one rendering every file gives. Each model below is one pattern: what it
// records must be what a render records (is_incremental() and execute are false while parsing,
// a condition on var/target/env_var is decided, a macro that cannot act is not rendered), and
// what cannot be proven is rendered, with the reason under --debug.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const PROJECT = [
  'name: demo',
  "version: '1.0.0'",
  'config-version: 2',
  'profile: demo',
  'vars:',
  '  mode: kafka',
  '  templated_alias: "{{ \'t_\' ~ target.name }}"',
  '',
].join('\n');

const FILES: Record<string, string> = {
  'dbt_project.yml': PROJECT,
  'macros/twice.sql': '{% macro twice(x) %}({{ x }} * 2){% endmacro %}\n',
  // Raises only for a datepart other than the ones it knows (as dbt's cross-database macros do).
  'macros/span.sql': [
    "{% macro span(a, b, part='day') -%}",
    '  {%- set p = part | trim("\'") | lower -%}',
    "  {%- if p == 'day' -%}({{ b }} - {{ a }})",
    "  {%- elif p == 'hour' -%}({{ span(a, b, 'day') }} * 24)",
    "  {%- else -%}{{ exceptions.raise_compiler_error('span: unknown part ' ~ p) }}",
    '  {%- endif -%}',
    '{%- endmacro %}',
    '',
  ].join('\n'),
  // Reads a relation for each name given: a ref inside a loop.
  'macros/union_of.sql': "{% macro union_of(names) %}{% for n in names %}select * from {{ ref(n) }}{% if not loop.last %} union all {% endif %}{% endfor %}{% endmacro %}\n",
  'models/a.sql': "{{ config(materialized='table', tags=['x'], meta={'owner': 'me', 'n': 3, 'ok': True, 'none': None, 'list': [1, 'two']}) }}\nselect 1 as id\n",
  'models/b.sql': [
    "{{ config(materialized='incremental', unique_key='id') }}",
    "select id, {{ twice('id') }} as d, {{ dbt.type_string() }} as t from {{ ref('a') }}",
    "{% if is_incremental() %}where id > (select max(id) from {{ ref('c') }}){% endif %}",
    '',
  ].join('\n'),
  'models/c.sql': "{% if var('mode', 'seed') == 'kafka' %}select * from {{ ref('a') }}{% else %}select * from {{ ref('b') }}{% endif %}\n",
  'models/d.sql': "{% if not execute %}{{ config(tags=['parsed']) }}{% endif %}\nselect {{ span('1', '2', \"'hour'\") }} as h, {{ dbt.datediff('1', '2', 'day') }} as dd from {{ ref('a') }}\n",
  'models/e.sql': "{{ union_of(['a', 'c']) }}\n",
  'models/f.sql': "{% set src = ref('a') %}\n{% do config.set('persist_docs', {'relation': true}) %}\nselect '{{ env_var('TSDBT_TEST_STATIC_MODE', 'fallback') }}' as m from {{ src }}\n",
  'models/g.sql': "{{ config(alias=var('templated_alias')) }}\nselect 1 as id\n",
  'models/h.sql': "{% if target.name == 'nope' %}select * from {{ ref('a') }}{% else %}select * from {{ ref('c') }}{% endif %}\n",
  'models/i.sql': "{% if modules.datetime.date.today().year < 2000 %}{{ exceptions.raise_compiler_error('the clock is wrong') }}{% endif %}\nselect 1 as id\n",
  'tests/no_negative.sql': "select * from {{ ref('a') }} where id < 0\n",
  'analyses/look.sql': "select * from {{ ref('b') }}\n",
};

/** The models the static parser must leave to their render, and the start of the reason it gives. */
const RENDERED: Record<string, string> = {
  'models/e.sql': 'line 1: calls macro demo.union_of, which may act (line 1: ref() inside a condition or loop)',
  'models/g.sql': 'line 1: reads a var whose value holds Jinja',
  'models/i.sql': 'line 1: uses exceptions',
};

type Manifest = { nodes: Record<string, { depends_on: { nodes: string[] }; config: Record<string, unknown>; tags: string[]; alias: string }> };

describe('the static parser', () => {
  const dir = testdir(FILES);
  afterAll(() => removeDir(dir));
  const env = { TSDBT_TEST_STATIC_MODE: 'streamed' };
  const parse = (...args: string[]) => runTsdbt(['parse', '--no-partial-parse', '--project-dir', dir, ...args], { env: { ...env, HOME: dir } });
  const manifest = (): Manifest & Record<string, unknown> => {
    const m = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as Manifest & Record<string, unknown>;
    delete m.metadata;
    return m;
  };

  it('reads the files it can prove from their syntax, renders the rest with the reason, and writes the manifest rendering writes', async () => {
    const rendered = await parse('--no-static-parser');
    expect(rendered.code, rendered.stdout + rendered.stderr).toBe(0);
    const expected = manifest();
    const read = await parse('--debug');
    expect(read.code, read.stdout + read.stderr).toBe(0);
    const lines = read.stdout.split('\n');
    expect(lines.find((l) => l.includes('Static parser: ') && l.includes(' of '))).toMatch(/Static parser: 8 of 11 SQL files read from their syntax, 3 rendered$/);
    const reasons: unknown = Object.fromEntries(lines.flatMap((l) => [...l.matchAll(/Static parser: (\S+) is rendered \((.*)\)$/g)].map((m) => [m[1], m[2]])));
    expect(reasons).toEqual(RENDERED);
    expect(manifest()).toEqual(expected);

    const nodes = expected.nodes;
    // What a parse render records, pattern by pattern.
    expect(nodes['model.demo.a']?.config.meta).toEqual({ owner: 'me', n: 3, ok: true, none: null, list: [1, 'two'] });
    expect(nodes['model.demo.b']?.depends_on.nodes).toEqual(['model.demo.a']); // the is_incremental() branch is not read
    expect(nodes['model.demo.c']?.depends_on.nodes).toEqual(['model.demo.a']); // var('mode') is 'kafka'
    expect(nodes['model.demo.d']?.tags).toEqual(['parsed']);
    expect(nodes['model.demo.e']?.depends_on.nodes).toEqual(['model.demo.a', 'model.demo.c']);
    expect(nodes['model.demo.f']?.config.persist_docs).toEqual({ relation: true });
    expect(nodes['model.demo.g']?.alias).toBe('t_dev');
    expect(nodes['model.demo.h']?.depends_on.nodes).toEqual(['model.demo.c']);
  });

  it('DBT_STATIC_PARSER=false (as dbt reads it) renders every file', async () => {
    const off = await runTsdbt(['parse', '--no-partial-parse', '--debug', '--project-dir', dir], { env: { ...env, HOME: dir, DBT_STATIC_PARSER: 'false' } });
    expect(off.code, off.stdout + off.stderr).toBe(0);
    expect(off.stdout).toMatch(/Static parser: 0 of 11 SQL files read from their syntax, 11 rendered/);
  });

  it("a project's own ref() macro is rendered wherever a file calls ref", async () => {
    const overriding = testdir({
      'dbt_project.yml': PROJECT.replace(/vars:[\s\S]*$/, ''),
      'macros/ref.sql': "{% macro ref(name) %}{{ return(builtins.ref(name ~ '_v2')) }}{% endmacro %}\n",
      'models/a_v2.sql': 'select 1 as id\n',
      'models/b.sql': "select * from {{ ref('a') }}\n",
    });
    try {
      const out = await runTsdbt(['parse', '--debug', '--project-dir', overriding], { env: { HOME: overriding } });
      expect(out.code, out.stdout + out.stderr).toBe(0);
      expect(out.stdout).toMatch(/Static parser: models\/b\.sql is rendered \(line 1: calls macro demo\.ref, which may act/);
      const m = JSON.parse(readFileSync(path.join(overriding, 'target/manifest.json'), 'utf8')) as Manifest;
      expect(m.nodes['model.demo.b']?.depends_on.nodes).toEqual(['model.demo.a_v2']);
    } finally {
      removeDir(overriding);
    }
  });
});
