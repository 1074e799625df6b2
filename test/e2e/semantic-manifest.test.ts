// target/semantic_manifest.json, which MetricFlow and the dbt Semantic Layer read: dbt writes it
// with every manifest.json, in dbt-semantic-interfaces' shape (semantic models with the relation
// of their model, metrics with their input measures, saved queries, the time spines of the project
// configuration). The project follows dbt's docs: a daily time spine configured in YAML, a semantic
// model with entities, dimensions and measures, simple, ratio, derived and cumulative metrics, a
// metric created from a measure, and a saved query with an export. An edit of a metric rewrites
// the file on the next (partial) parse, a project without semantic nodes gets dbt's empty lists,
// and what dbt refuses at parse (a metric reading a measure no semantic model has, no time spine,
// a time spine column without a granularity) fails with the property file's line.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TsdbtError } from '../../src/errors/tsdbt-error.js';
import { FILES, PROFILE, SEMANTIC_YML, parseSemanticProject as parse } from '../support/semantic-project.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';
import { runTsdbt } from '../support/run-cli.js';

/** The parts of the file the tests read field by field. */
interface Element {
  name: string;
  [key: string]: unknown;
}
interface Metric extends Element {
  type_params: { input_measures: Element[]; metrics: unknown[]; [key: string]: unknown };
}
interface SemanticManifest {
  semantic_models: (Element & { measures: Element[]; entities: unknown[]; dimensions: unknown[] })[];
  metrics: Metric[];
  project_configuration: Record<string, unknown>;
  saved_queries: unknown[];
}

const read = (dir: string): { text: string; json: SemanticManifest } => {
  const text = readFileSync(path.join(dir, 'target', 'semantic_manifest.json'), 'utf8');
  return { text, json: JSON.parse(text) as SemanticManifest };
};

describe('semantic_manifest.json', () => {
  let dir: string;
  let sm: SemanticManifest;
  let text: string;
  beforeAll(async () => {
    dir = testdir(FILES);
    const { code, output } = await parse(dir);
    expect(code, output).toBe(0);
    ({ text, json: sm } = read(dir));
  });
  afterAll(() => removeDir(dir));

  it("has dbt-semantic-interfaces' top-level keys, written as Python's json.dumps writes them", () => {
    expect(Object.keys(sm)).toEqual(['semantic_models', 'metrics', 'project_configuration', 'saved_queries']);
    expect(text.startsWith('{"semantic_models": [{"name": "orders", "defaults": {"agg_time_dimension": "ordered_at"}, "description": "One row per order.", "node_relation": {')).toBe(true);
    expect(sm.project_configuration).toMatchObject({ time_spine_table_configurations: [], metadata: null, dsi_package_version: { major_version: '0', minor_version: '9', patch_version: '2' } });
  });

  it('lists the time spine with its relation and standard column', () => {
    expect(sm.project_configuration.time_spines).toEqual([
      {
        node_relation: { alias: 'time_spine_daily', schema_name: 'analytics', database: 'postgres', relation_name: '"postgres"."analytics"."time_spine_daily"' },
        primary_column: { name: 'date_day', time_granularity: 'day' },
        custom_granularities: [],
      },
    ]);
  });

  it("lists the semantic model with its model's relation and every element's fields", () => {
    const orders = sm.semantic_models[0] as SemanticManifest['semantic_models'][number];
    expect(Object.keys(orders)).toEqual(['name', 'defaults', 'description', 'node_relation', 'primary_entity', 'entities', 'measures', 'dimensions', 'label', 'metadata', 'config']);
    expect(orders.node_relation).toEqual({ alias: 'orders', schema_name: 'analytics', database: 'postgres', relation_name: '"postgres"."analytics"."orders"' });
    expect(orders.entities).toEqual([
      { name: 'order_id', description: null, type: 'primary', role: null, expr: null, metadata: null, label: null, config: { meta: {} } },
      { name: 'customer', description: null, type: 'foreign', role: null, expr: 'customer_id', metadata: null, label: null, config: { meta: {} } },
    ]);
    expect(orders.dimensions[0]).toEqual({ name: 'ordered_at', description: null, type: 'time', is_partition: false, type_params: { time_granularity: 'day', validity_params: null }, expr: null, metadata: null, label: null, config: { meta: {} } });
    expect(orders.dimensions[1]).toMatchObject({ name: 'status', type: 'categorical', type_params: null, description: 'Where the order is.' });
    expect(orders.measures.map((m) => [m.name, m.agg, m.expr, m.create_metric])).toEqual([
      ['order_total', 'sum', null, false],
      ['order_count', 'sum', '1', false],
      ['median_total', 'percentile', 'order_total', false],
    ]);
    expect(orders.measures[0]).toEqual({ name: 'order_total', agg: 'sum', description: 'The total of the orders.', create_metric: false, expr: null, agg_params: null, metadata: null, non_additive_dimension: null, agg_time_dimension: null, label: null, config: { meta: {} } });
    expect(orders.measures[2]?.agg_params).toEqual({ percentile: 0.5, use_discrete_percentile: true, use_approximate_percentile: false });
  });

  it('lists simple, ratio, derived and cumulative metrics with the measures each reads', () => {
    const metrics = new Map(sm.metrics.map((m) => [m.name, m]));
    expect([...metrics.keys()].sort()).toEqual(['completed_revenue', 'order_count', 'revenue', 'revenue_growth', 'revenue_per_order', 'weekly_revenue']);
    const plain = { filter: null, alias: null, join_to_timespine: false, fill_nulls_with: null };
    const revenue = metrics.get('revenue') as Metric;
    expect(Object.keys(revenue)).toEqual(['name', 'description', 'type', 'type_params', 'filter', 'metadata', 'label', 'config', 'time_granularity']);
    expect(revenue).toMatchObject({ description: 'Sum of order totals.', type: 'simple', label: 'Revenue', filter: null, metadata: null, config: { meta: {} }, time_granularity: null });
    expect(revenue.type_params).toEqual({
      measure: { name: 'order_total', ...plain },
      numerator: null,
      denominator: null,
      expr: null,
      window: null,
      grain_to_date: null,
      metrics: [],
      conversion_type_params: null,
      cumulative_type_params: null,
      input_measures: [{ name: 'order_total', ...plain }],
      metric_aggregation_params: null,
      join_to_timespine: false,
      fill_nulls_with: null,
    });
    expect(metrics.get('completed_revenue')?.type_params.measure).toEqual({ name: 'order_total', filter: { where_filters: [{ where_sql_template: "{{ Dimension('order_id__status') }} = 'completed'" }] }, alias: null, join_to_timespine: true, fill_nulls_with: 0 });
    // The measure with create_metric: true made a simple metric of its name.
    expect(metrics.get('order_count')).toMatchObject({ type: 'simple', label: 'order_count', description: 'Metric created from measure order_count', type_params: { measure: { name: 'order_count' }, expr: '1' } });
    const ratio = metrics.get('revenue_per_order') as Metric;
    expect(ratio.type_params.numerator).toEqual({ name: 'revenue', filter: null, alias: null, offset_window: null, offset_to_grain: null });
    expect(ratio.type_params.input_measures.map((m) => m.name)).toEqual(['order_total', 'order_count']);
    const derived = metrics.get('revenue_growth') as Metric;
    expect(derived.type_params.expr).toBe('revenue - revenue_last_week');
    expect(derived.type_params.metrics[1]).toEqual({ name: 'revenue', filter: null, alias: 'revenue_last_week', offset_window: { count: 1, granularity: 'week' }, offset_to_grain: null });
    expect(derived.type_params.input_measures).toEqual([{ name: 'order_total', ...plain }]);
    expect(metrics.get('weekly_revenue')?.type_params.cumulative_type_params).toEqual({ window: { count: 7, granularity: 'day' }, grain_to_date: null, period_agg: 'last', metric: null });
  });

  it('lists the saved query with its query, export and sorted tags', () => {
    expect(sm.saved_queries).toEqual([
      {
        name: 'revenue_by_day',
        query_params: {
          metrics: ['revenue', 'revenue_per_order'],
          group_by: ["TimeDimension('metric_time', 'day')"],
          order_by: [],
          limit: null,
          where: { where_filters: [{ where_sql_template: "{{ Dimension('order_id__status') }} = 'completed'" }] },
        },
        description: 'Revenue per day.',
        metadata: null,
        label: 'Revenue by day',
        exports: [{ name: 'revenue_by_day_table', config: { export_as: 'table', schema_name: 'analytics', alias: 'revenue_by_day_table' } }],
        tags: ['daily', 'finance'],
      },
    ]);
  });

  it('is written again when a metric is edited (partial parse)', async () => {
    writeFileSync(path.join(dir, 'models/semantic.yml'), SEMANTIC_YML.replace('description: Sum of order totals.', 'description: Sum of all order totals.').replace('window: 7 days', 'window: 2 weeks'));
    const { code, output } = await parse(dir);
    expect(code, output).toBe(0);
    const metrics = new Map(read(dir).json.metrics.map((m) => [m.name, m]));
    expect(metrics.get('revenue')?.description).toBe('Sum of all order totals.');
    expect(metrics.get('weekly_revenue')?.type_params.cumulative_type_params).toMatchObject({ window: { count: 2, granularity: 'week' } });
  });
});

describe('semantic_manifest.json of a project without semantic nodes', () => {
  it("holds dbt's empty lists, and is written again when removed", async () => {
    const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'profiles.yml': PROFILE, 'models/a.sql': 'select 1 as id\n' });
    try {
      expect((await parse(dir)).code).toBe(0);
      const expected = '{"semantic_models": [], "metrics": [], "project_configuration": {"time_spine_table_configurations": [], "metadata": null, "dsi_package_version": {"major_version": "0", "minor_version": "9", "patch_version": "2"}, "time_spines": []}, "saved_queries": []}';
      expect(read(dir).text).toBe(expected);
      removeDir(path.join(dir, 'target', 'semantic_manifest.json'));
      expect((await parse(dir)).code).toBe(0);
      expect(read(dir).text).toBe(expected);
    } finally {
      removeDir(dir);
    }
  });
});

describe("what dbt refuses in the semantic layer at parse", () => {
  /** The parse's error as the command line prints it (one error, or each of several). */
  const failing = async (files: Record<string, string>): Promise<string> => {
    const dir = testdir({ ...FILES, ...files });
    try {
      const error = await parse(dir).then(
        () => null,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(TsdbtError);
      expect(existsSync(path.join(dir, 'target', 'semantic_manifest.json'))).toBe(false);
      return (error as TsdbtError).format();
    } finally {
      removeDir(dir);
    }
  };

  // dbt's SemanticManifest.validate fires SemanticValidationFailure (error level) per problem before
  // its parse error (dbt-core's semantic_models/test_semantic_model_parsing.py reads them).
  it('fires SemanticValidationFailure per problem to the JSON log', async () => {
    const dir = testdir({ ...FILES, 'models/semantic.yml': SEMANTIC_YML.replace('      - name: order_count\n', '      - name: order_total\n') });
    try {
      const out = await runTsdbt(['--log-format', 'json', 'parse', '--project-dir', dir, '--profiles-dir', dir]);
      expect(out.code).toBe(2);
      const events = `${out.stdout}\n${out.stderr}`
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { info: { name: string; level: string; code: string }; data: { msg?: string } })
        .filter((e) => e.info.name === 'SemanticValidationFailure');
      expect(events.map((e) => [e.info.level, e.info.code, e.data.msg])).toEqual([
        ['error', 'I070', "In semantic model `orders`, can't use name `order_total` for a measure when it was already used for a measure"],
        ['error', 'I070', 'Found measure with name order_total in multiple semantic models with names (orders, orders)'],
      ]);
    } finally {
      removeDir(dir);
    }
  });

  it("fails on a metric reading a measure no semantic model has, at the metric's line", async () => {
    const output = await failing({ 'models/semantic.yml': SEMANTIC_YML.replace('      measure: order_total\n  - name: completed_revenue', '      measure: order_totl\n  - name: completed_revenue') });
    expect(output).toMatch(/models\/semantic\.yml:42.*A semantic model having a measure `order_totl` does not exist but was referenced\./);
    expect(output).toMatch(/measures: median_total, order_count, order_total/);
  });

  it('fails on a derived metric reading a metric that is not declared', async () => {
    const output = await failing({ 'models/semantic.yml': SEMANTIC_YML.replace('        - name: revenue\n        - name: revenue\n', '        - name: revenue\n        - name: revenu\n') });
    expect(output).toMatch(/The metric `revenu` does not exist but was referenced by metric `revenue_growth`\./);
  });

  it('fails without a time spine of a day or finer', async () => {
    const output = await failing({ 'models/semantic.yml': SEMANTIC_YML.replace('    time_spine:\n      standard_granularity_column: date_day\n', '') });
    expect(output).toMatch(/models\/semantic\.yml:\d+.*The semantic layer requires a time spine model with granularity DAY or smaller/);
    expect(output).toMatch(/metricflow-time-spine/);
  });

  it("fails on a time spine whose standard column has no granularity, at the model's entry", async () => {
    const output = await failing({ 'models/semantic.yml': SEMANTIC_YML.replace('        granularity: day\n', '') });
    expect(output).toMatch(/models\/semantic\.yml:3.*Time spine standard granularity column must have a granularity defined\. Please add one for column 'date_day' in model 'time_spine_daily'\./);
  });
});
