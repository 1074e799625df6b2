// What dbt's JSON log lines say about the node an event is about: `node_info` (dbt's
// NodeInfoMixin.node_info: path, name, unique id, type, materialization, status and its times,
// meta, relation, checksum) and `group` (dbt's group_lookup: the node's group, its owner's values
// as text). The statuses are kept here per invocation as dbt keeps `_event_status` on the node:
// `started` when a node starts, its result's status and finish time when it finishes.
import type { NodeResult } from '../manifest/results.js';
import type { Manifest, ManifestNode, SourceTable } from '../manifest/types.js';

/** dbt's NodeInfo message. */
export interface NodeInfo {
  node_path: string;
  node_name: string;
  unique_id: string;
  resource_type: string;
  materialized: string;
  node_status: string;
  node_started_at: string;
  node_finished_at: string;
  meta: Record<string, unknown>;
  node_relation: { database: string; schema: string; alias: string; relation_name: string };
  node_checksum: string;
}

/** dbt's Group message in events: the group's name, package and owner (each value as Python's str() gives it). */
export interface GroupInfo {
  name: string;
  package_name: string;
  owner: Record<string, string>;
}

interface EventStatus {
  status?: string;
  startedAt?: string;
  finishedAt?: string;
  thread?: string;
}

/** dbt's `datetime.utcnow().isoformat()`: `2026-11-28T03:18:29.373000`, no zone. */
export function utcIsoformat(date: Date): string {
  return `${date.toISOString().slice(0, -1)}000`;
}

export class NodeLogInfo {
  private readonly statuses = new Map<string, EventStatus>();
  private readonly nodes = new Map<string, ManifestNode | SourceTable>();
  private manifest: Manifest | null = null;
  /** The manifest's groups by name, as events carry them (built at the first lookup). */
  private groups: Map<string, GroupInfo> | null = null;

  /** The manifest whose groups `group()` reads. */
  useManifest(manifest: Manifest): void {
    this.manifest = manifest;
    this.groups = null;
  }

  /** dbt's call_runner: the node starts (`started`, now), on a worker thread. */
  started(node: ManifestNode | SourceTable, at: Date, thread?: string): void {
    this.nodes.set(node.unique_id, node);
    this.statuses.set(node.unique_id, { status: 'started', startedAt: utcIsoformat(at), ...(thread ? { thread } : {}) });
  }

  /** dbt's run_with_hooks: the result's status and the finish time (none for a skipped node, as dbt). */
  finished(node: ManifestNode | SourceTable, result: Pick<NodeResult, 'status'> | { status: string }, at: Date): void {
    this.nodes.set(node.unique_id, node);
    const status = this.statuses.get(node.unique_id) ?? {};
    this.statuses.set(node.unique_id, { ...status, status: result.status, ...(result.status === 'skipped' ? {} : { finishedAt: utcIsoformat(at) }) });
  }

  /** The worker a running node is on. */
  threadOf(id: string): string | undefined {
    return this.statuses.get(id)?.thread;
  }

  /** node_info of a node seen started or finished, or of the manifest's (statements and Jinja log lines name only its id). */
  infoById(id: string): NodeInfo | undefined {
    const node = this.nodes.get(id) ?? this.manifest?.nodes[id];
    return node ? this.info(node) : undefined;
  }

  /** A node's or a source's (source freshness) node_info. */
  info(node: ManifestNode | SourceTable): NodeInfo {
    const status = this.statuses.get(node.unique_id) ?? {};
    if (node.resource_type === 'source') {
      const source = node;
      return {
        node_path: source.path,
        node_name: source.name,
        unique_id: source.unique_id,
        resource_type: 'source',
        materialized: '',
        node_status: status.status ?? 'None',
        node_started_at: status.startedAt ?? '',
        node_finished_at: status.finishedAt ?? '',
        meta: source.meta ?? {},
        node_relation: { database: source.database ?? '', schema: source.schema ?? '', alias: '', relation_name: source.relation_name ?? '' },
        node_checksum: '',
      };
    }
    return {
      node_path: node.path,
      node_name: node.name,
      unique_id: node.unique_id,
      resource_type: node.resource_type,
      materialized: typeof node.config.materialized === 'string' ? node.config.materialized : '',
      // dbt's str(None) before the node starts.
      node_status: status.status ?? 'None',
      node_started_at: status.startedAt ?? '',
      node_finished_at: status.finishedAt ?? '',
      meta: node.meta ?? {},
      node_relation: { database: node.database ?? '', schema: node.schema ?? '', alias: node.alias ?? '', relation_name: node.relation_name ?? '' },
      node_checksum: node.checksum?.checksum ?? '',
    };
  }

  /** The node's group as dbt's events carry it; undefined when it has none. */
  group(node: ManifestNode): GroupInfo | undefined {
    const name = node.group ?? (typeof node.config.group === 'string' ? node.config.group : null);
    if (!name || !this.manifest) return undefined;
    this.groups ??= groupInfos(this.manifest);
    return this.groups.get(name);
  }
}

function groupInfos(manifest: Manifest): Map<string, GroupInfo> {
  const groups = new Map<string, GroupInfo>();
  for (const group of Object.values(manifest.declared ?? {})) {
    if (group.resource_type !== 'group') continue;
    const owner: Record<string, string> = {};
    const written = group.properties.owner;
    if (written && typeof written === 'object') for (const [key, value] of Object.entries(written)) if (value !== null && value !== undefined) owner[key] = pythonStr(value);
    groups.set(group.name, { name: group.name, package_name: group.package_name, owner });
  }
  return groups;
}

/** Python's str() of a YAML value: text as is, lists and mappings as their repr. */
export function pythonStr(value: unknown): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}

function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (typeof value === 'object') return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`).join(', ')}}`;
  return String(value);
}
