// dbt's `graph` context variable, builtins replaced by project macros (`ref`, `source`,
// `is_incremental`, reached again through `builtins`), and adapter.dispatch's search order,
// checked through `tsdbt compile` (no warehouse), from dbt's docs pages "graph", "builtins",
// "ref" and "dispatch".
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsdbt, type CliResult } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

/** What these tests read of manifest.json. */
interface ManifestJson {
  nodes: Record<string, { config: { meta: Record<string, unknown> }; depends_on: { nodes: string[] } } | undefined>;
}

const GRAPH_MODEL = `{{ config(materialized='table', tags=['reporting']) }}
from_ref: {{ ref('upstream') }}
{%- if execute %}
{%- set models = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model') | map(attribute='name') | sort %}
models: {{ models | join(',') }}
{%- set up = graph.nodes['model.demo.upstream'] %}
upstream: {{ up.unique_id }} {{ up.resource_type }} {{ up.package_name }} {{ up.original_file_path }} {{ up.config.materialized }} {{ up.columns.id.description }}
raw: {{ up.raw_code | trim }}
me: {{ graph.nodes['model.demo.graph_user'].depends_on.nodes | join(',') }} {{ graph.nodes['model.demo.graph_user'].refs | map(attribute='name') | join(',') }} {{ graph.nodes['model.demo.graph_user'].tags | join(',') }}
sources: {% for s in graph.sources.values() %}{{ s.source_name }}.{{ s.name }}={{ s.schema }}{% endfor %}
tests: {{ graph.nodes.values() | selectattr('resource_type', 'equalto', 'test') | map(attribute='test_metadata.name') | join(',') }}
kinds: {{ graph.exposures | length }} {{ graph.metrics | length }} {{ graph.groups | length }} {{ graph.semantic_models | length }} {{ graph.saved_queries | length }} {{ graph.unit_tests | length }}
{%- endif %}
select 1 as id`;

const PARSE_TIME = `{%- if not execute %}{{ config(meta={'parse_time_graph': [graph.nodes | length, graph.exposures | length, graph.unit_tests | length]}) }}{% endif -%}
select 1 as id`;

// docs "builtins": a project macro `ref` replaces ref everywhere; builtins.ref reaches dbt's.
const OVERRIDES = `{% macro ref(model_name) %}
  {%- set rel = builtins.ref(model_name) -%}
  {{ return(rel.incorporate(path={'schema': 'override_' ~ rel.schema})) }}
{% endmacro %}
{% macro source(source_name, table_name) %}
  {{ return(builtins.source(source_name, table_name).incorporate(path={'identifier': table_name ~ '_v2'})) }}
{% endmacro %}
{% macro is_incremental() %}{{ return(true) }}{% endmacro %}`;

const USES_OVERRIDES = `ref: {{ ref('upstream') }}
builtin_ref: {{ builtins.ref('upstream') }}
source: {{ source('raw', 'events') }}
incremental: {{ is_incremental() }}
package_ref: {{ pkg_b.ref_through_package('upstream') }}
select 1 as id`;

// A dict keyed by relations gives the relations back (dbt-audit-helper, codegen idioms).
const RELATION_KEYS = `{%- set by_relation = {ref('upstream'): 'first', source('raw', 'events'): 'second'} %}
keys: {% for rel in by_relation %}{{ rel.identifier }}/{{ rel.schema }} {% endfor %}
items: {% for rel, label in by_relation.items() %}{{ rel.name }}={{ label }} {% endfor %}
lookup: {{ by_relation[ref('upstream')] }} {{ ref('upstream') in by_relation }}
select 1 as id`;

const DISPATCH = `not_installed: {{ adapter.dispatch('cents', 'not_a_package')('amount') }}
global_fallback: {{ adapter.dispatch('current_timestamp', 'not_a_package')() | trim }}
installed_package: {{ adapter.dispatch('label', 'pkg_b')() }}
select 1 as id`;

function linesOf(file: string): Record<string, string> {
  const text = readFileSync(file, 'utf8');
  return Object.fromEntries(text.split('\n').filter((l) => l.includes(': ')).map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
}

describe('graph, overridden builtins and dispatch', () => {
  let dir: string;
  let result: CliResult;
  const compiled = (name: string) => linesOf(path.join(dir, `target/compiled/demo/models/${name}.sql`));
  beforeAll(async () => {
    dir = testdir({
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'models/upstream.sql': '-- upstream model\nselect 1 as id\n',
      'models/graph_user.sql': GRAPH_MODEL,
      'models/parse_time.sql': PARSE_TIME,
      'models/dispatch_user.sql': DISPATCH,
      'models/relation_keys.sql': RELATION_KEYS,
      // No `if execute` guard: dbt's parse render reads through the empty graph (lenient Undefined).
      'models/unguarded.sql': "unguarded: {{ graph.nodes['model.demo.upstream'].config.materialized }}\nselect 1 as id",
      'models/schema.yml':
        'version: 2\nmodels:\n  - name: upstream\n    columns:\n      - name: id\n        description: the key\n        data_tests: [unique]\n' +
        'sources:\n  - name: raw\n    schema: landing\n    tables:\n      - name: events\n',
      'macros/cents.sql': '{% macro default__cents(column) %}({{ column }} * 100){% endmacro %}\n{% macro default__label() %}root label{% endmacro %}',
      'dbt_packages/pkg_b/dbt_project.yml': 'name: pkg_b\n',
      'dbt_packages/pkg_b/macros/pkg.sql':
        '{% macro default__label() %}package label{% endmacro %}\n{% macro ref_through_package(name) %}{{ return(ref(name)) }}{% endmacro %}',
    });
    result = await runTsdbt(['compile', '--project-dir', dir]);
  });
  afterAll(() => removeDir(dir));

  it('compiles', () => expect(result.code, result.stdout + result.stderr).toBe(0));

  it('graph holds the manifest nodes and sources at execute time', () => {
    const l = compiled('graph_user');
    expect(l.models).toBe('dispatch_user,graph_user,parse_time,relation_keys,unguarded,upstream');
    expect(l.upstream).toBe('model.demo.upstream model demo models/upstream.sql view the key');
    expect(l.raw).toBe('-- upstream model');
    expect(l.me).toBe('model.demo.upstream upstream reporting');
    expect(l.sources).toBe('raw.events=landing');
    expect(l.tests).toBe('unique');
    expect(l.kinds).toBe('0 0 0 0 0 0');
  });

  it('a template reading the graph without an execute guard parses, and reads the node when it runs', () => {
    expect(compiled('unguarded').unguarded).toBe('view');
  });

  it('graph has every kind of dbt resource, empty at parse time', () => {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as ManifestJson;
    expect(manifest.nodes['model.demo.parse_time']?.config.meta.parse_time_graph).toEqual([0, 0, 0]);
  });

  it('a project macro named ref / source / is_incremental replaces the builtin; builtins.* reach the originals', async () => {
    const over = testdir({
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'models/upstream.sql': 'select 1 as id\n',
      'models/uses_overrides.sql': USES_OVERRIDES,
      'models/sources.yml': 'version: 2\nsources:\n  - name: raw\n    schema: landing\n    tables:\n      - name: events\n',
      'macros/overrides.sql': OVERRIDES,
      'dbt_packages/pkg_b/dbt_project.yml': 'name: pkg_b\n',
      'dbt_packages/pkg_b/macros/pkg.sql': '{% macro ref_through_package(name) %}{{ return(ref(name)) }}{% endmacro %}',
    });
    try {
      const out = await runTsdbt(['compile', '--project-dir', over]);
      expect(out.code, out.stdout + out.stderr).toBe(0);
      const l = linesOf(path.join(over, 'target/compiled/demo/models/uses_overrides.sql'));
      expect(l.ref).toBe('"postgres"."override_analytics"."upstream"');
      expect(l.builtin_ref).toBe('"postgres"."analytics"."upstream"');
      expect(l.source).toBe('"postgres"."landing"."events_v2"');
      expect(l.incremental).toBe('True');
      // A package macro called from the project's node sees the project's ref, as in dbt.
      expect(l.package_ref).toBe('"postgres"."override_analytics"."upstream"');
      // The overriding ref still records the dependency (the DAG is intact).
      const manifest = JSON.parse(readFileSync(path.join(over, 'target/manifest.json'), 'utf8')) as ManifestJson;
      expect(manifest.nodes['model.demo.uses_overrides']?.depends_on.nodes).toEqual(['source.demo.raw.events', 'model.demo.upstream']);
    } finally {
      removeDir(over);
    }
  });

  it('a dict keyed by relations keeps the relations as keys', () => {
    const l = compiled('relation_keys');
    expect(l.keys).toBe('upstream/analytics events/landing ');
    expect(l.items).toBe('upstream=first events=second ');
    expect(l.lookup).toBe('first True');
  });

  it('adapter.dispatch with a namespace that is no package searches the root project, then the global project', () => {
    const l = compiled('dispatch_user');
    expect(l.not_installed).toBe('(amount * 100)');
    expect(l.global_fallback).toBe('now()');
  });

  it('adapter.dispatch with an installed package searches the root project first', () => {
    expect(compiled('dispatch_user').installed_package).toBe('root label');
  });
});
