// A metric in manifest.json as dbt's Metric writes it (artifacts/resources/v1/metric.py): type_params
// as its MetricTypeParams (a measure named by a string is {name, filter, alias, join_to_timespine,
// fill_nulls_with}, a filter string a where-filter intersection, a window {count, granularity}), with
// the input_measures dbt's process_metrics fills: a simple metric's measure, a ratio or derived
// metric's inputs' measures, each distinct one once.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FILES, parseSemanticProject } from '../support/semantic-project.js';
import { removeDir, testdir } from '../support/testdir.js';

type Metric = { type: string; type_params: Record<string, unknown>; filter: unknown; time_granularity: unknown };

const measure = (name: string, extra: Record<string, unknown> = {}) => ({ name, filter: null, alias: null, join_to_timespine: false, fill_nulls_with: null, ...extra });

describe('manifest.json metrics', () => {
  const dir = testdir(FILES);
  afterAll(() => removeDir(dir));

  it("writes type_params as dbt's MetricTypeParams with its input_measures", async () => {
    const { code, output } = await parseSemanticProject(dir);
    expect(code, output).toBe(0);
    const metrics = (JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { metrics: Record<string, Metric> }).metrics;
    const completed = measure('order_total', { filter: { where_filters: [{ where_sql_template: "{{ Dimension('order_id__status') }} = 'completed'" }] }, join_to_timespine: true, fill_nulls_with: 0 });
    const revenue = metrics['metric.demo.revenue'] as Metric;
    expect(revenue.type_params).toEqual({
      measure: measure('order_total'),
      input_measures: [measure('order_total')],
      numerator: null,
      denominator: null,
      expr: null,
      window: null,
      grain_to_date: null,
      metrics: [],
      conversion_type_params: null,
      cumulative_type_params: null,
      metric_aggregation_params: null,
    });
    expect(revenue.filter).toBeNull();
    expect(revenue.time_granularity).toBeNull();
    expect(metrics['metric.demo.completed_revenue']?.type_params.input_measures).toEqual([completed]);
    // ratio: its numerator's and denominator's measures
    expect(metrics['metric.demo.revenue_per_order']?.type_params.input_measures).toEqual([measure('order_total'), measure('order_count')]);
    expect(metrics['metric.demo.revenue_per_order']?.type_params.numerator).toEqual({ name: 'revenue', filter: null, alias: null, offset_window: null, offset_to_grain: null });
    // derived: revenue twice is one measure
    const growth = metrics['metric.demo.revenue_growth'] as Metric;
    expect(growth.type_params.input_measures).toEqual([measure('order_total')]);
    expect((growth.type_params.metrics as unknown[])[1]).toEqual({ name: 'revenue', filter: null, alias: 'revenue_last_week', offset_window: { count: 1, granularity: 'week' }, offset_to_grain: null });
    expect(metrics['metric.demo.weekly_revenue']?.type_params.cumulative_type_params).toEqual({ window: { count: 7, granularity: 'day' }, grain_to_date: null, period_agg: 'last', metric: null });
  });
});
