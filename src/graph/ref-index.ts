// Finds the node a `ref()` or `source()` names, the way dbt resolves them: a package-qualified ref
// looks only there; an unqualified one prefers the root project, then the caller's package (the
// other way round with dbt 1.11's require_ref_searches_node_package_before_root), then any package. Misses become errors with a "did you mean" and the line of the call.
import type { ErrorCode } from '../errors/codes.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { closestName, escapeRegExp, lineOf } from '../errors/did-you-mean.js';
import { compareVersions, sameVersion } from '../manifest/model-versions.js';
import type { ManifestNode, RefCall, SourceTable } from '../manifest/types.js';
import type { Unparsed } from './unparsed.js';
import { FunctionIndex } from './function-index.js';

const REFERABLE = new Set(['model', 'seed', 'snapshot']);

export class RefIndex {
  private readonly byName = new Map<string, ManifestNode[]>();
  /**
   * Versioned models by dbt's `search_name`, `<name>.v<version>`: dbt's RefableLookup stores each
   * version under it too, so `ref('orders.v1')` (no `version=`) names version 1.
   */
  private readonly bySearchName = new Map<string, ManifestNode[]>();
  /** Referable nodes by unique_id: a generic test's group is the group of the node it is attached to. */
  private readonly byId = new Map<string, ManifestNode>();
  private readonly disabled = new Map<string, ManifestNode>();
  /** Source tables by `source.table`, one per package that declares it, in the manifest's order. */
  private readonly sources = new Map<string, SourceTable[]>();
  private readonly disabledSources: Set<string>;
  private readonly rootProject: string;
  private nodePackageFirst = false;

  private readonly unparsed: Unparsed | undefined;
  private readonly functions: FunctionIndex;

  /**
   * `disabledSources`: `source.table` of disabled source tables (a source() of one says so);
   * `unparsed`: what failed to parse (a ref to it fails with code `ref-unparsed`, not reported again).
   */
  constructor(rootProject: string, nodes: Iterable<ManifestNode>, disabled: Iterable<ManifestNode>, sources: Iterable<SourceTable>, disabledSources: Iterable<string> = [], unparsed?: Unparsed) {
    this.disabledSources = new Set(disabledSources);
    this.unparsed = unparsed;
    this.rootProject = rootProject;
    const functions: ManifestNode[] = [];
    for (const node of nodes) {
      if (node.resource_type === 'function') functions.push(node);
      if (!REFERABLE.has(node.resource_type)) continue;
      this.byId.set(node.unique_id, node);
      const list = this.byName.get(node.name) ?? [];
      list.push(node);
      this.byName.set(node.name, list);
      if (node.version !== null && node.version !== undefined) {
        const key = `${node.name}.v${String(node.version)}`;
        this.bySearchName.set(key, [...(this.bySearchName.get(key) ?? []), node]);
      }
    }
    this.functions = new FunctionIndex(rootProject, functions);
    for (const node of disabled) if (REFERABLE.has(node.resource_type)) this.disabled.set(node.name, node);
    for (const s of sources) {
      const key = `${s.source_name}.${s.name}`;
      const declared = this.sources.get(key);
      if (declared) declared.push(s);
      else this.sources.set(key, [s]);
    }
  }

  private restricted: ReadonlySet<string> = new Set();

  /** Packages whose `restrict-access: True` keeps their protected and private models to themselves. */
  /**
   * dbt's `_packages_to_search` for an unqualified ref from a package's node: the root project, then
   * the node's package (dbt's default), or the node's package first with the behaviour flag
   * `require_ref_searches_node_package_before_root` (`true` here).
   */
  searchNodePackageFirst(on: boolean | undefined): this {
    this.nodePackageFirst = on === true;
    return this;
  }

  restrict(packages: Iterable<string> | undefined): this {
    this.restricted = new Set(packages ?? []);
    return this;
  }

  /** The node `call` refers to from `from`, or a TsdbtError saying why not. */
  resolveRef(call: RefCall, from: ManifestNode): ManifestNode {
    const inPackage = (n: ManifestNode) => !call.package || n.package_name === call.package;
    const named = (this.byName.get(call.name) ?? []).filter(inPackage);
    const unpinned = call.version === null || call.version === undefined;
    const bySearchName = named.length === 0 && unpinned ? (this.bySearchName.get(call.name) ?? []).filter(inPackage) : [];
    const candidates = bySearchName.length > 0 ? bySearchName : pickVersion(named, call, from);
    const pick = this.pickByPackage(candidates, from);
    if (pick) {
      if (isInvalidProtectedRef(from, pick, this.restricted)) {
        return fail(
          `Node ${from.unique_id} attempted to reference node ${pick.unique_id}, which is not allowed because the referenced node is protected to the '${pick.package_name}' package.`,
          'ref-private',
          { file: from.original_file_path, line: refLine(from, call.name) },
          `package '${pick.package_name}' sets restrict-access: True: read only its public models from outside it ('${pick.name}' is protected)`,
        );
      }
      if (isInvalidPrivateRef(from, pick, this.byId, this.restricted)) {
        // dbt's DbtReferenceError (manifest.is_invalid_private_ref), at parse and when a template calls ref().
        return fail(
          `Node ${from.unique_id} attempted to reference node ${pick.unique_id}, which is not allowed because the referenced node is private to the '${String(pick.config.group ?? 'None')}' group.`,
          'ref-private',
          { file: from.original_file_path, line: refLine(from, call.name) },
          `a private model is read only by nodes of its group: give ${from.resource_type === 'test' ? 'the model this test is attached to' : `this ${from.resource_type.replace('_', ' ')}`} \`group: ${String(pick.config.group ?? '')}\`, or make '${pick.name}' protected or public (\`access:\`)`,
        );
      }
      return pick;
    }
    const location = { file: from.original_file_path, line: refLine(from, call.name) };
    if (this.disabled.has(call.name)) {
      return fail(`${describe(from)} depends on '${call.name}', which is disabled`, 'ref-disabled', location, `enable '${call.name}' or remove the ref`);
    }
    if (this.unparsed?.explainsRef(call.name)) {
      return fail(`ref('${call.name}'): '${call.name}' did not parse (reported above)`, 'ref-unparsed', location, `fix the error in '${call.name}'`);
    }
    // A node never refers to itself: suggesting its own name would be a cycle.
    const suggestion = closestName(call.name, [...this.byName.keys()].filter((n) => n !== from.name));
    const qualified = call.package ? `${call.package}.${call.name}` : call.name;
    return fail(
      // dbt's words (TargetNotFoundError), with a suggestion
      `${describe(from)} depends on a node named '${qualified}' which was not found${suggestion ? `. Did you mean '${suggestion}'?` : ''}`,
      'ref-not-found',
      location,
      suggestion ? `change it to ref('${suggestion}')` : 'check the model name, or add the model/seed it refers to',
    );
  }

  /** The user-defined function `function(...)` names from `from` (`[name]` or `[package, name]`). */
  resolveFunction(call: string[], from: ManifestNode): ManifestNode {
    return this.functions.resolve(call, from);
  }

  /**
   * Of the candidates several packages declare, the one dbt's `_packages_to_search` reaches first
   * from `from`: the root project, then the node's package (the other way round with the behaviour
   * flag `require_ref_searches_node_package_before_root`), then any.
   */
  private pickByPackage<T extends { package_name: string }>(candidates: readonly T[], from: ManifestNode): T | undefined {
    const [first, second] = this.nodePackageFirst ? [from.package_name, this.rootProject] : [this.rootProject, from.package_name];
    return candidates.find((n) => n.package_name === first) ?? candidates.find((n) => n.package_name === second) ?? candidates[0];
  }

  /** The source table `source(sourceName, tableName)` reads from `from`: where packages declare the same one, as dbt's resolve_source picks. */
  resolveSource(sourceName: string, tableName: string, from: ManifestNode): SourceTable {
    const found = this.pickByPackage(this.sources.get(`${sourceName}.${tableName}`) ?? [], from);
    if (found) return found;
    const line = lineOf(from.raw_code, new RegExp(`source\\s*\\(\\s*['"]${escapeRegExp(sourceName)}['"]`));
    const location = { file: from.original_file_path, line: line === undefined ? undefined : line + from.line - 1 };
    if (this.disabledSources.has(`${sourceName}.${tableName}`)) {
      return fail(`${describe(from)} depends on source '${sourceName}.${tableName}', which is disabled`, 'source-disabled', location, `enable the source table or remove the source()`);
    }
    if (this.unparsed?.explainsSource(sourceName, tableName)) {
      return fail(`source('${sourceName}', '${tableName}'): the property file declaring it did not load (reported above)`, 'source-unparsed', location, 'fix the error in that property file');
    }
    const suggestion = closestName(`${sourceName}.${tableName}`, this.sources.keys());
    return fail(
      `${describe(from)} depends on a source named '${sourceName}.${tableName}' which was not found${suggestion ? `. Did you mean '${suggestion}'?` : ''}`,
      'source-not-found',
      location,
      'declare it under sources: in a .yml file in your model paths',
    );
  }
}

/**
 * The nodes a ref's version asks for, as dbt's ref lookup keys them: pinned (`v=2`), the node
 * of that version; unpinned, an unversioned node or a model's latest version.
 */
function pickVersion(named: ManifestNode[], call: RefCall, from: ManifestNode): ManifestNode[] {
  const pinned = call.version !== null && call.version !== undefined;
  if (!pinned) return named.filter((n) => n.version === null || n.version === undefined || sameVersion(n.version, n.latest_version));
  const found = named.filter((n) => sameVersion(n.version, call.version));
  if (found.length > 0 || named.length === 0) return found;
  const location = { file: from.original_file_path, line: refLine(from, call.name) };
  const versions = named.filter((n) => n.version !== null && n.version !== undefined).map((n) => n.version as string | number);
  const written = `ref('${call.package ? `${call.package}', '` : ''}${call.name}', v=${typeof call.version === 'string' ? `'${call.version}'` : String(call.version)})`;
  if (versions.length === 0) {
    return fail(`${written}: model '${call.name}' is not versioned`, 'ref-version-not-found', location, `drop the version: ref('${call.name}'), or declare \`versions:\` for '${call.name}' in its property file`);
  }
  const sorted = [...new Set(versions.map(String))].sort(compareVersions);
  const latest = named.find((n) => n.version !== null && n.version !== undefined)?.latest_version;
  return fail(
    `${written}: model '${call.name}' has no version ${String(call.version)}; its versions are ${sorted.join(', ')} (latest: ${String(latest)})`,
    'ref-version-not-found',
    location,
    `use one of v=${sorted.join(', v=')}, or ref('${call.name}') for the latest`,
  );
}

function refLine(from: ManifestNode, name: string): number | undefined {
  const line = lineOf(from.raw_code, new RegExp(`ref\\s*\\([^)]*['"]${escapeRegExp(name)}['"]`));
  // A test's or a property-file resource's (an exposure's `depends_on`) ref is on its own line.
  return line === undefined ? (from.resource_type === 'test' || from.raw_code === '' ? from.line : undefined) : line + from.line - 1;
}

function describe(node: ManifestNode): string {
  return `${node.resource_type} '${node.name}'`;
}

function fail(message: string, code: ErrorCode, location: { file: string; line?: number }, hint: string): never {
  throw new TsdbtError(message, { code, location, hint });
}

/**
 * dbt's `is_invalid_private_ref`: a model with `access: private` is read only by nodes of its group
 * (a generic test takes the group of the node it is attached to; an exposure has none), and only
 * from its own package when that package restricts access. Ad hoc inline queries (`show --inline`,
 * `compile --inline`) may read any model, as dbt's SqlOperation.
 */
function isInvalidPrivateRef(from: ManifestNode, target: ManifestNode, referable: Map<string, ManifestNode>, restricted: ReadonlySet<string>): boolean {
  if (target.resource_type !== 'model' || target.config.access !== 'private') return false;
  if (from.unique_id.startsWith('sql_operation.')) return false;
  const group = groupOf(from, referable);
  return !group || group !== target.config.group || (from.package_name !== target.package_name && restricted.has(target.package_name));
}

/** dbt's `is_invalid_protected_ref`: a protected model (the default) of a package with `restrict-access: True`, read from outside it. */
function isInvalidProtectedRef(from: ManifestNode, target: ManifestNode, restricted: ReadonlySet<string>): boolean {
  if (target.resource_type !== 'model' || (target.config.access ?? 'protected') !== 'protected') return false;
  if (from.unique_id.startsWith('sql_operation.')) return false;
  return from.package_name !== target.package_name && restricted.has(target.package_name);
}

function groupOf(node: ManifestNode, referable: Map<string, ManifestNode>): string | undefined {
  if ((node.resource_type as string) === 'exposure') return undefined;
  if (node.resource_type === 'test' && node.attached_node) {
    const attached = referable.get(node.attached_node)?.config.group;
    return typeof attached === 'string' && attached !== '' ? attached : undefined;
  }
  const group = (node.config as { group?: unknown } | undefined)?.group;
  return typeof group === 'string' && group !== '' ? group : undefined;
}
