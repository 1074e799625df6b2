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
import type { LoadedProject } from './project-loader.js';
import { countLabel } from './run-summary.js';

/** Nodes dbt parses from property files (after every project's SQL and seed files). */
function fromPropertyFile(node: ManifestNode): boolean {
  return node.test_metadata !== undefined || (node.resource_type === 'snapshot' && /\.ya?ml$/.test(node.original_file_path));
}

/** The `Found ...` line; `hooks`: the on-run-start / on-run-end hooks of the project and its packages. */
export function foundStatsLine(m: Manifest, hooks = 0): string {
  const counts = new Map<string, number>();
  const add = (type: string, n: number): void => {
    if (n !== 0) counts.set(type, (counts.get(type) ?? 0) + n);
  };
  const nodes = recordValues(m.nodes).filter((n) => n.resource_type !== 'unit_test' && n.resource_type !== 'function' && !(n.resource_type === 'test' && !n.config.enabled));
  // dbt parses each project's files in its ModelParser, SnapshotParser, AnalysisParser,
  // SingularTestParser, SeedParser, HookParser order, then the property files.
  const fileNodes = nodes.filter((n) => !fromPropertyFile(n));
  for (const type of ['model', 'snapshot', 'analysis', 'test', 'seed']) add(type, fileNodes.filter((n) => n.resource_type === type).length);
  add('operation', hooks);
  for (const node of nodes.filter(fromPropertyFile)) add(node.resource_type, 1);
  const declared = recordValues(m.declared ?? {});
  const declaredCount = (type: string) => declared.filter((d) => d.resource_type === type).length;
  add('source', Object.keys(m.sources).length);
  add('exposure', declaredCount('exposure'));
  add('metric', declaredCount('metric'));
  add('macro', Object.keys(m.macros).length);
  add('group', declaredCount('group'));
  add('semantic_model', declaredCount('semantic_model'));
  add('saved_query', declaredCount('saved_query'));
  add('unit_test', recordValues(m.nodes).filter((n) => n.resource_type === 'unit_test').length);
  const parts = [...counts].map(([type, n]) => countLabel(n, type));
  return `Found ${parts.join(', ')}`;
}

/** The project's and its packages' on-run-start / on-run-end hooks (dbt's HookParser nodes). */
export function projectHookCount(project: Pick<LoadedProject, 'config' | 'packages'>): number {
  return [project.config, ...project.packages].reduce((n, p) => n + p.onRunStart.length + p.onRunEnd.length, 0);
}

/** dbt's FoundStats for the `Found ...` line (its stat_line, without `Found `); a Note otherwise. */
export function announceLine(inv: Invocation, line: string): void {
  if (line.startsWith('Found ')) inv.logger.info(line, 'FoundStats', { stat_line: line.slice('Found '.length) });
  else inv.logger.info(line);
}
