// Runs the selector grammar over the manifest: a SelectableGraph view of the nodes and sources.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { TsdbtError, throwCollected } from '../errors/tsdbt-error.js';
import type { Dag } from '../graph/dag.js';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import { parseSelectorsYaml, selectNodes } from '../selection/index.js';
import type { SelectableGraph, SelectableNode } from '../selection/selectable-graph.js';
import { compareWithState, contractBreakingChangeMessage, contractBreaks, stateArtifactsFor, stateIsTargetMessage, unversionedBreakingChangeMessage, type NodeState } from '../state/index.js';
import type { Invocation } from './invocation.js';
import { projectRenderer, type LoadedProject } from './project-loader.js';

interface FreshnessEntry {
  unique_id?: string;
  max_loaded_at?: string | null;
  status?: string;
}

/**
 * A sources.json's results by unique_id. dbt's source_status: method needs both files, the
 * --state folder's (previous) and this target's (current), and raises its DbtInternalError
 * "No <which> state comparison freshness results in sources.json" without one.
 */
function readFreshness(file: string, which: 'previous' | 'current'): Map<string, FreshnessEntry> {
  if (!existsSync(file)) {
    throw new TsdbtError(`No ${which} state comparison freshness results in sources.json`, {
      code: 'state-missing',
      location: { file },
      hint:
        which === 'previous'
          ? 'source_status: compares with an earlier run: pass --state <a copy of the target/ of a run of `tsdbt source freshness`>'
          : 'run `tsdbt source freshness` first: source_status: compares its target/sources.json with the --state one',
    });
  }
  let parsed: { results?: FreshnessEntry[] };
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as { results?: FreshnessEntry[] };
  } catch (err) {
    throw new TsdbtError(`${file} is not valid JSON: ${(err as Error).message}`, { code: 'state-invalid', hint: 'run `tsdbt source freshness` again to rewrite it' });
  }
  return new Map((parsed.results ?? []).filter((r) => r.unique_id).map((r) => [String(r.unique_id), r]));
}

/**
 * dbt's source_status:fresher: a source whose newest load in this run's target/sources.json is
 * later than in the --state folder's sources.json (or absent there), and whose check did not fail.
 */
export function freshnessStatuses(targetDir: string, stateDir: string): Map<string, 'fresher' | 'unchanged'> {
  const previous = readFreshness(path.join(stateDir, 'sources.json'), 'previous');
  const current = readFreshness(path.join(targetDir, 'sources.json'), 'current');
  const out = new Map<string, 'fresher' | 'unchanged'>();
  for (const [id, now] of current) {
    const before = previous.get(id);
    const ok = now.status !== 'runtime error' && now.max_loaded_at;
    const newer = !before?.max_loaded_at || Date.parse(String(now.max_loaded_at)) > Date.parse(before.max_loaded_at);
    out.set(id, ok && newer ? 'fresher' : 'unchanged');
  }
  return out;
}

/** What --state says about each node: its comparison with the state manifest and its result there. */
export interface StateFacts {
  nodes: Map<string, NodeState>;
  results: Map<string, string> | null;
}

/** A manifest node as the selector grammar sees it. */
function selectableNode(node: ManifestNode, state?: StateFacts): SelectableNode {
  return {
    unique_id: node.unique_id,
    name: node.name,
    resource_type: node.resource_type,
    package_name: node.package_name,
    fqn: node.fqn,
    original_file_path: node.original_file_path,
    patch_path: node.patch_path,
    tags: node.tags,
    config: node.config,
    test_type: node.resource_type === 'test' ? (node.test_metadata ? 'generic' : 'singular') : undefined,
    test_name: node.test_metadata?.name,
    state: state?.nodes.get(node.unique_id),
    result_status: state?.results?.get(node.unique_id),
    version: node.version ?? null,
    latest_version: node.latest_version ?? null,
    depends_on: node.depends_on.nodes,
  };
}

export function selectableGraph(manifest: Manifest, dag: Dag, sourceStatus: Map<string, 'fresher' | 'unchanged'> = new Map(), state?: StateFacts): SelectableGraph {
  const nodes = new Map<string, SelectableNode>();
  for (const node of Object.values(manifest.nodes)) nodes.set(node.unique_id, selectableNode(node, state));
  for (const source of Object.values(manifest.sources)) {
    nodes.set(source.unique_id, {
      unique_id: source.unique_id,
      name: source.name,
      resource_type: 'source',
      package_name: source.package_name,
      fqn: source.fqn,
      original_file_path: source.original_file_path,
      tags: source.tags,
      config: source.config,
      source_name: source.source_name,
      source_status: sourceStatus.get(source.unique_id),
      state: state?.nodes.get(source.unique_id),
      result_status: state?.results?.get(source.unique_id),
      depends_on: [],
    });
  }
  const declaredChildren = addDeclared(nodes, manifest, state);
  const parents = (id: string): readonly string[] => (declaredChildren.declared.has(id) ? (nodes.get(id)?.depends_on ?? []) : dag.parents(id));
  const children = (id: string): readonly string[] => {
    const extra = declaredChildren.children.get(id);
    return extra ? [...dag.children(id), ...extra] : dag.children(id);
  };
  return { nodes, parents, children, state: state ? { manifest: true, results: state.results !== null } : undefined };
}

/**
 * Exposures, metrics, saved queries and semantic models are members of dbt's selection graph
 * (NodeSelector._is_graph_member): `+exposure:x` selects what it reads, `users+` and `group:g+`
 * its exposures, and `ls` lists them. They run nothing, so the commands that run skip them. Groups
 * are not nodes. Returns the ids added and the edges from what they read to them.
 */
function addDeclared(nodes: Map<string, SelectableNode>, manifest: Manifest, state?: StateFacts): { declared: Set<string>; children: Map<string, string[]> } {
  const declared = new Set<string>();
  const children = new Map<string, string[]>();
  for (const resource of Object.values(manifest.declared ?? {})) {
    if (resource.resource_type === 'group' || !resource.config.enabled) continue;
    declared.add(resource.unique_id);
    nodes.set(resource.unique_id, {
      unique_id: resource.unique_id,
      name: resource.name,
      resource_type: resource.resource_type,
      package_name: resource.package_name,
      fqn: resource.fqn,
      original_file_path: resource.original_file_path,
      tags: resource.tags,
      config: resource.config,
      state: state?.nodes.get(resource.unique_id),
      depends_on: resource.depends_on.nodes,
    });
    for (const parent of resource.depends_on.nodes) {
      const list = children.get(parent);
      if (list) list.push(resource.unique_id);
      else children.set(parent, [resource.unique_id]);
    }
  }
  return { declared, children };
}

/**
 * The node ids an invocation selects (with --select / --exclude / --selector / selectors.yml).
 * `hooks`: the project hooks' operation nodes, members of the graph for the commands that select
 * them (compile), as dbt's hooks are manifest nodes; they have no parents or children.
 */
export function selectForInvocation(inv: Invocation, manifest: Manifest, dag: Dag, project?: Pick<LoadedProject, 'targetDir' | 'profile' | 'cliVars'> & { parsed?: Pick<LoadedProject['parsed'], 'disabled'> }, hooks: readonly ManifestNode[] = []): Set<string> {
  const targetDir = project?.targetDir;
  const file = path.join(inv.projectDir, 'selectors.yml');
  // selectors.yml renders as dbt's SelectorRenderer does: target, --vars (a missing one fails), env_var.
  const render = project ? projectRenderer(inv, project.cliVars, project.profile) : undefined;
  const selectors = existsSync(file) ? parseSelectorsYaml(readFileSync(file, 'utf8'), 'selectors.yml', render) : undefined;
  const wantsFreshness = [...(inv.options.select ?? []), ...(inv.options.exclude ?? [])].some((s) => s.includes('source_status:'));
  if (wantsFreshness && !inv.options.state) {
    throw new TsdbtError('source_status: selection compares with an earlier run, so it needs --state', {
      code: 'state-missing',
      hint: 'keep a copy of target/ from the previous run and pass --state <that folder>; run `tsdbt source freshness` first',
    });
  }
  const statuses = wantsFreshness && inv.options.state ? freshnessStatuses(targetDir ?? path.join(inv.projectDir, 'target'), path.resolve(inv.projectDir, inv.options.state)) : undefined;
  // state: / result: need the --state manifest (a clear error when it is missing); a --state folder
  // given only for source_status: may hold just sources.json.
  const words = [...(inv.options.select ?? []), ...(inv.options.exclude ?? [])].join(' ');
  const wantsState = /\b(state|result):/.test(words) || (existsSync(file) && /method:\s*['"]?(state|result)\b/.test(readFileSync(file, 'utf8')));
  const stateDir = inv.options.state;
  const withState = stateDir !== undefined && (wantsState || existsSync(path.resolve(inv.projectDir, stateDir, 'manifest.json')));
  const built = selectableGraph(manifest, dag, statuses, withState ? stateFacts(inv, manifest, stateDir, wantsState, targetDir ?? path.join(inv.projectDir, 'target')) : undefined);
  const graph = hooks.length ? { ...built, nodes: new Map([...built.nodes, ...hooks.map((h) => [h.unique_id, selectableNode(h)] as const)]) } : built;
  if (withState && wantsState) warnContractBreaks(inv, manifest, stateDir, project?.parsed?.disabled ?? []);
  const selected = selectNodes(
    graph,
    {
      select: inv.options.select,
      exclude: inv.options.exclude,
      selector: inv.options.selector,
      resourceTypes: inv.options.resourceTypes,
      excludeResourceTypes: inv.options.excludeResourceTypes,
      indirectSelection: inv.options.indirectSelection,
    },
    selectors,
  );
  warnUnmatchedCriteria(inv, graph, selectors);
  return selected;
}

/** This project against the --state folder's manifest.json and run_results.json. */
function stateFacts(inv: Invocation, manifest: Manifest, dir: string, warn: boolean, targetDir: string): StateFacts {
  const artifacts = stateArtifactsFor(inv, inv.projectDir, dir, '--state', warnIfStateIsTarget(inv, targetDir));
  // The comparison's warnings (seeds too large to checksum) are said when state: selection asks, as in dbt.
  return { nodes: compareWithState(manifest, artifacts.manifest, warn ? (message, event) => inv.logger.warnOrError(message, event) : undefined), results: artifacts.results };
}

/** dbt's WarnStateTargetEqual, for stateArtifactsFor: the --state folder is this run's target folder. */
export function warnIfStateIsTarget(inv: Invocation, targetDir: string): (abs: string, given: string) => void {
  return (abs, given) => {
    if (path.resolve(abs) === path.resolve(targetDir)) inv.logger.warnOrError(stateIsTargetMessage(given), 'WarnStateTargetEqual');
  };
}

/**
 * A contracted model whose contract this project breaks (columns removed or retyped, enforcement
 * or enforced constraints removed, the model deleted), as dbt's same_contract reports it: for an
 * unversioned model the UnversionedBreakingChange warning; for a versioned one (its contract is an
 * API other teams pin) dbt's ContractBreakingChangeError, one error per model, exit 2.
 */
function warnContractBreaks(inv: Invocation, manifest: Manifest, dir: string, disabled: readonly ManifestNode[]): void {
  const errors: TsdbtError[] = [];
  const disabledIds = new Set(disabled.map((n) => n.unique_id));
  for (const b of contractBreaks(manifest, stateArtifactsFor(inv, inv.projectDir, dir).manifest, disabledIds)) {
    if (b.version === null || b.version === undefined) inv.logger.warnOrError(unversionedBreakingChangeMessage(b), 'UnversionedBreakingChange');
    else {
      errors.push(new TsdbtError(contractBreakingChangeMessage(b), {
        code: 'contract-breaking-change',
        location: b.file ? { file: b.file } : undefined,
        hint: `keep version ${String(b.version)} as it was and add the change as a new version (versions: - v: ...), or make the change additive`,
      }));
    }
  }
  throwCollected(errors);
}

/**
 * dbt's NoNodesForSelectionCriteria: each criterion of --select and of --exclude (a word, or an
 * intersection `a,b` as a whole, as dbt's parse_union names it) that matches no enabled node is a
 * warning, an error under --warn-error. Each is named once.
 */
function warnUnmatchedCriteria(inv: Invocation, graph: SelectableGraph, selectors: Parameters<typeof selectNodes>[2]): void {
  const criteria = [...(inv.options.select ?? []), ...(inv.options.exclude ?? [])].flatMap((word) => word.split(/\s+/)).filter((c) => c.trim() !== '');
  for (const criterion of new Set(criteria)) {
    if (selectNodes(graph, { select: [criterion], indirectSelection: 'empty' }, selectors).size === 0) {
      inv.logger.warnOrError(`The selection criterion '${criterion}' does not match any enabled nodes`, 'NoNodesForSelectionCriteria', { spec_raw: criterion });
    }
  }
}
