// dbt's `metric('name')` / `metric('package', 'name')` in a node's SQL (context/providers.py's
// ParseMetricResolver and RuntimeMetricResolver): while parsing, the call is recorded on the node
// (its `metrics`, which the parse links to the metric, failing on one that is missing or
// disabled) and gives a MetricReference (`metric_name`, `package_name`, rendering as the name);
// when executing, it gives the metric as manifest.json lists it (ResolvedMetricReference: `name`,
// `label`, `type`, `type_params`, `filter`, ...), found in the run's graph.
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { NodeRenderState, TemplateServices } from './render-state.js';

/** The `metric` function of one render. */
export function metricCall(services: TemplateServices, state: NodeRenderState) {
  return (...args: unknown[]): Record<string, unknown> => {
    if (args.length < 1 || args.length > 2 || args.some((a) => typeof a !== 'string')) {
      throw new TsdbtError(`metric() takes one or two strings, got ${args.length} argument(s)`, {
        code: 'metric-args',
        location: { file: state.node.original_file_path, line: state.node.line },
        hint: "write metric('name') or metric('package_name', 'name')",
      });
    }
    const call = args as string[];
    const name = call[call.length - 1] as string;
    const pkg = call.length === 2 ? (call[0] as string) : null;
    if (state.phase === 'parse') {
      (state.metrics ??= []).push(call);
      return { metric_name: name, package_name: pkg, toString: () => name };
    }
    const graph = services.graph?.() as { metrics?: Record<string, Record<string, unknown>> } | undefined;
    const metrics = Object.values(graph?.metrics ?? {});
    const found = metrics.find((m) => m.name === name && (pkg === null || m.package_name === pkg)) ?? null;
    if (!found) {
      throw new TsdbtError(`${state.node.resource_type} '${state.node.name}' reads metric '${name}', which is not in the manifest`, {
        code: 'metric-args',
        location: { file: state.node.original_file_path, line: state.node.line },
        hint: 'declare the metric under `metrics:` in a property file',
      });
    }
    return { ...found, metric_name: name, package_name: pkg, toString: () => name };
  };
}
