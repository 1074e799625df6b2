// What dbt refuses in a semantic-layer property entry as it reads it and links it (dbt's
// UnparsedMetric.validate and process_metrics, with their messages), and how manifest.json lists
// the semantic resources' configs (every field of dbt's config classes, the top-level `group`, a
// semantic model's meta under each of its elements'), and a model's `metric()` calls (recorded at
// parse, linked, the metric's fields when executing). The project is test/support's semantic one,
// edited per case as dbt's docs and functional tests write the mistakes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCommand } from '../../src/app/compile-command.js';
import { TsdbtError } from '../../src/errors/tsdbt-error.js';
import { FILES, SEMANTIC_YML, parseSemanticProject } from '../support/semantic-project.js';
import { testInvocation } from '../support/test-invocation.js';
import { removeDir, testdir } from '../support/testdir.js';

/** The parse's error as the command line prints it, for SEMANTIC_YML edited by `edit`. */
async function failing(edit: (yml: string) => string): Promise<string> {
  const yml = edit(SEMANTIC_YML);
  expect(yml).not.toBe(SEMANTIC_YML);
  const dir = testdir({ ...FILES, 'models/semantic.yml': yml });
  try {
    const error = await parseSemanticProject(dir).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(TsdbtError);
    return (error as TsdbtError).format();
  } finally {
    removeDir(dir);
  }
}

describe('semantic-layer entries dbt refuses as it reads them', () => {
  it('refuses a metric name with spaces, naming every rule it breaks, at its line', async () => {
    const output = await failing((y) => y.replace('  - name: revenue\n    label: Revenue\n', '  - name: total revenue\n    label: Revenue\n'));
    expect(output).toMatch(/models\/semantic\.yml:\d+: Invalid metrics config given in models\/semantic\.yml @ metrics: The metric name 'total revenue' is invalid\. {2}It cannot contain spaces, must contain only letters, numbers and underscores/);
  });

  it('refuses a metric name that starts with a digit', async () => {
    const output = await failing((y) => y.replace('  - name: weekly_revenue\n', '  - name: 7day_revenue\n'));
    expect(output).toMatch(/The metric name '7day_revenue' is invalid\. {2}It must begin with a letter/);
  });

  it("refuses a metric in the legacy spec (no type or type_params), naming the key dbt's schema requires", async () => {
    const output = await failing((y) => y.replace('    type: simple\n    type_params:\n      measure: order_total\n  - name: completed_revenue', '    calculation_method: sum\n    expression: order_total\n  - name: completed_revenue'));
    expect(output).toMatch(/models\/semantic\.yml:\d+: Invalid metrics config given in models\/semantic\.yml @ metrics: 'type' is a required property \(of 'revenue'\)/);
  });

  it('refuses a cumulative window whose count is not a number', async () => {
    const output = await failing((y) => y.replace('        window: 7 days\n', '        window: seven days\n'));
    expect(output).toMatch(/Invalid count \(seven\) in cumulative\/conversion metric window string: \(seven days\)/);
  });

  it("refuses a metric config's enabled that is not a boolean", async () => {
    const output = await failing((y) => y.replace('  - name: revenue\n    label: Revenue\n', '  - name: revenue\n    label: Revenue\n    config:\n      enabled: True and False\n'));
    expect(output).toMatch(/metric 'revenue': invalid config enabled: 'True and False' is not of type 'boolean'/);
  });
});

describe("a model's time_spine, with dbt's messages", () => {
  it('refuses a standard granularity column the model does not declare', async () => {
    const output = await failing((y) => y.replace('      standard_granularity_column: date_day\n', '      standard_granularity_column: date_dy\n'));
    expect(output).toMatch(/models\/semantic\.yml:3: Time spine standard granularity column must be defined on the model\. Got invalid column name 'date_dy' for model 'time_spine_daily'\. Valid names: \['date_day'\]\./);
  });

  it('refuses a custom granularity whose column the model does not declare', async () => {
    const output = await failing((y) => y.replace('      standard_granularity_column: date_day\n', '      standard_granularity_column: date_day\n      custom_granularities:\n        - name: fiscal_year\n          column_name: fiscal_yr\n'));
    expect(output).toMatch(/Time spine custom granularity columns do not exist in the model\. Columns not found: \['fiscal_yr'\]; Available columns: \['date_day'\]/);
  });
});

describe("dbt-semantic-interfaces' rules dbt runs at parse", () => {
  it('refuses a name that is not lower-case letters, digits and underscores, or that is a time grain', async () => {
    const output = await failing((y) => y.replace('      - name: status\n', '      - name: Status\n').replace('      - name: median_total\n', '      - name: day\n'));
    expect(output).toMatch(/Invalid name `Status` - names may only contain lower case letters, numbers, and underscores\./);
    expect(output).toMatch(/Invalid name `day` - names cannot match reserved time granularity keywords/);
  });

  it('refuses a name used twice within a semantic model', async () => {
    const output = await failing((y) => y.replace('      - name: median_total\n', '      - name: status\n'));
    expect(output).toMatch(/In semantic model `orders`, can't use name `status` for a dimension when it was already used for a measure/);
  });

  it('refuses two primary entities, and dimensions without a primary entity', async () => {
    const two = await failing((y) => y.replace('        type: foreign\n        expr: customer_id\n', '        type: primary\n        expr: customer_id\n'));
    expect(two).toMatch(/models\/semantic\.yml:\d+: Semantic models can have only one primary entity\. The semantic model `orders` has 2: order_id, customer/);
    const none = await failing((y) => y.replace('      - name: order_id\n        type: primary\n', '      - name: order_id\n        type: unique\n'));
    expect(none).toMatch(/The semantic model orders contains dimensions, but it does not define a primary entity\./);
  });

  it('refuses a label two metrics use', async () => {
    const output = await failing((y) => y.replace('    label: Completed revenue\n', '    label: Revenue\n'));
    expect(output).toMatch(/Can't use label `Revenue` for {2}metric `completed_revenue` as it's already used for metric `revenue`/);
  });

  it('refuses a name that is an entity in one semantic model and a dimension in another', async () => {
    const second = "  - name: order_statuses\n    model: ref('orders')\n    primary_entity: order_status\n    dimensions:\n      - name: order_id\n        type: categorical\nmetrics:\n";
    const output = await failing((y) => y.replace('metrics:\n', second));
    expect(output).toMatch(/In semantic models \{'order_statuses'\}, element `order_id` is of type dimension, but it is used as types \[dimension, entity\] across the model\./);
  });
});

describe("dbt-semantic-interfaces' measure and metric rules", () => {
  it('refuses a count measure without expr, and a percentile outside 0..1', async () => {
    const output = await failing((y) => y.replace('        agg: sum\n        expr: 1\n', '        agg: count\n').replace('percentile: 0.5,', 'percentile: 1.5,'));
    expect(output).toMatch(/Measure 'order_count' uses a COUNT aggregation, which requires an expr to be provided\. Provide 'expr: 1' if a count of all rows is desired\./);
    expect(output).toMatch(/Percentile aggregation parameter for measure 'median_total' is '1\.5', but must be between 0 and 1 \(non-inclusive\)/);
  });

  it('refuses a cumulative metric with both window and grain_to_date, and an alias that is an input metric name', async () => {
    const output = await failing((y) => y.replace('        window: 7 days\n', '        window: 7 days\n        grain_to_date: month\n').replace('          alias: revenue_last_week\n', '          alias: revenue\n'));
    expect(output).toMatch(/Both window and grain_to_date set for cumulative metric\. Please set one or the other\./);
    expect(output).toMatch(/Alias 'revenue' for input metric: 'revenue' is already being used\. Please choose another alias\./);
  });

  it("warns, as the validator does, on a derived metric's input metric that its expr does not use", async () => {
    const dir = testdir({ ...FILES, 'models/semantic.yml': SEMANTIC_YML.replace('      expr: revenue - revenue_last_week\n', '      expr: revenue * 2\n') });
    try {
      const { code, output } = await parseSemanticProject(dir);
      expect(code, output).toBe(0);
      expect(output).toMatch(/Input metric 'revenue_last_week' is not used in `expr`: 'revenue \* 2' for derived metric 'revenue_growth'\. Please update the `expr` or remove the input metric\./);
    } finally {
      removeDir(dir);
    }
  });
});

describe('what metrics and saved queries read, as dbt links it', () => {
  it('refuses a measure of a disabled semantic model, and a metric that is disabled with it', async () => {
    const output = await failing((y) => y.replace("    model: ref('orders')\n", "    model: ref('orders')\n    config:\n      enabled: false\n"));
    expect(output).toMatch(/The measure `order_total` is referenced on disabled semantic model `orders`\./);
    // order_count's create_metric metric is disabled with its semantic model; the ratio reads it.
    expect(output).toMatch(/The metric `order_count` is disabled and thus cannot be referenced\./);
  });

  it("refuses a semantic model whose model does not exist, with dbt's message", async () => {
    const output = await failing((y) => y.replace("    model: ref('orders')\n", "    model: ref('orderz')\n"));
    expect(output).toMatch(/depends on a node named 'orderz' which was not found/);
  });

  it('refuses a saved query reading a metric nobody declares', async () => {
    const output = await failing((y) => y.replace('      metrics: [revenue, revenue_per_order]\n', '      metrics: [revenue, revenue_per_ordr]\n'));
    expect(output).toMatch(/Saved_Query 'saved_query\.demo\.revenue_by_day' \(models\/semantic\.yml\) depends on a metric named 'revenue_per_ordr' which was not found/);
  });
});

describe("manifest.json's semantic resources", () => {
  it("list every field of dbt's config, the top-level group, and the semantic model's meta under its elements'", async () => {
    const yml = SEMANTIC_YML.replace("    model: ref('orders')\n", "    model: ref('orders')\n    config:\n      meta: {team: sales, level: model}\n")
      .replace('      - name: status\n        type: categorical\n', '      - name: status\n        type: categorical\n        config:\n          meta: {level: dimension}\n')
      .replace('  - name: revenue\n    label: Revenue\n', '  - name: revenue\n    label: Revenue\n    meta: {owner: top}\n');
    const dir = testdir({ ...FILES, 'models/semantic.yml': yml });
    try {
      const { code, output } = await parseSemanticProject(dir);
      expect(code, output).toBe(0);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8')) as Record<string, Record<string, Record<string, unknown>>>;
      const sm = manifest.semantic_models?.['semantic_model.demo.orders'] as { config: unknown; group: unknown; dimensions: { name: string; config: unknown }[] };
      expect(sm.config).toEqual({ enabled: true, group: null, meta: { team: 'sales', level: 'model' } });
      expect(sm.group).toBeNull();
      expect(sm.dimensions.find((d) => d.name === 'status')?.config).toEqual({ meta: { team: 'sales', level: 'dimension' } });
      expect(sm.dimensions.find((d) => d.name === 'ordered_at')?.config).toEqual({ meta: { team: 'sales', level: 'model' } });
      const revenue = manifest.metrics?.['metric.demo.revenue'] as { config: unknown; meta: unknown; group: unknown };
      expect(revenue.config).toEqual({ enabled: true, group: null, meta: {} });
      expect(revenue.meta).toEqual({ owner: 'top' });
      expect(revenue.group).toBeNull();
      const sq = manifest.saved_queries?.['saved_query.demo.revenue_by_day'] as { config: Record<string, unknown> };
      expect(sq.config).toMatchObject({ enabled: true, group: null, meta: {}, export_as: null, schema: null, cache: { enabled: false } });
    } finally {
      removeDir(dir);
    }
  });
});

/** A model reading metrics as dbt's functional tests do: the names at parse, the metric when executing. */
const METRIC_MODEL = `{% set ms = [metric('revenue'), metric('order_count')] %}
{% if not execute %}{{ config(metric_names=ms | map(attribute='metric_name') | list) }}{% endif %}
select 1 as id -- {% for m in ms %}{{ m.name }}: {{ m.label }} ({{ m.type }}) {% endfor %}
`;

describe("a model's metric() calls", () => {
  it('are recorded and linked at parse, and give the metric when compiled', async () => {
    const dir = testdir({ ...FILES, 'models/reads_metrics.sql': METRIC_MODEL });
    try {
      const { code, output } = await parseSemanticProject(dir);
      expect(code, output).toBe(0);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { metrics?: unknown; depends_on: { nodes: string[] }; config: Record<string, unknown> }> };
      const node = manifest.nodes['model.demo.reads_metrics'];
      expect(node?.metrics).toEqual([['revenue'], ['order_count']]);
      expect(node?.depends_on.nodes).toEqual(['metric.demo.revenue', 'metric.demo.order_count']);
      expect(node?.config.metric_names).toEqual(['revenue', 'order_count']);
      const { inv, lines } = testInvocation(dir, { select: ['reads_metrics'] });
      expect(await compileCommand(inv), lines.join('\n')).toBe(0);
      const compiled = readFileSync(path.join(dir, 'target', 'compiled', 'demo', 'models', 'reads_metrics.sql'), 'utf8');
      expect(compiled).toContain('revenue: Revenue (simple) order_count: order_count (simple)');
    } finally {
      removeDir(dir);
    }
  });

  it("fail the parse on a disabled metric, with dbt's message", async () => {
    const yml = SEMANTIC_YML.replace('  - name: revenue\n    label: Revenue\n', '  - name: revenue\n    label: Revenue\n    config:\n      enabled: false\n').replace('      numerator: revenue\n', '      numerator: completed_revenue\n').replace('        - name: revenue\n        - name: revenue\n', '        - name: completed_revenue\n        - name: completed_revenue\n').replace('      metrics: [revenue, revenue_per_order]\n', '      metrics: [revenue_per_order]\n');
    const dir = testdir({ ...FILES, 'models/semantic.yml': yml, 'models/reads_metrics.sql': METRIC_MODEL });
    try {
      const error = await parseSemanticProject(dir).then(
        () => null,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(TsdbtError);
      expect((error as TsdbtError).format()).toMatch(/models\/reads_metrics\.sql:1: Model 'model\.demo\.reads_metrics' \(models\/reads_metrics\.sql\) depends on a metric named 'revenue' which is disabled/);
    } finally {
      removeDir(dir);
    }
  });
});
