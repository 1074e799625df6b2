// dbt's UnusedResourceConfigPath: a folder path in dbt_project.yml's config trees (`models: demo:
// stagin: +materialized: table`) that no resource's fqn reaches configures nothing, most often
// because of a typo in a folder or package name. dbt lists them in one warning after parsing
// (RuntimeConfig.warn_for_unused_resource_config_paths); tsdbt does too, each with its line.
import { isFolderKey } from '../config/index.js';
import type { ProjectConfig } from '../config/types.js';
import type { SourceLocation } from '../errors/tsdbt-error.js';
import type { Manifest, ManifestNode, Warning } from '../manifest/types.js';
import { recordValues } from '../manifest/record-values.js';

/** The config trees checked, and the resource type whose fqns they configure. */
const TREES: [string, string][] = [
  ['models', 'model'],
  ['seeds', 'seed'],
  ['snapshots', 'snapshot'],
  ['sources', 'source'],
  ['data_tests', 'test'],
  ['tests', 'test'],
  ['unit_tests', 'unit_test'],
];

/** Every path of a config tree that holds a config (dbt's _get_config_paths). */
function configPaths(tree: Record<string, unknown>, path: string[] = [], out: string[][] = []): string[][] {
  let holdsConfig = false;
  for (const [key, value] of Object.entries(tree)) {
    if (isFolderKey(key, value)) configPaths(value as Record<string, unknown>, [...path, key], out);
    else holdsConfig = true;
  }
  if (holdsConfig) out.push(path);
  return out;
}

/** Every prefix of every fqn (the empty one too), as one key each: a config path is used when it is one of them. */
function addPrefixes(prefixes: Set<string>, fqn: string[]): void {
  let key = '';
  prefixes.add(key);
  for (const part of fqn) {
    key += `${part}\0`;
    prefixes.add(key);
  }
}

const pathKey = (path: string[]) => path.map((part) => `${part}\0`).join('');

/**
 * The warning for config paths of the root project that reach no resource, or null. Disabled
 * resources count as reached (their config is what disabled them).
 */
export function unusedConfigPathWarning(project: ProjectConfig, manifest: Manifest, disabledFqns: string[][]): Warning | null {
  // One set of fqn prefixes per resource type: linear in the nodes, whatever the number of paths.
  const prefixesByType = new Map<string, Set<string>>();
  const prefixesOf = (type: string) => {
    let set = prefixesByType.get(type);
    if (!set) prefixesByType.set(type, (set = new Set()));
    return set;
  };
  for (const node of recordValues(manifest.nodes)) addPrefixes(prefixesOf(node.resource_type), node.fqn);
  for (const source of recordValues(manifest.sources)) addPrefixes(prefixesOf('source'), source.fqn);
  const disabledPrefixes = new Set<string>();
  for (const fqn of disabledFqns) addPrefixes(disabledPrefixes, fqn);
  const unused: { path: string; location: SourceLocation }[] = [];
  for (const [key, type] of TREES) {
    const tree = project.raw[key];
    if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) continue;
    const prefixes = prefixesByType.get(type);
    for (const path of configPaths(tree as Record<string, unknown>)) {
      const k = pathKey(path);
      if (prefixes?.has(k) || disabledPrefixes.has(k)) continue;
      unused.push({ path: [key, ...path].join('.'), location: project.locate([key, ...path]) });
    }
  }
  const first = unused[0];
  if (!first) return null;
  const list = unused.map((u) => `- ${u.path} (${u.location.file}${u.location.line ? `:${u.location.line}` : ''})`).join('\n');
  return {
    event: 'UnusedResourceConfigPath',
    message: `Configuration paths exist in your dbt_project.yml file which do not apply to any resources.\nThere are ${unused.length} unused configuration paths:\n${list}`,
    location: first.location,
  };
}

/** The fqns of disabled nodes (kept by the parse) and of disabled source tables. */
export function disabledFqns(disabled: ManifestNode[], disabledSources: string[][]): string[][] {
  return [...disabled.map((n) => n.fqn), ...disabledSources];
}
