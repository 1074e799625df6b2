// Exposures, groups, semantic models, metrics and saved queries declared in property files are in
// manifest.json under dbt's sections, with dbt's unique_ids, fqns and depends_on (refs, sources,
// metrics, the semantic model owning a metric's measure); a dependency that resolves to nothing is
// a warning; disabled ones are left out; none of them joins the DAG commands build from.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileCommand } from '../../src/app/compile-command.js';
import { createInvocation } from '../../src/app/invocation.js';
import { parseCommand } from '../../src/app/parse-command.js';
import { parseDependency } from '../../src/graph/declared-resources.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const FILES = {
  'dbt_project.yml': MINIMAL_PROJECT_YML,
  'models/staging/orders.sql': 'select 1 as id, 10 as amount, current_date as ordered_at\n',
  'models/marts/customers.sql': "select id from {{ ref('orders') }}\n",
  // dbt requires a daily time spine beside semantic models.
  'models/metricflow_time_spine.sql': 'select current_date as date_day\n',
  // Templates see them in `graph`, as dbt's flat graph has them (packages such as dbt_project_evaluator read it).
  'analyses/graph_kinds.sql': "{% if execute %}{% for kind in ['exposures', 'groups', 'semantic_models', 'metrics', 'saved_queries'] %}{{ kind }}={{ graph[kind].values() | map(attribute='name') | sort | join('+') }};{% endfor %}{{ graph.exposures['exposure.demo.weekly_report'].depends_on.nodes | join('+') }}{% endif %}\n",
  'profiles.yml': 'demo:\n  target: dev\n  outputs:\n    dev: {type: pglite, path: memory, schema: main}\n',
  'models/sources.yml': 'version: 2\nsources:\n  - name: raw\n    tables: [{name: payments}]\n',
  'models/marts/_exposures.yml': `version: 2
groups:
  - name: finance
    owner: {name: Finance, email: finance@example.com}
    description: The finance team's models.
exposures:
  - name: weekly_report
    label: Weekly report
    type: dashboard
    maturity: high
    url: https://bi.example.com/weekly
    description: Orders per week.
    owner: {name: Ann, email: ann@example.com}
    tags: [bi]
    depends_on:
      - ref('customers')
      - source('raw', 'payments')
      - ref('missing_model')
  - name: switched_off
    type: notebook
    owner: {name: Bo}
    config: {enabled: false}
    depends_on: [ref('orders')]
semantic_models:
  - name: orders_sm
    description: Orders as a semantic model.
    model: ref('orders')
    defaults: {agg_time_dimension: ordered_at}
    entities: [{name: order, type: primary, expr: id}]
    dimensions: [{name: ordered_at, type: time, type_params: {time_granularity: day}}]
    measures: [{name: order_total, agg: sum, expr: amount}, {name: order_count, agg: count, expr: id}]
metrics:
  - name: revenue
    label: Revenue
    type: simple
    type_params: {measure: order_total}
  - name: orders_placed
    label: Orders placed
    type: simple
    type_params: {measure: {name: order_count}}
  - name: revenue_per_order
    label: Revenue per order
    type: ratio
    type_params: {numerator: revenue, denominator: {name: orders_placed}}
saved_queries:
  - name: revenue_by_day
    description: Revenue per day.
    query_params:
      metrics: [revenue, revenue_per_order]
      group_by: ["TimeDimension('metric_time', 'day')"]
      where: ["{{ TimeDimension('metric_time', 'DAY') }} >= '2023-01-01'", "{{ TimeDimension('metric_time', 'DAY') }} <= now()"]
  - name: revenue_one_filter
    query_params:
      metrics: [revenue]
      where: "{{ TimeDimension('metric_time', 'DAY') }} <= now()"
`,
};

describe('declared resources in manifest.json', () => {
  let dir: string;
  let manifest: Record<string, Record<string, Record<string, unknown>>>;
  let output: string;
  beforeAll(async () => {
    dir = testdir(FILES);
    const lines: string[] = [];
    const inv = createInvocation({ projectDir: dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir } });
    expect(await parseCommand(inv)).toBe(0);
    output = lines.join('\n');
    manifest = JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8')) as typeof manifest;
  });
  afterAll(() => removeDir(dir));

  it('lists exposures with their refs and sources resolved, warning about a missing one', () => {
    expect(Object.keys(manifest.exposures ?? {})).toEqual(['exposure.demo.weekly_report']);
    expect(manifest.exposures?.['exposure.demo.weekly_report']).toMatchObject({
      resource_type: 'exposure',
      name: 'weekly_report',
      label: 'Weekly report',
      type: 'dashboard',
      maturity: 'high',
      url: 'https://bi.example.com/weekly',
      owner: { name: 'Ann', email: 'ann@example.com' },
      tags: ['bi'],
      fqn: ['demo', 'marts', 'weekly_report'],
      original_file_path: 'models/marts/_exposures.yml',
      path: 'marts/_exposures.yml',
      // dbt links an exposure's sources before its refs (ManifestLoader: process_sources, then process_refs).
      depends_on: { nodes: ['source.demo.raw.payments', 'model.demo.customers'], macros: [] },
    });
    expect(output).toMatch(/exposure 'weekly_report' depends on 'ref\('missing_model'\)', which was not found/);
  });

  it('lists groups, semantic models, metrics and saved queries with what each reads', () => {
    expect(manifest.groups?.['group.demo.finance']).toMatchObject({ name: 'finance', owner: { name: 'Finance', email: 'finance@example.com' }, description: "The finance team's models." });
    expect(manifest.semantic_models?.['semantic_model.demo.orders_sm']).toMatchObject({ model: "ref('orders')", depends_on: { nodes: ['model.demo.orders'] }, measures: [{ name: 'order_total' }, { name: 'order_count' }] });
    expect(manifest.metrics?.['metric.demo.revenue']).toMatchObject({ type: 'simple', label: 'Revenue', depends_on: { nodes: ['semantic_model.demo.orders_sm'] } });
    expect(manifest.metrics?.['metric.demo.orders_placed']).toMatchObject({ depends_on: { nodes: ['semantic_model.demo.orders_sm'] } });
    expect(manifest.metrics?.['metric.demo.revenue_per_order']).toMatchObject({ type: 'ratio', depends_on: { nodes: ['metric.demo.revenue', 'metric.demo.orders_placed'] } });
    expect(manifest.saved_queries?.['saved_query.demo.revenue_by_day']).toMatchObject({ depends_on: { nodes: ['metric.demo.revenue', 'metric.demo.revenue_per_order'] } });
    // dbt's WhereFilterIntersection, a list or one string (dbt-core's TestSavedQueryPartialParsing.test_saved_query_filter_types).
    expect(manifest.saved_queries?.['saved_query.demo.revenue_by_day']?.query_params).toMatchObject({
      where: { where_filters: [{ where_sql_template: "{{ TimeDimension('metric_time', 'DAY') }} >= '2023-01-01'" }, { where_sql_template: "{{ TimeDimension('metric_time', 'DAY') }} <= now()" }] },
    });
    expect(manifest.saved_queries?.['saved_query.demo.revenue_one_filter']?.query_params).toMatchObject({ where: { where_filters: [{ where_sql_template: "{{ TimeDimension('metric_time', 'DAY') }} <= now()" }] } });
  });

  it("puts them in templates' graph", async () => {
    const inv = createInvocation({ projectDir: dir, write: () => {}, writeError: () => {}, env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir } });
    expect(await compileCommand(inv)).toBe(0);
    expect(readFileSync(path.join(dir, 'target', 'compiled', 'demo', 'analyses', 'graph_kinds.sql'), 'utf8').trim()).toBe(
      'exposures=weekly_report;groups=finance;semantic_models=orders_sm;metrics=orders_placed+revenue+revenue_per_order;saved_queries=revenue_by_day+revenue_one_filter;source.demo.raw.payments+model.demo.customers',
    );
  });

  it('keeps them out of the nodes, and in parent_map and child_map as dbt does (build_parent_and_child_maps)', () => {
    expect(Object.keys(manifest.nodes ?? {}).some((id) => /^(exposure|metric|group|semantic_model|saved_query)\./.test(id))).toBe(false);
    expect(manifest.child_map?.['model.demo.customers']).toEqual(['exposure.demo.weekly_report']);
    expect(manifest.parent_map?.['exposure.demo.weekly_report']).toEqual(['model.demo.customers', 'source.demo.raw.payments']);
  });
});

describe('parseDependency', () => {
  it('reads ref, source and metric calls as YAML writes them', () => {
    expect(parseDependency("ref('m')")).toEqual({ ref: { name: 'm', package: null, version: null } });
    expect(parseDependency('ref("pkg", "m", v=2)')).toEqual({ ref: { name: 'm', package: 'pkg', version: 2 } });
    expect(parseDependency("source('raw', 'events')")).toEqual({ source: ['raw', 'events'] });
    expect(parseDependency("metric('revenue')")).toEqual({ metric: 'revenue' });
    expect(parseDependency('orders')).toBeNull();
    expect(parseDependency('ref(var)')).toBeNull();
  });
});
