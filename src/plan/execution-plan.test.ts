// buildExecutionPlan: from a manifest, its DAG and a selection, which nodes a command executes, in
// which order, and what each waits for, as dbt's commands do: each command runs its resource types
// only (build: seeds, models, snapshots, tests and unit tests); an ephemeral model is never run
// (compile renders it); a node waits for its nearest executed ancestors, through unselected and
// ephemeral ones (dbt's subset graph keeps those edges); in build, a test of a node gates that
// node's children and a unit test runs before its model and gates it.
import { describe, expect, it } from 'vitest';
import { Dag } from '../graph/dag.js';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import { buildExecutionPlan, type Command, type ExecutionPlan } from './execution-plan.js';

type Spec = [id: string, parents: string[], materialized?: string];

/** A manifest of the given nodes (resource type from the id), in order, with its DAG. */
function project(specs: Spec[], sources: string[] = []): { manifest: Manifest; dag: Dag } {
  const nodes = Object.fromEntries(
    specs.map(([id, parents, materialized]) => {
      const resourceType = id.split('.')[0] as string;
      const node = { unique_id: id, resource_type: resourceType, name: id.split('.').pop(), original_file_path: `${id}.sql`, config: { materialized: materialized ?? (resourceType === 'model' ? 'view' : resourceType) }, depends_on: { nodes: parents, macros: [] } };
      return [id, node as unknown as ManifestNode];
    }),
  );
  const manifest = { projectName: 'p', nodes, sources: Object.fromEntries(sources.map((id) => [id, { unique_id: id }])), macros: {}, docs: {}, parent_map: {}, child_map: {}, warnings: [] } as unknown as Manifest;
  return { manifest, dag: Dag.fromManifest(manifest) };
}

const plan = (p: { manifest: Manifest; dag: Dag }, command: Command, selected?: string[]): ExecutionPlan =>
  buildExecutionPlan(p.manifest, p.dag, new Set(selected ?? Object.keys(p.manifest.nodes)), command);

/** Each step as `id <- what it waits for` (sorted), in plan order. */
const steps = (execution: ExecutionPlan) => execution.steps.map((s) => `${s.id} <- ${[...s.dependsOn].sort().join(' ') || '-'}`);

/** The same, by id (for plans whose order among independent steps is not the point). */
const waits = (execution: ExecutionPlan) => Object.fromEntries(steps(execution).map((s) => s.split(' <- ') as [string, string]));

/** The runner starts a step when what it waits for finished: every wait is a step, and none is circular. */
function expectRunnable(execution: ExecutionPlan): void {
  const ids = new Set(execution.steps.map((s) => s.id));
  for (const step of execution.steps) for (const dep of step.dependsOn) expect(ids.has(dep), `${step.id} waits for ${dep}`).toBe(true);
  const remaining = new Map(execution.steps.map((s) => [s.id, new Set(s.dependsOn)]));
  while (remaining.size) {
    const ready = [...remaining].filter(([, deps]) => [...deps].every((d) => !remaining.has(d))).map(([id]) => id);
    expect(ready, `circular waits among ${[...remaining.keys()].join(', ')}`).not.toEqual([]);
    for (const id of ready) remaining.delete(id);
  }
}

// seed -> stg (view) -> eph (ephemeral) -> mart (table) -> report; a source read by stg; a
// snapshot of the seed; tests on stg and mart; a relationships test between mart and stg; an
// analysis of mart; a unit test of mart.
const SHOP = project(
  [
    ['seed.p.raw', []],
    ['model.p.stg', ['seed.p.raw', 'source.p.app.events']],
    ['model.p.eph', ['model.p.stg'], 'ephemeral'],
    ['model.p.mart', ['model.p.eph'], 'table'],
    ['model.p.report', ['model.p.mart']],
    ['snapshot.p.snap', ['seed.p.raw']],
    ['test.p.not_null_stg_id', ['model.p.stg']],
    ['test.p.unique_mart_id', ['model.p.mart']],
    ['test.p.relationships_mart_stg', ['model.p.mart', 'model.p.stg']],
    ['analysis.p.look', ['model.p.mart']],
    ['unit_test.p.mart.t', ['model.p.mart']],
  ],
  ['source.p.app.events'],
);

describe('buildExecutionPlan', () => {
  it('run: the selected models in DAG order, each waiting for its nearest run ancestor; no ephemeral model, source, seed or test', () => {
    expect(steps(plan(SHOP, 'run'))).toEqual([
      'model.p.stg <- -', // its seed and source are not run by `run`
      'model.p.mart <- model.p.stg', // through the ephemeral model
      'model.p.report <- model.p.mart',
    ]);
    expect(plan(SHOP, 'run').command).toBe('run');
  });

  it('seed, snapshot and test run their own resource types only', () => {
    expect(steps(plan(SHOP, 'seed'))).toEqual(['seed.p.raw <- -']);
    expect(steps(plan(SHOP, 'snapshot'))).toEqual(['snapshot.p.snap <- -']);
    // `test`: data tests and unit tests; the models they read are not in the plan, so none waits.
    const tests = plan(SHOP, 'test');
    expect(waits(tests)).toEqual({ 'test.p.not_null_stg_id': '-', 'test.p.unique_mart_id': '-', 'test.p.relationships_mart_stg': '-', 'unit_test.p.mart.t': '-' });
  });

  it('compile takes models (ephemeral ones too), seeds, tests, snapshots and analyses, not unit tests (dbt: EXECUTABLE_NODE_TYPES)', () => {
    const compiled = plan(SHOP, 'compile');
    expect(compiled.steps.map((s) => s.id).sort()).toEqual(['analysis.p.look', 'model.p.eph', 'model.p.mart', 'model.p.report', 'model.p.stg', 'seed.p.raw', 'snapshot.p.snap', 'test.p.not_null_stg_id', 'test.p.relationships_mart_stg', 'test.p.unique_mart_id']);
    expect(compiled.steps.find((s) => s.id === 'model.p.mart')?.dependsOn).toEqual(['model.p.eph']);
  });

  it('build: every resource type; a test blocks what is built downstream of what it tests, through an ephemeral model too', () => {
    const built = plan(SHOP, 'build');
    expect(waits(built)).toEqual({
      'seed.p.raw': '-',
      'model.p.stg': 'seed.p.raw',
      'test.p.not_null_stg_id': 'model.p.stg',
      // The unit test needs what its model reads (for the inputs' column types), not the model.
      'unit_test.p.mart.t': 'model.p.stg',
      // mart reads stg through the ephemeral model: stg's test gates it (dbt: "if model_b depends
      // on model_a and a test on model_a fails, model_b will SKIP"), and so does its unit test.
      'model.p.mart': 'model.p.stg test.p.not_null_stg_id unit_test.p.mart.t',
      'test.p.unique_mart_id': 'model.p.mart',
      // A test of mart and stg (stg upstream of mart) blocks the children of mart only.
      'test.p.relationships_mart_stg': 'model.p.mart model.p.stg',
      'model.p.report': 'model.p.mart test.p.relationships_mart_stg test.p.unique_mart_id',
      'snapshot.p.snap': 'seed.p.raw',
    });
    expectRunnable(built);
    // A unit test runs right before the model it tests.
    const ids = built.steps.map((s) => s.id);
    expect(ids.indexOf('unit_test.p.mart.t')).toBe(ids.indexOf('model.p.mart') - 1);
  });

  it('build: a test of several nodes blocks only what is built on all of them (dbt: "the downstream node only if that node depends on all of those parents")', () => {
    const shared = project([
      ['model.p.orders', []],
      ['model.p.customers', []],
      ['model.p.order_items', ['model.p.orders']], // reads orders only
      ['model.p.customer_orders', ['model.p.order_items', 'model.p.customers']], // reads both, one through order_items
      ['model.p.customer_stats', ['model.p.customers']], // reads customers only
      ['test.p.relationships_orders_customers', ['model.p.orders', 'model.p.customers']],
      ['test.p.unique_orders_id', ['model.p.orders']],
    ]);
    const built = plan(shared, 'build');
    expect(waits(built)).toEqual({
      'model.p.orders': '-',
      'model.p.customers': '-',
      'test.p.unique_orders_id': 'model.p.orders',
      'test.p.relationships_orders_customers': 'model.p.customers model.p.orders',
      'model.p.order_items': 'model.p.orders test.p.unique_orders_id',
      'model.p.customer_orders': 'model.p.customers model.p.order_items test.p.relationships_orders_customers',
      'model.p.customer_stats': 'model.p.customers',
    });
    expectRunnable(built);
    // With one parent downstream of the other, the children of the most-downstream parent only.
    const chained = project([
      ['model.p.a', []],
      ['model.p.b', ['model.p.a']],
      ['model.p.a_child', ['model.p.a']],
      ['model.p.b_child', ['model.p.b']],
      ['test.p.relationships_b_a', ['model.p.b', 'model.p.a']],
    ]);
    expect(waits(plan(chained, 'build'))).toMatchObject({ 'model.p.b': 'model.p.a', 'model.p.a_child': 'model.p.a', 'model.p.b_child': 'model.p.b test.p.relationships_b_a' });
  });

  it('build: a test blocks the nearest selected nodes downstream, through unselected ones, and a source test blocks the models reading the source', () => {
    const chain = project(
      [
        ['model.p.a', ['source.p.app.t']],
        ['model.p.b', ['model.p.a']],
        ['model.p.c', ['model.p.b']],
        ['test.p.not_null_a_id', ['model.p.a']],
        ['test.p.source_not_null_app_t_id', ['source.p.app.t']],
      ],
      ['source.p.app.t'],
    );
    expect(waits(plan(chain, 'build', ['model.p.a', 'model.p.c', 'test.p.not_null_a_id', 'test.p.source_not_null_app_t_id']))).toEqual({
      'test.p.source_not_null_app_t_id': '-',
      'model.p.a': 'test.p.source_not_null_app_t_id',
      'test.p.not_null_a_id': 'model.p.a',
      'model.p.c': 'model.p.a test.p.not_null_a_id',
    });
  });

  it('an unselected node is skipped, and what it sat between still waits in order (dbt keeps the edges through it)', () => {
    expect(steps(plan(SHOP, 'build', ['seed.p.raw', 'model.p.mart', 'model.p.report']))).toEqual(['seed.p.raw <- -', 'model.p.mart <- seed.p.raw', 'model.p.report <- model.p.mart']);
    // A failing test of an unselected node gates nothing: it is not in the plan.
    expect(steps(plan(SHOP, 'build', ['model.p.stg', 'model.p.mart']))).toEqual(['model.p.stg <- -', 'model.p.mart <- model.p.stg']);
  });

  it('a unit test whose model is not in the plan still runs, after the rest', () => {
    expect(steps(plan(SHOP, 'build', ['model.p.stg', 'unit_test.p.mart.t']))).toEqual(['model.p.stg <- -', 'unit_test.p.mart.t <- model.p.stg']);
  });

  it('a selected ephemeral model executes nothing, and a model reading two ephemeral layers waits for what is under them', () => {
    const layered = project([
      ['seed.p.a', []],
      ['seed.p.b', []],
      ['model.p.e1', ['seed.p.a'], 'ephemeral'],
      ['model.p.e2', ['model.p.e1', 'seed.p.b'], 'ephemeral'],
      ['model.p.top', ['model.p.e2']],
    ]);
    expect(steps(plan(layered, 'build'))).toEqual(['seed.p.a <- -', 'seed.p.b <- -', 'model.p.top <- seed.p.a seed.p.b']);
    expect(steps(plan(layered, 'run', ['model.p.e1']))).toEqual([]);
  });

  it('each step carries its manifest node, and a node waits for each ancestor once', () => {
    const diamond = project([
      ['model.p.a', []],
      ['model.p.b', ['model.p.a']],
      ['model.p.c', ['model.p.a']],
      ['model.p.d', ['model.p.b', 'model.p.c', 'model.p.a']],
    ]);
    const built = plan(diamond, 'run');
    expect(steps(built)).toEqual(['model.p.a <- -', 'model.p.b <- model.p.a', 'model.p.c <- model.p.a', 'model.p.d <- model.p.a model.p.b model.p.c']);
    for (const step of built.steps) expect(step.node).toBe(diamond.manifest.nodes[step.id]);
  });

  it('in build, a saved query waits for the models under its metrics and semantic models, and their tests', () => {
    // dbt's graph holds semantic models, metrics and saved queries, so its build runs a saved query
    // (NO-OP) after the models its metrics measure, and skips it when one of them failed; the
    // waits for those models' tests are tsdbt's exposure rule, which saved queries share.
    const semantic = project([
      ['seed.p.raw', []],
      ['model.p.orders', ['seed.p.raw']],
      ['model.p.customers', ['seed.p.raw']],
      ['test.p.not_null_orders_id', ['model.p.orders']],
    ]);
    const declared = (id: string, reads: string[]) => ({ unique_id: id, resource_type: id.split('.')[0], package_name: 'p', name: id.split('.').pop(), path: 'x.yml', original_file_path: 'models/x.yml', config: { enabled: true }, tags: [], meta: {}, depends_on: { nodes: reads, macros: [] } });
    semantic.manifest.declared = Object.fromEntries(
      [
        declared('semantic_model.p.orders', ['model.p.orders']),
        declared('semantic_model.p.customers', ['model.p.customers']),
        declared('metric.p.order_count', ['semantic_model.p.orders']),
        declared('metric.p.customer_count', ['semantic_model.p.customers']),
        declared('metric.p.orders_per_customer', ['metric.p.order_count', 'metric.p.customer_count']),
        declared('saved_query.p.kpis', ['metric.p.orders_per_customer']),
        declared('exposure.p.board', ['metric.p.order_count']),
      ].map((d) => [d.unique_id, d as unknown as NonNullable<Manifest['declared']>[string]]),
    );
    const ids = [...Object.keys(semantic.manifest.nodes), ...Object.keys(semantic.manifest.declared)];
    const built = buildExecutionPlan(semantic.manifest, semantic.dag, new Set(ids), 'build');
    expectRunnable(built);
    expect(waits(built)['saved_query.p.kpis']).toBe('model.p.customers model.p.orders test.p.not_null_orders_id');
    expect(waits(built)['exposure.p.board']).toBe('model.p.orders test.p.not_null_orders_id');
  });
});
