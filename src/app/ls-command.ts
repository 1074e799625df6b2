// tsdbt ls / list, as dbt's ListTask prints it: one line per selected resource, sorted by
// unique_id, as a selector (`my_project.staging.stg_events`, `source:my_project.raw.events`,
// `unit_test:my_project.test_name`), a name (`raw.events` for a source), a path (original_file_path) or
// one JSON object per line with dbt's keys (or those of --output-keys, in their order;
// `config.materialized` reads a nested value, as dbt 1.10). Only the lines go to
// stdout, so the output pipes into jq or xargs; it never connects to the warehouse.
import { EXIT_OK } from '../errors/exit-codes.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { DeclaredResource, Manifest, ManifestNode, SourceTable } from '../manifest/types.js';
import { nodeJson, unitTestJson } from '../artifacts/resource-json.js';
import { declaredJson } from '../graph/declared-resources.js';
import type { Invocation } from './invocation.js';
import { loadProject } from './project-loader.js';
import { writeCommandManifest } from './command-manifest.js';
import { selectForInvocation } from './select.js';
import { writeGraphSummary } from '../artifacts/graph-summary.js';
import { announceLine, foundStatsLine } from './found-stats.js';

export type LsOutput = 'selector' | 'name' | 'path' | 'json';

/** dbt's DEFAULT_RESOURCE_VALUES of ls (everything but analyses); `all` adds analyses. */
const DEFAULT_TYPES = ['model', 'snapshot', 'seed', 'test', 'source', 'exposure', 'metric', 'saved_query', 'semantic_model', 'unit_test', 'function'];
export const LS_RESOURCE_TYPES = [...DEFAULT_TYPES, 'analysis', 'default', 'all'];

/** dbt's ALLOWED_KEYS: what `--output json` prints without --output-keys. */
const ALLOWED_KEYS = new Set(['alias', 'name', 'package_name', 'depends_on', 'tags', 'config', 'resource_type', 'source_name', 'original_file_path', 'unique_id']);

/** The order of dbt's dataclass fields (to_dict's key order) for the keys ls prints by default. */
const KEY_ORDER: Record<'node' | 'source' | 'unit_test' | 'declared', string[]> = {
  node: ['name', 'resource_type', 'package_name', 'original_file_path', 'unique_id', 'alias', 'config', 'tags', 'depends_on'],
  source: ['name', 'resource_type', 'package_name', 'original_file_path', 'unique_id', 'source_name', 'tags', 'config'],
  unit_test: ['name', 'resource_type', 'package_name', 'original_file_path', 'unique_id', 'depends_on', 'config'],
  declared: ['name', 'resource_type', 'package_name', 'original_file_path', 'unique_id', 'depends_on', 'tags', 'config'],
};

type Listed = { kind: 'node'; node: ManifestNode } | { kind: 'source'; node: SourceTable } | { kind: 'declared'; node: DeclaredResource };

/** --resource-type values as dbt reads them: `default` and `all` expand; nothing given is the default set. */
export function lsResourceTypes(given: readonly string[] | undefined, modelsFlag: boolean): string[] {
  if (modelsFlag) return ['model'];
  if (!given?.length) return DEFAULT_TYPES;
  const out = new Set<string>();
  for (const type of given) {
    if (type === 'default') DEFAULT_TYPES.forEach((t) => out.add(t));
    else if (type === 'all') [...DEFAULT_TYPES, 'analysis'].forEach((t) => out.add(t));
    else if (LS_RESOURCE_TYPES.includes(type)) out.add(type);
    else throw new TsdbtError(`unknown resource type '${type}'`, { code: 'usage', hint: `use one of: ${LS_RESOURCE_TYPES.join(', ')}` });
  }
  return [...out];
}

function versioned(node: { name: string; version?: unknown }): string {
  return node.version === undefined || node.version === null ? node.name : `${node.name}.v${String(node.version)}`;
}

function selector(item: Listed): string {
  if (item.kind === 'source') return `source:${item.node.package_name}.${item.node.source_name}.${item.node.name}`;
  // Exposures, metrics, saved queries, semantic models: `exposure:package.name`.
  if (item.kind === 'declared') return `${item.node.resource_type}:${item.node.package_name}.${item.node.name}`;
  const node = item.node;
  if (node.resource_type === 'unit_test') return `unit_test:${node.package_name}.${versioned(node)}`;
  return node.fqn.join('.');
}

/** dbt's search_name: `source_name.name` for a source, `name.v2` for a versioned model. */
function searchName(item: Listed): string {
  if (item.kind === 'declared') return item.node.name;
  return item.kind === 'source' ? `${item.node.source_name}.${item.node.name}` : versioned(item.node);
}

function nested(data: Record<string, unknown>, path: string): unknown {
  let current: unknown = data;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null || !(key in current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function jsonLine(item: Listed, outputKeys: readonly string[] | undefined): string {
  let full: Record<string, unknown>;
  let kind: keyof typeof KEY_ORDER = item.kind;
  if (item.kind === 'source') full = { ...item.node };
  else if (item.kind === 'declared') full = declaredJson(item.node);
  else if (item.node.resource_type === 'unit_test') {
    full = unitTestJson(item.node);
    kind = 'unit_test';
  } else {
    full = nodeJson(item.node);
    // A seed depends on macros only (dbt's MacroDependsOn).
    if (item.node.resource_type === 'seed') full.depends_on = { macros: item.node.depends_on.macros };
  }
  const out: Record<string, unknown> = {};
  if (outputKeys?.length) {
    // dbt 1.10: the keys in the order given; `config.materialized` reads a nested value.
    for (const key of outputKeys) {
      const value = key.includes('.') ? nested(full, key) : full[key];
      if (value !== undefined && (value !== null || !key.includes('.'))) out[key] = value;
    }
    return JSON.stringify(out);
  }
  for (const key of [...KEY_ORDER[kind], ...Object.keys(full)]) if (ALLOWED_KEYS.has(key) && full[key] !== undefined && !(key in out)) out[key] = full[key];
  return JSON.stringify(out);
}

/** The lines ls prints for the selected ids. */
export function lsLines(manifest: Manifest, ids: Iterable<string>, output: LsOutput, outputKeys?: readonly string[]): string[] {
  const lines: string[] = [];
  for (const id of [...ids].sort()) {
    const declared = manifest.declared?.[id];
    const item: Listed | null = manifest.nodes[id] ? { kind: 'node', node: manifest.nodes[id] } : manifest.sources[id] ? { kind: 'source', node: manifest.sources[id] } : declared ? { kind: 'declared', node: declared } : null;
    if (!item) continue;
    if (output === 'json') lines.push(jsonLine(item, outputKeys));
    else if (output === 'name') lines.push(searchName(item));
    else if (output === 'path') lines.push(item.node.original_file_path);
    else lines.push(selector(item));
  }
  return lines;
}

/** `--output-keys name resource_type` or `name,resource_type`. */
export function parseOutputKeys(values: readonly string[] | undefined): string[] | undefined {
  const keys = (values ?? []).flatMap((v) => v.split(/[\s,]+/)).filter((k) => k !== '');
  return keys.length ? keys : undefined;
}

export interface LsOptions {
  output: LsOutput;
  outputKeys?: string[];
  /** `--models` / `-m` was used: ls lists models only, as dbt's does. */
  modelsFlag?: boolean;
  /** The name the command was run by: dbt's `ls` logs the `Found ...` line, its `list` does not. */
  invokedAs?: 'ls' | 'list';
}

/** ls: prints the selected resources (selectors, names, paths, or JSON). */
export async function lsCommand(inv: Invocation, given: LsOptions | LsOutput): Promise<number> {
  const options = typeof given === 'string' ? { output: given } : given;
  // Its stdout is data (piped into jq or xargs): log lines, such as a slow parse's progress, go to stderr.
  inv.logger.dataOnStdout = true;
  const project = loadProject(inv);
  // dbt's ls writes manifest.json (its `@requires.manifest`): CI scripts read it after `dbt ls`.
  await writeCommandManifest(inv, project);
  await writeGraphSummary(project.targetDir, project.parsed.manifest, inv.invocationId);
  const { manifest, dag } = project.parsed;
  const types = lsResourceTypes(inv.options.resourceTypes, Boolean(options.modelsFlag));
  const selected = selectForInvocation({ ...inv, options: { ...inv.options, resourceTypes: types } }, manifest, dag, project);
  const lines = lsLines(manifest, selected, options.output, options.outputKeys);
  if (options.invokedAs === 'ls') announceLine(inv, foundStatsLine(manifest));
  if (lines.length === 0) inv.logger.warnOrError('No nodes selected!', 'NoNodesSelected');
  for (const line of lines) inv.logger.out(line);
  return EXIT_OK;
}
