// Two corners of dbt's template context that packages lean on (dbt-unit-testing does both):
// - `context` is the render's context as a dict (dbt-core base.py: ctx["context"] = ctx): macros
//   keep state in it with context.get / context.update for the rest of one node's render, and the
//   next node starts without it.
// - `render(text)` renders text as a template in the same context (dbt-core providers.py).
// - While parsing, dbt's config object answers "" to config.get / require / meta_get (and False to
//   persist_*_docs), so what a template decides on them then, and the refs it records, are dbt's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineProject, type OfflineProject } from '../support/offline-project.js';
import { MINIMAL_PROJECT_YML, removeDir } from '../support/testdir.js';

const FILES = {
  'dbt_project.yml': MINIMAL_PROJECT_YML,
  'macros/cache.sql': `{% macro remember(k, v) %}{% set cache = context.get('__CACHE__', {}) %}{% do cache.update({k: v}) %}{% do context.update({'__CACHE__': cache}) %}{% endmacro %}
{% macro recall(k) %}{{ return(context.get('__CACHE__', {}).get(k, 'missing')) }}{% endmacro %}
`,
  'models/a.sql': 'select 1 as id\n',
  'models/b.sql': 'select 2 as id\n',
  'models/first.sql': "{{ remember('x', 1) }}{{ remember('y', 2) }}select '{{ recall('x') }}{{ recall('y') }}{{ recall('z') }}' as v, '{{ context.get('absent', 'fallback') }}' as w\n",
  'models/second.sql': "select '{{ recall('x') }}' as v\n",
  'models/rendered.sql': "{{ remember('x', 'kept') }}select '{{ render(\"{{ this.identifier }}-{{ recall('x') }}\") }}' as v\n",
  'packages.yml': 'packages:\n  - local: vendor/helpers\n',
  'dbt_packages/helpers/dbt_project.yml': 'name: helpers\nversion: "1.0.0"\nconfig-version: 2\n',
  'dbt_packages/helpers/macros/shout.sql': '{% macro shout(x) %}{{ x | upper }}{% endmacro %}\n{% macro mocked_node() %}{{ return(graph.nodes.id) }}{% endmacro %}\n',
  // dbt's context is one dict: an update replaces even `graph` (which tsdbt serves through a
  // getter) for every macro of the render, a package's included (Elementary's get_anomaly_config).
  'models/graph_mocked.sql': "{% do context.update({'graph': {'nodes': {'id': 'mock'}}, 'thread_id': 'T'}) %}select '{{ graph.nodes.id }}' as g, '{{ helpers.mocked_node() }}' as p, '{{ thread_id }}' as t\n",
  'models/by_name.sql':
    "{% set m = context['helpers'].get('shout') %}select '{{ m('hi') }}' as a, '{{ context[project_name]['recall']('z') }}' as b, '{{ context['helpers'].get('absent') is none }}' as c, '{{ 'helpers' in context }}' as d\n",
  // `adapter` is made when first read (node-context.ts): reading it either way, and replacing it
  // before any read, behave as a member made up front.
  'models/adapter_read.sql': "select '{{ adapter.quote('q') }}' as a, '{{ context['adapter'].quote('r') }}' as b, '{{ 'adapter' in context.keys() }}' as c\n",
  'models/adapter_replaced.sql': "{% do context.update({'adapter': 'mine'}) %}select '{{ context.get('adapter') }}' as a\n",
  'models/decides.sql': "{{ config(tags=['unit-test'], meta={'k': 'v'}) }}\n{% if not execute and ('unit-test' in config.get('tags', [])) %}{{ ref('a') }}{% endif %}\nselect '{{ config.get('tags') | join(',') }}' as tags, '{{ config.meta_get('k') }}' as k from {{ ref('b') }}\n",
};

describe("the `context` dict and config while parsing", () => {
  let project: OfflineProject;
  const compiled = (name: string) => project.compiled(name);
  let nodes: Record<string, { depends_on: { nodes: string[] } }>;
  beforeAll(async () => {
    project = await offlineProject(FILES);
    nodes = project.manifest<{ nodes: typeof nodes }>().nodes;
  });
  afterAll(() => removeDir(project.dir));

  it('keeps what macros put in context for the rest of the render, and only for it', () => {
    expect(compiled('first')).toContain("select '12missing' as v, 'fallback' as w");
    expect(compiled('second')).toContain("select 'missing' as v");
  });

  it("gives the context's macros and package namespaces as its items (context['pkg'].get('macro'))", () => {
    expect(compiled('by_name')).toContain("select 'HI' as a, 'missing' as b, 'True' as c, 'True' as d");
  });

  it('gives `adapter` when read, and the value put in context when replaced before', () => {
    expect(compiled('adapter_read')).toContain(`select '"q"' as a, '"r"' as b, 'True' as c`);
    expect(compiled('adapter_replaced')).toContain("select 'mine' as a");
    expect(compiled('graph_mocked')).toContain("select 'mock' as g, 'mock' as p, 'T' as t");
  });

  it('renders text with render() in the same context', () => {
    expect(compiled('rendered')).toContain("select 'rendered-kept' as v");
  });

  it('answers "" to config.get while parsing, so only the refs dbt records are dependencies', () => {
    expect(nodes['model.demo.decides']?.depends_on.nodes).toEqual(['model.demo.b']);
    // Executing, config.get reads the node's config.
    expect(compiled('decides')).toContain("select 'unit-test' as tags, 'v' as k from");
  });
});
