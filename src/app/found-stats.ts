// dbt's FoundStats line, `Found 3 models, 1 seed, 5 data tests, 0 sources, 552 macros`, printed when
// the graph is compiled (compilation.py print_compile_stats): by run, build, compile, ... and by
// `ls`, though not by `list` (dbt skips it when its `which` is "list", and `which` is the name the
// command was invoked by).
import type { Manifest } from '../manifest/types.js';
import { recordValues } from '../manifest/record-values.js';
import type { Invocation } from './invocation.js';
import { plural } from './run-summary.js';

/** The `Found ...` line: only kinds the project has, beyond models, tests, sources and macros. */
export function foundStatsLine(m: Manifest): string {
  const counts = new Map<string, number>();
  for (const node of recordValues(m.nodes)) counts.set(node.resource_type, (counts.get(node.resource_type) ?? 0) + 1);
  const count = (type: string) => counts.get(type) ?? 0;
  const parts = [
    plural(count('model'), 'model'),
    ...(count('snapshot') ? [plural(count('snapshot'), 'snapshot')] : []),
    ...(count('seed') ? [plural(count('seed'), 'seed')] : []),
    plural(count('test'), 'data test'),
    ...(count('unit_test') ? [plural(count('unit_test'), 'unit test')] : []),
    ...(count('function') ? [plural(count('function'), 'function')] : []),
    plural(Object.keys(m.sources).length, 'source'),
    plural(Object.keys(m.macros).length, 'macro'),
  ];
  return `Found ${parts.join(', ')}`;
}

/** dbt's FoundStats for the `Found ...` line (its stat_line, without `Found `); a Note otherwise. */
export function announceLine(inv: Invocation, line: string): void {
  if (line.startsWith('Found ')) inv.logger.info(line, 'FoundStats', { stat_line: line.slice('Found '.length) });
  else inv.logger.info(line);
}
