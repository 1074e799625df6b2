// A project with a semantic layer as dbt's docs write one: a daily time spine configured in YAML,
// a semantic model with entities, dimensions and measures, simple, ratio, derived and cumulative
// metrics, a metric created from a measure, and a saved query with an export; and its parse.
import { createInvocation } from '../../src/app/invocation.js';
import { parseCommand } from '../../src/app/parse-command.js';
import { MINIMAL_PROJECT_YML } from './testdir.js';

export const PROFILE = 'demo:\n  target: dev\n  outputs:\n    dev: {type: pglite, path: memory, schema: analytics}\n';

export const SEMANTIC_YML = `version: 2
models:
  - name: time_spine_daily
    time_spine:
      standard_granularity_column: date_day
    columns:
      - name: date_day
        granularity: day
semantic_models:
  - name: orders
    description: One row per order.
    model: ref('orders')
    defaults:
      agg_time_dimension: ordered_at
    entities:
      - name: order_id
        type: primary
      - name: customer
        type: foreign
        expr: customer_id
    dimensions:
      - name: ordered_at
        type: time
        type_params:
          time_granularity: day
      - name: status
        type: categorical
        description: "{{ doc('order_status') }}"
    measures:
      - name: order_total
        agg: sum
        description: "The {{ doc('order_total') }}"
      - name: order_count
        agg: sum
        expr: 1
        create_metric: true
      - name: median_total
        agg: percentile
        expr: order_total
        agg_params: {percentile: 0.5, use_discrete_percentile: true}
metrics:
  - name: revenue
    label: Revenue
    description: Sum of order totals.
    type: simple
    type_params:
      measure: order_total
  - name: completed_revenue
    label: Completed revenue
    type: simple
    type_params:
      measure:
        name: order_total
        filter: "{{ Dimension('order_id__status') }} = 'completed'"
        fill_nulls_with: 0
        join_to_timespine: true
  - name: revenue_per_order
    label: Revenue per order
    type: ratio
    type_params:
      numerator: revenue
      denominator: order_count
  - name: revenue_growth
    label: Revenue growth
    type: derived
    type_params:
      expr: revenue - revenue_last_week
      metrics:
        - name: revenue
        - name: revenue
          offset_window: 1 week
          alias: revenue_last_week
  - name: weekly_revenue
    label: Weekly revenue
    type: cumulative
    type_params:
      measure: order_total
      cumulative_type_params:
        window: 7 days
        period_agg: last
saved_queries:
  - name: revenue_by_day
    description: Revenue per day.
    label: Revenue by day
    tags: [finance, daily]
    query_params:
      metrics: [revenue, revenue_per_order]
      group_by: ["TimeDimension('metric_time', 'day')"]
      where: ["{{ Dimension('order_id__status') }} = 'completed'"]
    exports:
      - name: revenue_by_day_table
        config:
          export_as: table
`;

export const FILES = {
  'dbt_project.yml': MINIMAL_PROJECT_YML,
  'profiles.yml': PROFILE,
  'models/orders.sql': "select 1 as order_id, 2 as customer_id, 10 as order_total, 'completed' as status, current_date as ordered_at\n",
  'models/time_spine_daily.sql': "select current_date as date_day\n",
  'models/semantic.yml': SEMANTIC_YML,
  // Descriptions of a semantic model's parts go through doc() as dbt's process_docs renders them.
  'models/docs.md': '{% docs order_total %}total of the orders.{% enddocs %}\n{% docs order_status %}Where the order is.{% enddocs %}\n',
};

export async function parseSemanticProject(dir: string, extra: string[] = []): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const inv = createInvocation({ projectDir: dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir }, ...(extra.includes('--no-partial-parse') ? { noPartialParse: true } : {}) });
  const code = await parseCommand(inv);
  return { code, output: lines.join('\n') };
}

