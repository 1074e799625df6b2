// Selection methods: which nodes one `method:value` matches (tag, path, fqn, config.x, source, ...),
// with Unix-style wildcards (`*`, `?`, `[abc]`) in values as dbt allows.
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { Criterion } from './selection-spec.js';
import { invalid } from './selection-spec.js';
import type { SelectableGraph, SelectableNode } from './selectable-graph.js';
import { versionStatus } from '../manifest/model-versions.js';
import { flatFqn, fqnCandidates } from './fqn-index.js';

const patternCache = new Map<string, RegExp>();

/** fnmatch-style pattern -> RegExp (anchored). */
export function wildcard(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    let src = '';
    for (let i = 0; i < pattern.length; i++) {
      const ch = pattern[i] as string;
      if (ch === '*') src += '.*';
      else if (ch === '?') src += '.';
      else if (ch === '[') {
        const end = pattern.indexOf(']', i + 1);
        if (end > i) {
          src += `[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
          i = end;
        } else src += '\\[';
      } else src += ch.replace(/[.+^${}()|\\\]]/g, '\\$&');
    }
    re = new RegExp(`^${src}$`);
    patternCache.set(pattern, re);
  }
  return re;
}

const hasWildcard = (v: string) => /[*?[]/.test(v);

type Match = (value: string) => boolean;

/**
 * A matcher of one pattern (exact, or with shell wildcards), compiled once for all the nodes it is
 * tried on, on its first use (a method that never tries it never compiles it).
 */
function matcher(pattern: string): Match {
  if (!hasWildcard(pattern)) return (value) => value === pattern;
  let re: RegExp | undefined;
  return (value) => (re ??= wildcard(pattern)).test(value);
}

/**
 * dbt's fqn match of `value`, compiled once (a selection tries it on every node of a project:
 * splitting the value and testing it for wildcards per node was most of a selection's time).
 */
function fqnMatcher(value: string): (node: SelectableNode) => boolean {
  const parts = value.split('.');
  const partMatchers = parts.map(matcher);
  const whole = matcher(value);
  const prefixOf = (fqn: string[], skip: number) => partMatchers.every((m, i) => m(fqn[i + skip] as string));
  return (node) => {
    if (node.resource_type === 'source') return false;
    if (parts.length === 1 && whole(node.name)) return true;
    if (isVersioned(node) && versionedFqnMatches(node.fqn, parts)) return true;
    // dbt's is_selected_node: the fqn's leaf named exactly (a model `alternative.users`), then dots
    // in fqn parts act as namespace separators.
    if (!isVersioned(node) && node.fqn[node.fqn.length - 1] === value) return true;
    const fqn = flatFqn(node.fqn);
    // A dotted prefix of the fqn (package, folders, name), each part may use wildcards.
    if (parts.length <= fqn.length && prefixOf(fqn, 0)) return true;
    // Without the package name: `staging.stg_events`.
    return parts.length < fqn.length && prefixOf(fqn, 1);
  };
}

function isVersioned(node: SelectableNode): boolean {
  return node.version !== null && node.version !== undefined;
}

/**
 * dbt's is_selected_node for a version (fqn `[..., name, v2]`): the last two parts of the
 * selector name it with `.` or `_` (`dim_customers.v2`, `dim_customers_v2`).
 */
function versionedFqnMatches(fqn: string[], parts: string[]): boolean {
  if (fqn.length < 2) return false;
  return fqn.slice(-2).join('_') === parts.slice(-2).join('_');
}

/** `version:latest|prerelease|old|none` (models only, as dbt's VersionSelectorMethod). */
function versionPredicate(value: string, raw: string): (node: SelectableNode) => boolean {
  if (!['latest', 'prerelease', 'old', 'none'].includes(value)) throw invalid(raw, 'write version:latest, version:prerelease, version:old or version:none');
  return (n) => n.resource_type === 'model' && versionStatus(n.version, n.latest_version) === value;
}

function pathMatches(node: SelectableNode, value: string): boolean {
  const v = value.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/$/, '');
  const file = node.original_file_path;
  // dbt's PathSelectorMethod also matches the property file that patches the node (patch_path).
  const patch = node.patch_path?.split('://')[1];
  if (hasWildcard(v)) return wildcard(v).test(file) || wildcard(`${v}/*`).test(file) || (patch !== undefined && wildcard(v).test(patch));
  return file === v || file.startsWith(`${v}/`) || patch === v;
}

function configValue(config: Record<string, unknown>, keys: string[]): unknown {
  let current: unknown = config;
  for (const key of keys) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function configMatches(node: SelectableNode, keys: string[], value: string, is: (value: string) => boolean): boolean {
  const actual = configValue(node.config, keys);
  if (actual === undefined || actual === null) return false;
  const list = Array.isArray(actual) ? actual : [actual];
  return list.some((item) => is(typeof item === 'string' ? item : JSON.stringify(item)) || (typeof item === 'boolean' && value.toLowerCase() === String(item)));
}

/** `source:` matching `value` (`source`, `source.table` or `package.source.table`), compiled once. */
function sourceMatcher(value: string): (node: SelectableNode) => boolean {
  const parts = value.split('.').map(matcher);
  const [first, second, third] = parts as [Match, Match, Match];
  return (node) => {
    if (node.resource_type !== 'source') return false;
    const source = node.source_name ?? '';
    if (parts.length === 1) return first(source) || first(node.package_name);
    if (parts.length === 2) return first(source) && second(node.name);
    return first(node.package_name) && second(source) && third(node.name);
  };
}

/** Resources declared in property files that are members of the selection graph. */
const DECLARED = new Set(['exposure', 'metric', 'saved_query', 'semantic_model']);

/** `exposure:name` or `exposure:package.name` (metric:, saved_query:, semantic_model: alike), as dbt's ExposureSelectorMethod. */
function declaredMatcher(type: string, value: string, raw: string): (node: SelectableNode) => boolean {
  const parts = value.split('.');
  if (parts.length > 2) throw invalid(raw, `write ${type}:<name> or ${type}:<package>.<name>`);
  const name = matcher(parts[parts.length - 1] as string);
  const pkg = parts.length === 2 ? matcher(parts[0] as string) : () => true;
  return (n) => n.resource_type === type && pkg(n.package_name) && name(n.name);
}

/** `state:` compares with --state's manifest.json, `result:` reads its run_results.json. */
function requireState(graph: SelectableGraph, method: 'state' | 'result', raw: string): void {
  if (!graph.state?.manifest) {
    // dbt's StateSelectorMethod text first (DbtRuntimeError), then what is missing.
    throw new TsdbtError(`Got a state selector method, but no comparison manifest: '${raw}' compares with an earlier run, so it needs --state`, {
      code: 'state-missing',
      hint: 'pass --state <folder> with the artifacts (manifest.json, run_results.json) of the run to compare with, e.g. a copy of its target/ folder',
    });
  }
  if (method === 'result' && !graph.state.results) {
    throw new TsdbtError(`'${raw}' reads the earlier run's results, but the --state folder has no run_results.json`, {
      code: 'state-missing',
      hint: 'copy target/run_results.json of that run (written by run, build, test, seed, snapshot) into the --state folder',
    });
  }
}

/** dbt's state checks: `new`, `old`, `modified` (any criterion), `modified.<criterion>`, `unmodified`. */
const STATE_SUBSELECTORS = ['body', 'configs', 'relation', 'persisted_descriptions', 'macros', 'contract'];

/**
 * dbt's StateSelectorMethod stops when a check of macro changes (`modified`, `unmodified`,
 * `modified.macros`) meets a node calling a test or macro that no longer exists: selecting
 * around it would leave the broken reference out of a CI run.
 */
function checkMacros(n: SelectableNode): void {
  if (n.state?.missingMacro) throw new TsdbtError(n.state.missingMacro, { code: 'test-macro-not-found', hint: "restore the macro or generic test, or remove the reference to it (install a package that provides it with 'tsdbt deps')" });
}

function statePredicate(value: string, raw: string): (node: SelectableNode) => boolean {
  if (value === 'new') return (n) => n.state !== undefined && !n.state.old;
  if (value === 'old') return (n) => n.state !== undefined && n.state.old;
  if (value === 'modified') return (n) => (checkMacros(n), n.state !== undefined && n.state.modified.length > 0);
  if (value === 'unmodified') return (n) => (checkMacros(n), n.state !== undefined && n.state.modified.length === 0);
  const sub = value.startsWith('modified.') ? value.slice('modified.'.length) : null;
  if (sub === 'macros') return (n) => (checkMacros(n), n.state !== undefined && n.state.modified.includes(sub));
  if (sub !== null && STATE_SUBSELECTORS.includes(sub)) return (n) => n.state !== undefined && n.state.modified.includes(sub);
  throw invalid(raw, `use one of: ${['new', 'old', 'modified', 'unmodified', ...STATE_SUBSELECTORS.map((s) => `modified.${s}`)].map((s) => `state:${s}`).join(', ')}`);
}

/** The ids of the nodes a criterion's method and value match (before graph operators). */
export function matchCriterion(graph: SelectableGraph, criterion: Criterion): Set<string> {
  const { method, value, methodArgs } = criterion;
  if (method === 'state' || method === 'result') requireState(graph, method, criterion.raw);
  const test = predicate(method, methodArgs, value, criterion.raw);
  const out = new Set<string>();
  const tried = (method === 'fqn' && graph.repeated && !hasWildcard(value) ? fqnCandidates(graph.nodes, value) : null) ?? graph.nodes.values();
  for (const node of tried) if (test(node)) out.add(node.unique_id);
  return out;
}

function predicate(method: string, args: string[], value: string, raw: string): (node: SelectableNode) => boolean {
  // The value as a pattern, compiled once for every node it is tried on.
  const is = matcher(value);
  switch (method) {
    case 'fqn': {
      const fqn = fqnMatcher(value);
      const packageName = value.includes('.') ? null : is;
      return (n) => fqn(n) || (packageName !== null && n.resource_type !== 'source' && packageName(n.package_name));
    }
    case 'tag':
      return (n) => n.tags.some(is);
    case 'path':
      return (n) => pathMatches(n, value);
    case 'file':
      return (n) => {
        const base = n.original_file_path.split('/').pop() ?? '';
        return is(base) || is(base.replace(/\.[^.]+$/, ''));
      };
    case 'config':
      if (args.length === 0) throw invalid(raw, "write config.<key>:<value>, e.g. config.materialized:view");
      // dbt's configurable_nodes: nodes and sources, not exposures or metrics.
      // dbt compares a test's severity ignoring case (config.severity:error selects severity ERROR).
      if (args.length === 1 && args[0] === 'severity') return (n) => !DECLARED.has(n.resource_type) && configMatches(n, args, value, (v) => v.toLowerCase() === value.toLowerCase());
      return (n) => !DECLARED.has(n.resource_type) && configMatches(n, args, value, is);
    case 'resource_type':
      return (n) => is(n.resource_type);
    case 'source':
      return sourceMatcher(value);
    case 'package':
      return (n) => is(n.package_name);
    case 'test_type':
      if (value === 'data') return (n) => n.resource_type === 'test';
      if (value === 'unit') return (n) => n.resource_type === 'unit_test';
      return (n) => n.resource_type === 'test' && n.test_type === value;
    case 'test_name':
      // A generic test by its test's name (`unique`), a unit test by its own name (dbt's TestNameSelectorMethod).
      return (n) => (n.resource_type === 'test' && n.test_name !== undefined && is(n.test_name)) || (n.resource_type === 'unit_test' && is(n.name));
    case 'exposure':
    case 'metric':
    case 'saved_query':
    case 'semantic_model':
      return declaredMatcher(method, value, raw);
    case 'unit_test': {
      const fqn = fqnMatcher(value);
      return (n) => n.resource_type === 'unit_test' && fqn({ ...n, resource_type: 'model' });
    }
    case 'group':
      // dbt's groupable_nodes: nodes and metrics.
      return (n) => (!DECLARED.has(n.resource_type) || n.resource_type === 'metric') && configMatches(n, [method], value, is);
    case 'access':
      return (n) => !DECLARED.has(n.resource_type) && configMatches(n, [method], value, is);
    case 'version':
      return versionPredicate(value, raw);
    case 'source_status':
      if (value !== 'fresher') throw invalid(raw, 'tsdbt supports source_status:fresher');
      return (n) => n.resource_type === 'source' && n.source_status === 'fresher';
    case 'state':
      return statePredicate(value, raw);
    case 'result':
      return (n) => n.result_status !== undefined && n.result_status === value;
    default:
      throw new TsdbtError(`selection method '${method}:' is not supported yet`, {
        code: 'selector-unsupported',
        hint: 'use name, tag:, path:, config., source:, package:, resource_type:, test_type:, test_name:, state:, result:',
      });
  }
}
