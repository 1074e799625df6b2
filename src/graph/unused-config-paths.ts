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

/**
 * A config tree's paths as a trie of folder names: a node's fqn walks it from the root, marking
 * each step it takes reached, so a config path is used when its step is reached. No string is
 * made per node (a set of every fqn prefix, each as a key, was 120,000 strings for the
 * 10,000-model bench's 30,000 nodes).
 */
interface PathStep {
  reached: boolean;
  next: Map<string, PathStep>;
}

const newStep = (): PathStep => ({ reached: false, next: new Map() });

/** The trie of `paths` and each path's own step (in `paths`' order). */
function pathTrie(paths: string[][]): { root: PathStep; steps: PathStep[] } {
  const root = newStep();
  const steps = paths.map((path) => {
    let step = root;
    for (const part of path) {
      let next = step.next.get(part);
      if (!next) step.next.set(part, (next = newStep()));
      step = next;
    }
    return step;
  });
  return { root, steps };
}

/** Marks the steps `fqn` reaches: the root (the empty prefix), then each of its prefixes in the trie. */
function reach(root: PathStep, fqn: readonly string[]): void {
  let step: PathStep | undefined = root;
  step.reached = true;
  for (const part of fqn) {
    step = step.next.get(part);
    if (!step) return;
    step.reached = true;
  }
}

/**
 * The warning for config paths of the root project that reach no resource, or null. Disabled
 * resources count as reached (their config is what disabled them), whatever their type.
 */
export function unusedConfigPathWarning(project: ProjectConfig, manifest: Manifest, disabledFqns: string[][]): Warning | null {
  // One trie per config tree; each resource walks the tries of its type: linear in the nodes.
  const trees: { key: string; paths: string[][]; root: PathStep; steps: PathStep[] }[] = [];
  const rootsByType = new Map<string, PathStep[]>();
  for (const [key, type] of TREES) {
    const tree = project.raw[key];
    if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) continue;
    const paths = configPaths(tree as Record<string, unknown>);
    const trie = pathTrie(paths);
    trees.push({ key, paths, ...trie });
    rootsByType.set(type, [...(rootsByType.get(type) ?? []), trie.root]);
  }
  if (trees.length === 0) return null;
  const reachAll = (roots: PathStep[] | undefined, fqn: readonly string[]) => {
    if (roots) for (const root of roots) reach(root, fqn);
  };
  for (const node of recordValues(manifest.nodes)) reachAll(rootsByType.get(node.resource_type), node.fqn);
  const sourceRoots = rootsByType.get('source');
  if (sourceRoots) for (const source of recordValues(manifest.sources)) reachAll(sourceRoots, source.fqn);
  for (const fqn of disabledFqns) for (const { root } of trees) reach(root, fqn);
  const unused: { path: string; location: SourceLocation }[] = [];
  for (const { key, paths, steps } of trees) {
    paths.forEach((path, i) => {
      if (!steps[i]?.reached) unused.push({ path: [key, ...path].join('.'), location: project.locate([key, ...path]) });
    });
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
