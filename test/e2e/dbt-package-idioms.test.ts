// The template idioms dbt packages are written in, each shown on our own fixtures: generic tests
// that configure themselves (`config(fail_calc=...)` read at parse time) and take relations as
// arguments (`compare_model: ref('x')`), relations used as mappings and dict keys, Python sets,
// load_relation, print_table, run_query in an on-run-end hook, seeds from `seed-paths` other than
// seeds/ with a post-hook that drops `this.incorporate(type='table')`, and `tsdbt compile` reaching
// the warehouse.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCommand } from '../../src/app/compile-command.js';
import { createInvocation } from '../../src/app/invocation.js';
import { WAREHOUSES, builtOnce } from '../support/warehouse-project.js';

const FILES: Record<string, string> = {
  'dbt_project.yml': [
    'name: demo',
    'profile: demo',
    'seed-paths: ["data"]',
    'on-run-end:',
    '  - "{% set r = run_query(\'select count(*) as n from \' ~ ref(\'numbers\')) %}{% do log(\'numbers at the end: \' ~ r.columns[0].values()[0], info=True) %}"',
    'seeds:',
    '  +quote_columns: false',
    '  demo:',
    '    events:',
    '      +schema: events',
    '    scratch:',
    '      dropped_after_load:',
    '        +post-hook: "{% do adapter.drop_relation(this.incorporate(type=\'table\')) %}"',
  ].join('\n'),
  'data/numbers.csv': 'n,label\n1,one\n2,two\n3,three\n',
  'data/other_numbers.csv': 'label,n\ntwo,2\none,1\nthree,3\n',
  'data/events/events_2024.csv': 'id,kind\n1,click\n2,view\n',
  'data/scratch/dropped_after_load.csv': 'id\n1\n',
  // A generic test written the way package tests are: configures its own fail_calc, skips its
  // body while parsing, and reads the columns of the relation it is given.
  'macros/tests.sql': [
    '{% test same_columns_sum(model, compare_model, column) %}',
    "  {{ config(fail_calc='coalesce(sum(diff), 0)') }}",
    "  {% if not execute %}{{ return('') }}{% endif %}",
    '  {% set ours = adapter.get_columns_in_relation(model) | map(attribute="name") | list %}',
    '  {% set theirs = adapter.get_columns_in_relation(compare_model) | map(attribute="name") | list %}',
    "  {% if set(ours) != set(theirs) %}{{ exceptions.raise_compiler_error('columns differ: ' ~ ours ~ ' vs ' ~ theirs) }}{% endif %}",
    '  select abs((select sum({{ column }}) from {{ model }}) - (select sum({{ column }}) from {{ compare_model }})) as diff',
    '{% endtest %}',
  ].join('\n'),
  'models/mapping.sql': [
    "{% set rel = ref('numbers') %}",
    '{% set by_relation = {} %}',
    '{% do by_relation.update({rel: "found"}) %}',
    "select {{ rel is mapping }} as is_mapping,",
    "       '{{ rel.get(\"metadata\", {}).get(\"type\", \"\") }}' as metadata_type,",
    "       '{{ by_relation[rel] }}' as keyed,",
    "       {{ set(['a', 'b']) == set(['b', 'a']) }} as sets_equal,",
    "       {{ load_relation(rel) is not none if execute else true }} as loaded,",
    "       {{ load_relation(rel.incorporate(path={'identifier': 'nope'})) is none }} as missing_is_none",
    '{% if execute %}{% do run_query("select n, label from " ~ rel ~ " order by n").print_table() %}{% endif %}',
  ].join('\n'),
  'models/_models.yml': [
    'seeds:',
    '  - name: numbers',
    '    data_tests:',
    '      - same_columns_sum:',
    "          compare_model: ref('other_numbers')",
    '          column: n',
  ].join('\n'),
};

describe.each(WAREHOUSES)('dbt package idioms on %s', (kind) => {
  const built = builtOnce(kind, FILES, ['_events']);

  it('builds and tests everything', () => {
    expect(built.out.code, built.out.output).toBe(0);
    expect(built.out.results.filter((r) => r.status !== 'success' && r.status !== 'pass')).toEqual([]);
    expect(built.out.results).toHaveLength(7); // 4 seeds, 1 model, 1 test, the on-run-end hook
  });

  it('a generic test configures itself and compares against a relation argument', () => {
    const test = built.out.results.find((r) => r.unique_id.startsWith('test.demo.same_columns_sum'));
    expect(test).toMatchObject({ status: 'pass', failures: 0 });
    const manifest = JSON.parse(readFileSync(path.join(built.project.dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { config: { fail_calc: string }; depends_on: { nodes: string[] } }> };
    const node = manifest.nodes[test?.unique_id ?? ''];
    expect(node?.config.fail_calc).toBe('coalesce(sum(diff), 0)');
    expect(node?.depends_on.nodes.sort()).toEqual(['seed.demo.numbers', 'seed.demo.other_numbers']);
  });

  it('fails with the sum its fail_calc computes when the data differ', async () => {
    await built.project.sql(`update "${built.project.schema}".other_numbers set n = n + 2 where label = 'three'`);
    const again = await built.project.run('test');
    const test = again.results.find((r) => r.unique_id.startsWith('test.demo.same_columns_sum'));
    expect(test).toMatchObject({ status: 'fail', failures: 2 });
  });

  it('relations are mappings and dict keys, sets compare unordered, load_relation finds relations', async () => {
    expect(await built.project.sql(`select * from "${built.project.schema}".mapping`)).toEqual([
      { is_mapping: true, metadata_type: 'BaseRelation', keyed: 'found', sets_equal: true, loaded: true, missing_is_none: true },
    ]);
  });

  it('print_table and on-run-end hooks with run_query print through the log', () => {
    expect(built.out.output).toMatch(/\|\s*n\s*\|\s*label\s*\|/);
    expect(built.out.output).toContain('numbers at the end: 3');
  });

  it('seeds come from seed-paths, +schema goes through generate_schema_name, post-hooks see the loaded relation', async () => {
    expect(await built.project.sql(`select id, kind from "${built.project.schema}_events".events_2024 order by id`)).toEqual([
      { id: 1, kind: 'click' },
      { id: 2, kind: 'view' },
    ]);
    const dropped = await built.project.sql(`select 1 from information_schema.tables where table_schema = '${built.project.schema}' and table_name = 'dropped_after_load'`);
    expect(dropped).toEqual([]);
    expect(built.out.results.find((r) => r.unique_id === 'seed.demo.dropped_after_load')?.status).toBe('success');
  });

  it('tsdbt compile reaches the warehouse for run_query', async () => {
    const lines: string[] = [];
    const inv = createInvocation({ projectDir: built.project.dir, select: ['mapping'], write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: built.project.dir } });
    expect(await compileCommand(inv), lines.join('\n')).toBe(0);
    const file = path.join(built.project.dir, 'target', 'compiled', 'demo', 'models', 'mapping.sql');
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('True as loaded');
  });
});
