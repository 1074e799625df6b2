// dbt's `graph` is one set of plain dicts for the whole run (dbt-core's `manifest.flat_graph`, the
// docs' "dictionary representations of those nodes"), and packages keep run state in it:
// Elementary's on-run-start hook does `graph.setdefault('elementary', {...})` and later renders
// read and fill it; dbt_constraints' on-run-end changes the node dicts it reads
// (`node.update({'alias': ...})`). A change is seen by every later render of the run, and is the
// run's alone: manifest.json still shows the node as parsed.
import { afterAll, describe, expect, it } from 'vitest';
import { offlineProject, type OfflineProject } from '../support/offline-project.js';
import { removeDir } from '../support/testdir.js';
import { warehouseProject } from '../support/warehouse-project.js';

describe('graph as run state', () => {
  let p: OfflineProject | undefined;
  afterAll(() => p && removeDir(p.dir));

  it('keeps what a render adds to the top level of graph for the later renders of the run', async () => {
    p = await offlineProject({
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'models/first.sql': "{% if execute %}{% set state = graph.setdefault('shared', {'seen': []}) %}{% do state.seen.append('first') %}{% endif %}select 1 as x",
      'models/second.sql': "select '{{ graph.shared.seen | join(\",\") if execute else \"\" }}' as seen, {{ graph.nodes | length }} as nodes from {{ ref('first') }}",
    });
    expect(p.compiled('second')).toContain("select 'first' as seen, 2 as nodes");
  });

  it("lets a render change a node's dict, its config and its lists, and later renders see the change; manifest.json does not", async () => {
    const q = await offlineProject({
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'models/first.sql': [
        "{% if execute %}{% set node = graph.nodes['model.demo.first'] %}",
        "{% do node.update({'alias': 'renamed'}) %}{% do node.config.update({'materialized': 'table'}) %}",
        "{% do node.tags.append('seen') %}{% do node.depends_on.nodes.append('model.demo.other') %}{% endif %}",
        "{{ config(tags=['a']) }}select 1 as x",
      ].join(''),
      'models/second.sql': [
        "{% set node = graph.nodes['model.demo.first'] if execute else {} %}",
        "select '{{ node.alias }}' as alias, '{{ node.config.materialized }}' as m, '{{ node.tags | join(\",\") }}' as tags,",
        " {{ node.depends_on.nodes | length if execute else 0 }} as deps from {{ ref('first') }}",
      ].join(''),
    });
    try {
      expect(q.compiled('second')).toContain("select 'renamed' as alias, 'table' as m, 'a,seen' as tags, 1 as deps");
      const first = q.manifest().nodes?.['model.demo.first'] as { alias: string; tags: string[]; config: { materialized: string }; depends_on: { nodes: string[] } };
      expect([first.alias, first.tags, first.config.materialized, first.depends_on.nodes]).toEqual(['first', ['a'], 'view', []]);
    } finally {
      removeDir(q.dir);
    }
  });
});

describe('graph as run state, with renders that reach the warehouse', () => {
  const project = warehouseProject('pglite', {
    'dbt_project.yml': 'name: demo\nprofile: demo\n',
    // The render stops at run_query after changing graph, and renders again from the start.
    'models/first.sql': "{% if execute %}{% set state = graph.setdefault('shared', {'seen': []}) %}{% do state.seen.append('first') %}{% do run_query('select 1') %}{% endif %}select 1 as x",
    'models/second.sql': "select '{{ graph.shared.seen | join(\",\") if execute else \"\" }}' as seen from {{ ref('first') }}",
  });
  afterAll(() => project.cleanup());

  it('undoes what an attempt changed when it stops to ask the warehouse, so each change counts once', async () => {
    const run = await project.run('run');
    expect(run.code, run.output).toBe(0);
    expect(await project.sql(`select seen from "${project.schema}".second`)).toEqual([{ seen: 'first' }]);
  });
});

describe("graph entries changed by renders that reach the warehouse", () => {
  const project = warehouseProject('pglite', {
    'dbt_project.yml': 'name: demo\nprofile: demo\n',
    // Each change comes before a run_query, so the render stops there and renders again from the start.
    'models/first.sql': [
      "{% if execute %}{% set node = graph.nodes['model.demo.first'] %}",
      "{% do node.tags.append('once') %}{% do run_query('select 1') %}",
      "{% do node.config.update({'n': node.config.get('n', 0) + 1}) %}{% do run_query('select 2') %}",
      "{% do graph.nodes.pop('model.demo.gone') %}{% do run_query('select 3') %}{% endif %}",
      'select 1 as x',
    ].join(''),
    'models/gone.sql': 'select 1 as y',
    'models/second.sql': [
      "{% set node = graph.nodes['model.demo.first'] if execute else {} %}",
      "select '{{ node.tags | join(\",\") }}' as tags, '{{ node.config.n }}' as n,",
      " '{{ graph.nodes.get(\"model.demo.gone\") is none }}' as gone from {{ ref('first') }}",
    ].join(''),
  });
  afterAll(() => project.cleanup());

  it('undoes what an attempt changed in a node, its config, its lists and the nodes dict, so each change counts once', async () => {
    const run = await project.run('run');
    expect(run.code, run.output).toBe(0);
    expect(await project.sql(`select tags, n, gone from "${project.schema}".second`)).toEqual([{ tags: 'once', n: '1', gone: 'True' }]);
  });
});
