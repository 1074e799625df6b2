// What a metric or saved query reads, linked as dbt's process_metrics links it once every
// semantic resource is parsed (parser/manifest.py): a simple or cumulative metric's measure, a
// conversion metric's base and conversion measures, each found on the semantic model that
// declares it (its `depends_on`); a ratio or derived metric's input metrics; a saved query's
// metrics. What resolves to nothing, or to a disabled resource, fails the parse with dbt's message
// (MetricFlow could not read the semantic manifest):
// - "A semantic model having a measure `m` does not exist but was referenced."
// - "The measure `m` is referenced on disabled semantic model `sm`."
// - "The metric `m` does not exist but was referenced by metric `x`."
// - "The metric `m` is disabled and thus cannot be referenced."
// - a saved query's: "Saved_Query '<id>' (<file>) depends on a metric named 'm' which was not found" (or "is disabled"),
//   and a node's `metric('m')` the same (dbt's _process_metrics_for_node).
import { isPlainObject } from '../config/yaml-file.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { DeclaredResource, Manifest } from '../manifest/types.js';
import { recordValues } from '../manifest/record-values.js';

const record = (value: unknown): Record<string, unknown> => (isPlainObject(value) ? value : {});
const nameOf = (v: unknown) => (typeof v === 'string' ? v : isPlainObject(v) && typeof v.name === 'string' ? v.name : null);

/** The names a metric's type_params read: measures (of semantic models) and other metrics. */
export function metricInputs(typeParams: Record<string, unknown>): { measures: string[]; metrics: string[] } {
  const conversion = record(typeParams.conversion_type_params);
  const measures = [typeParams.measure, conversion.base_measure, conversion.conversion_measure].map(nameOf).filter((n): n is string => n !== null);
  const metrics = [typeParams.numerator, typeParams.denominator, ...(Array.isArray(typeParams.metrics) ? (typeParams.metrics as unknown[]) : [])].map(nameOf).filter((n): n is string => n !== null);
  return { measures, metrics };
}

/** Linking what metrics and saved queries read, over the enabled and disabled semantic resources. */
export class MetricLinker {
  private readonly measureOwner = new Map<string, DeclaredResource>();
  private readonly disabledMeasureOwner = new Map<string, DeclaredResource>();
  private readonly disabledMetrics = new Set<string>();

  constructor(
    private readonly declared: Record<string, DeclaredResource>,
    disabled: DeclaredResource[],
    private readonly fail: (err: TsdbtError) => void,
  ) {
    const own = (owners: Map<string, DeclaredResource>, sm: DeclaredResource) => {
      for (const m of Array.isArray(sm.properties.measures) ? sm.properties.measures : []) if (isPlainObject(m) && typeof m.name === 'string' && !owners.has(m.name)) owners.set(m.name, sm);
    };
    for (const d of Object.values(declared)) if (d.resource_type === 'semantic_model') own(this.measureOwner, d);
    for (const d of disabled) {
      if (d.resource_type === 'semantic_model') own(this.disabledMeasureOwner, d);
      if (d.resource_type === 'metric') this.disabledMetrics.add(d.name);
    }
  }

  /** The metric named `name` (its own package's first). */
  private metric(name: string, pkg: string): DeclaredResource | undefined {
    return this.declared[`metric.${pkg}.${name}`] ?? Object.values(this.declared).find((d) => d.resource_type === 'metric' && d.name === name);
  }

  /** Adds to `nodes` what the metric or saved query reads; fails for what it cannot read. */
  link(resource: DeclaredResource, entry: Record<string, unknown>, nodes: Set<string>): void {
    const location = { file: resource.original_file_path, line: resource.line };
    const error = (message: string, hint: string) => this.fail(new TsdbtError(message, { code: 'semantic-input-not-found', location, hint }));
    if (resource.resource_type === 'metric') {
      const inputs = metricInputs(record(entry.type_params));
      for (const measure of inputs.measures) {
        const owner = this.measureOwner.get(measure);
        const off = owner ? undefined : this.disabledMeasureOwner.get(measure);
        if (owner) nodes.add(owner.unique_id);
        else if (off) error(`The measure \`${measure}\` is referenced on disabled semantic model \`${off.name}\`.`, `enable semantic model '${off.name}', or stop reading measure '${measure}' in metric '${resource.name}'`);
        else error(`A semantic model having a measure \`${measure}\` does not exist but was referenced.`, `declare the measure under a semantic model's \`measures:\`, or fix the name in metric '${resource.name}' (measures: ${[...this.measureOwner.keys()].sort().join(', ') || 'none'})`);
      }
      for (const name of inputs.metrics) {
        const metric = this.metric(name, resource.package_name);
        if (metric) nodes.add(metric.unique_id);
        else if (this.disabledMetrics.has(name)) error(`The metric \`${name}\` is disabled and thus cannot be referenced.`, `enable metric '${name}', or stop reading it in metric '${resource.name}'`);
        else error(`The metric \`${name}\` does not exist but was referenced by metric \`${resource.name}\`.`, `declare metric '${name}' under \`metrics:\`, or fix the name`);
      }
    } else if (resource.resource_type === 'saved_query') {
      const metrics = record(entry.query_params).metrics;
      for (const name of Array.isArray(metrics) ? metrics.map(String) : typeof metrics === 'string' ? [metrics] : []) {
        const metric = this.metric(name, resource.package_name);
        if (metric) {
          nodes.add(metric.unique_id);
          continue;
        }
        const disabled = this.disabledMetrics.has(name);
        this.fail(
          metricNotFound(resource, name, null, disabled, disabled ? `enable metric '${name}', or remove it from the saved query's \`query_params.metrics\`` : `declare metric '${name}' under \`metrics:\`, or fix the name in \`query_params.metrics\``),
        );
      }
    }
  }
}

/** dbt's TargetNotFoundError for a metric a node or saved query names. */
function metricNotFound(from: { resource_type: string; unique_id: string; original_file_path: string; line?: number }, name: string, pkg: string | null, disabled: boolean, hint: string): TsdbtError {
  // Python's str.title(): each run of letters capitalised (saved_query -> Saved_Query).
  const title = from.resource_type.replace(/[A-Za-z]+/g, (w) => (w[0] as string).toUpperCase() + w.slice(1).toLowerCase());
  const where = pkg !== null ? `in package or project '${pkg}' ` : '';
  return new TsdbtError(`${title} '${from.unique_id}' (${from.original_file_path}) depends on a metric named '${name}' ${where}which ${disabled ? 'is disabled' : 'was not found'}`, {
    code: 'semantic-input-not-found',
    location: { file: from.original_file_path, line: from.line ?? 1 },
    hint,
  });
}

/** Each node's `metric()` calls against the enabled metrics (dbt's _process_metrics_for_node). */
export function checkNodeMetrics(manifest: Manifest, fail: (err: TsdbtError) => void): void {
  const metrics = Object.values(manifest.declared ?? {}).filter((d) => d.resource_type === 'metric');
  const disabled = (manifest.disabledDeclared ?? []).filter((d) => d.resource_type === 'metric');
  const matches = (m: DeclaredResource, name: string, pkg: string | null) => m.name === name && (pkg === null || m.package_name === pkg);
  for (const node of recordValues(manifest.nodes)) {
    if (!node.metrics) continue;
    const ids = new Set<string>();
    for (const call of node.metrics) {
      const name = call[call.length - 1] as string;
      const pkg = call.length === 2 ? (call[0] as string) : null;
      const metric = metrics.find((m) => matches(m, name, pkg) && (pkg !== null || m.package_name === node.package_name)) ?? metrics.find((m) => matches(m, name, pkg));
      if (metric) {
        ids.add(metric.unique_id);
        continue;
      }
      const off = disabled.some((m) => matches(m, name, pkg));
      fail(metricNotFound(node, name, pkg, off, off ? `enable metric '${name}', or remove the metric() call` : `declare metric '${name}' under \`metrics:\` in a property file, or fix the name`));
    }
    node.metric_ids = [...ids];
  }
}
