// `--defer` (dbt's merge_from_artifact + RuntimeRefResolver.create_relation): a `ref()` to a node
// that the state manifest also has (a model, seed or snapshot that is not ephemeral there or here)
// resolves to the relation the state manifest records (database.schema.alias) when
//   - `--favor-state` is given and the node is not selected, or
//   - the node's relation does not exist in this target: it did not exist when the command started
//     (dbt's relation cache, filled per schema) and this command does not build it first.
// Tests defer too: their refs resolve the same way. So does `function()` (user-defined functions).
import type { Adapter } from '../adapters/adapter.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { RelationParts } from '../adapters/relation.js';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import type { StateManifest, StateNode } from './state-artifacts.js';

/** dbt's REFABLE_NODE_TYPES. */
const REFABLE = new Set(['model', 'seed', 'snapshot']);

export interface DeferralOptions {
  state: StateManifest;
  /** The nodes this command selected. */
  selected: ReadonlySet<string>;
  /** Selected nodes this command builds before anything reads them (run, build, seed, snapshot). */
  builds: ReadonlySet<string>;
  favorState: boolean;
}

const key = (database: string | null | undefined, schema: string, identifier: string) => `${database ?? ''}\u0000${schema}\u0000${identifier}`.toLowerCase();

export class Deferral {
  private readonly options: DeferralOptions;
  /** Relations of this target that existed when the command started, functions as `function:<key>` (null: not looked up yet). */
  private existing: Set<string> | null = null;

  constructor(options: DeferralOptions) {
    this.options = options;
  }

  /** The state manifest's node `node` would defer to, if it has one that can be deferred to. */
  private stateNode(node: ManifestNode): StateNode | null {
    // A user-defined function defers to the state's (dbt 1.11's defer_function) as a ref does: dbt
    // asks its relation cache whether it exists here, which dbt-postgres 1.11 fills with the
    // schema's functions too (list_relations_without_caching), so one this target has is its own.
    if (node.resource_type === 'function') {
      const other = this.options.state.functions?.[node.unique_id];
      return other?.schema && other.alias ? other : null;
    }
    if (!REFABLE.has(node.resource_type) || node.config.materialized === 'ephemeral') return null;
    const other = this.options.state.nodes[node.unique_id];
    if (!other || !REFABLE.has(other.resource_type) || other.config?.materialized === 'ephemeral' || !other.schema || !other.alias) return null;
    return other;
  }

  /** Looks up which relations of this target exist, in the schemas of the nodes that could defer (once). */
  async scan(adapter: Adapter, manifest: Manifest): Promise<void> {
    const existing = new Set<string>();
    const schemas = new Map<string, { database: string | null; schema: string; functions: boolean }>();
    for (const node of Object.values(manifest.nodes)) {
      if (!this.stateNode(node)) continue;
      const at = key(node.database, node.schema, '');
      const functions = node.resource_type === 'function' || (schemas.get(at)?.functions ?? false);
      schemas.set(at, { database: node.database, schema: node.schema, functions });
    }
    await adapter.withConnection(async (conn) => {
      for (const { database, schema, functions } of schemas.values()) {
        if (!(await adapter.schemaExists(conn, database, schema))) continue;
        for (const relation of await adapter.listRelations(conn, database, schema)) existing.add(key(database, schema, relation.identifier));
        const names = functions && adapter.listFunctions ? await adapter.listFunctions(conn, database, schema) : [];
        for (const name of names) existing.add(`function:${key(database, schema, name)}`);
      }
    });
    this.existing = existing;
  }

  /** Where `ref()` to `node` points under --defer: the state's relation, or null for this target's own. */
  relationFor(node: ManifestNode): (RelationParts & { type: 'table' | 'view' }) | null {
    const other = this.stateNode(node);
    if (!other) return null;
    const { selected, builds, favorState } = this.options;
    const kind = node.resource_type === 'function' ? 'function:' : '';
    const exists = builds.has(node.unique_id) || (this.existing?.has(`${kind}${key(node.database, node.schema, node.alias)}`) ?? false);
    if (!((favorState && !selected.has(node.unique_id)) || !exists)) return null;
    return { database: other.database ?? null, schema: String(other.schema), identifier: String(other.alias), type: other.config?.materialized === 'view' ? 'view' : 'table' };
  }
}

export interface DeferSettings {
  defer?: boolean;
  state?: string;
  deferState?: string;
  favorState?: boolean;
}

/**
 * The folder --defer reads (dbt: `--defer-state`, else `--state`), or null without --defer. Deferral
 * without either is a usage error, as in dbt.
 */
export function deferStateDir(settings: DeferSettings): string | null {
  if (!settings.defer) return null;
  const dir = settings.deferState ?? settings.state;
  if (!dir) {
    throw new TsdbtError('--defer needs the artifacts of the run to defer to', {
      code: 'state-missing',
      category: 'user',
      hint: 'pass --state <folder> (or --defer-state <folder>) holding that run\'s manifest.json, e.g. a copy of production\'s target/ folder',
    });
  }
  return dir;
}
