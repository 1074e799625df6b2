// dbt's FoundStats line, `Found 3 models, 1 seed, 5 data tests, 1 source, 552 macros`, printed when
// the graph is compiled (compilation.py print_compile_stats): by run, build, compile, ... and by
// `ls`, though not by `list` (dbt skips it when its `which` is "list", and `which` is the name the
// command was invoked by). dbt's _generate_stats counts manifest.nodes by resource type in the order
// the types first appear (models, snapshots, analyses, singular tests and seeds, then the
// on-run-start / on-run-end hooks as `operation`s, then what property files define), then
// sources, exposures, metrics, macros, groups, semantic models, saved queries and unit tests; every
// kind whose count is 0 is left out, and a count of 1 is singular (`1 test`, NodeType's str).
import type { Manifest, ManifestNode } from '../manifest/types.js';
import { recordValues } from '../manifest/record-values.js';
import type { Invocation } from './invocation.js';
import { countLabel } from './run-summary.js';

/** Nodes dbt parses from property files (after every project's SQL and seed files). */
function fromPropertyFile(node: ManifestNode): boolean {
  return node.test_metadata !== undefined || (node.resource_type === 'snapshot' && /\.ya?ml$/.test(node.original_file_path));
}

/** dbt parses each project's files in its ModelParser, SnapshotParser, AnalysisParser, SingularTestParser, SeedParser order (then HookParser, then the property files). */
const FILE_NODE_ORDER = ['model', 'snapshot', 'analysis', 'test', 'seed'];

/** The `Found ...` line. */
export function foundStatsLine(m: Manifest): string {
  // One walk of the nodes (every command that compiles prints this before its first statement).
  const fileCounts = new Map<string, number>();
  // By resource type in the order each first appears, as dbt's dict of counts keeps them.
  const propertyCounts = new Map<string, number>();
  let unitTests = 0;
  for (const node of recordValues(m.nodes)) {
    if (node.resource_type === 'unit_test') unitTests++;
    else if (node.resource_type === 'function' || (node.resource_type === 'test' && !node.config.enabled)) continue;
    else bump(fromPropertyFile(node) ? propertyCounts : fileCounts, node.resource_type, 1);
  }
  const declared = new Map<string, number>();
  for (const d of recordValues(m.declared ?? {})) bump(declared, d.resource_type, 1);
  const counts = new Map<string, number>();
  const add = (type: string, n: number): void => {
    if (n !== 0) bump(counts, type, n);
  };
  for (const type of FILE_NODE_ORDER) add(type, fileCounts.get(type) ?? 0);
  // The on-run-start / on-run-end hooks' nodes (dbt's HookParser, after each project's file parsers).
  add('operation', fileCounts.get('operation') ?? 0);
  for (const [type, n] of propertyCounts) add(type, n);
  add('source', Object.keys(m.sources).length);
  add('exposure', declared.get('exposure') ?? 0);
  add('metric', declared.get('metric') ?? 0);
  add('macro', Object.keys(m.macros).length);
  add('group', declared.get('group') ?? 0);
  add('semantic_model', declared.get('semantic_model') ?? 0);
  add('saved_query', declared.get('saved_query') ?? 0);
  add('unit_test', unitTests);
  const parts = [...counts].map(([type, n]) => countLabel(n, type));
  return `Found ${parts.join(', ')}`;
}

function bump(counts: Map<string, number>, key: string, n: number): void {
  counts.set(key, (counts.get(key) ?? 0) + n);
}

/** dbt's FoundStats for the `Found ...` line (its stat_line, without `Found `); a Note otherwise. */
export function announceLine(inv: Invocation, line: string): void {
  if (line.startsWith('Found ')) inv.logger.info(line, 'FoundStats', { stat_line: line.slice('Found '.length) });
  else inv.logger.info(line);
}
