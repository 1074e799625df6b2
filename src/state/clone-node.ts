// dbt's clone materialization (dbt-adapters' materializations/models/clone/clone.sql), for one node:
//   - no relation for it in the state manifest (new, or ephemeral there): nothing to do;
//   - its relation already exists in this target and --full-refresh is not given: nothing to do;
//   - the state's relation is a table and the warehouse can clone tables (`can_clone_table()`:
//     ClickHouse's MergeTree tables; not PostgreSQL): `create_or_replace_clone(this, defer_relation)`,
//     after dropping a non-table in the way;
//   - otherwise a view `select * from <state relation>`, built by the view materialization (hooks,
//     grants, persist_docs and the atomic swap included), as dbt reuses it; where the state's relation
//     is this one and does not exist (a snapshot the state run did not build), that view fails, as
//     dbt's does; where it exists (--full-refresh), it is left alone.
import type { Adapter } from '../adapters/adapter.js';
import type { Relation } from '../adapters/relation.js';
import type { Compiler } from '../compile/compiler.js';
import type { NodeExecutor } from '../execution/node-executor.js';
import type { NodeResult } from '../manifest/results.js';
import type { RenderSession } from '../compile/render-session.js';
import type { ManifestNode } from '../manifest/types.js';
import { asTsdbtError } from '../errors/tsdbt-error.js';
import { BuildingBlocks, type MacroCaller } from '../materializations/building-blocks.js';
import { nodeRefOf } from '../manifest/node-ref.js';
import type { StateManifest } from './state-artifacts.js';

/** dbt's REFABLE_NODE_TYPES: what clone selects. */
export const CLONABLE = ['model', 'seed', 'snapshot'];

export interface CloneContext {
  adapter: Adapter;
  compiler: Compiler;
  session: RenderSession;
  executor: NodeExecutor;
  state: StateManifest;
  fullRefresh: boolean;
  log(message: string): void;
}

export type CloneAction = 'none' | 'exists' | 'same' | 'clone' | 'view';

/** The node's result and what clone did for it. */
export interface CloneOutcome {
  result: NodeResult;
  action: CloneAction;
  /** The state's relation it cloned or selects from. */
  from?: string;
}

/** The state's relation for a node (dbt's `defer_relation`), or null when it has none. */
export function deferRelationOf(node: ManifestNode, state: StateManifest, adapter: Adapter): Relation | null {
  const other = state.nodes[node.unique_id];
  if (!other || !CLONABLE.includes(other.resource_type) || other.config?.materialized === 'ephemeral' || !other.schema || !other.alias) return null;
  if (node.config.materialized === 'ephemeral') return null;
  return adapter.relation({ database: other.database ?? null, schema: String(other.schema), identifier: String(other.alias) });
}

function noop(node: ManifestNode, threadId: string, started: number, message: string): NodeResult {
  return { unique_id: node.unique_id, status: 'success', timing: [], thread_id: threadId, execution_time: (Date.now() - started) / 1000, adapter_response: {}, message, failures: null, relation_name: node.relation_name };
}

function macroCaller(ctx: CloneContext, node: ManifestNode): MacroCaller {
  return {
    overridden: (name) => ctx.session.scope.overrideOf(node.package_name, name) !== null,
    call: (conn, name, args, options = {}) => ctx.compiler.callMacro(conn, node, name, args, options),
    seedTable: () => null,
    columns: () => Promise.resolve([]),
  };
}

export async function cloneNode(ctx: CloneContext, node: ManifestNode, threadId: string): Promise<CloneOutcome> {
  const started = Date.now();
  const { adapter } = ctx;
  const defer = deferRelationOf(node, ctx.state, adapter);
  if (!defer) {
    ctx.log(`No relation found in state manifest for ${node.unique_id}`);
    return { result: noop(node, threadId, started, 'No-op'), action: 'none' };
  }
  const target = adapter.relation({ database: node.database, schema: node.schema, identifier: node.alias });
  const same = target.render() === defer.render();
  try {
    const decision = await adapter.withConnection(async (conn) => {
      const existing = await adapter.getRelation(conn, { database: node.database, schema: node.schema, identifier: node.alias });
      if (existing && !ctx.fullRefresh) return { action: 'exists' as const, existing };
      const other = await adapter.getRelation(conn, { database: defer.database, schema: defer.schema, identifier: defer.identifier });
      const blocks = new BuildingBlocks(node, adapter, macroCaller(ctx, node));
      if (other?.type === 'table' && (await blocks.canCloneTable(conn))) {
        if (same) return { action: 'same' as const, existing };
        await adapter.createSchemaIfMissing(conn, node.database, node.schema);
        if (existing && existing.type !== 'table') await conn.execute(adapter.sql.dropRelation(existing, existing.type ?? 'view'), { nodeId: node.unique_id });
        const response = await conn.execute(await blocks.createOrReplaceClone(conn, target.with({ type: 'table' }), defer), { nodeId: node.unique_id });
        return { action: 'clone' as const, existing, response: response.response };
      }
      return { action: 'view' as const, existing };
    });
    if (decision.action === 'exists') {
      ctx.log(`Relation ${decision.existing.render()} already exists`);
      return { result: noop(node, threadId, started, 'No-op'), action: 'exists' };
    }
    if (decision.action === 'same') {
      ctx.log(`Target relation and defer relation are the same, skipping clone for relation: ${target.render()}`);
      return { result: noop(node, threadId, started, 'No-op'), action: 'same' };
    }
    if (decision.action === 'clone') {
      const message = decision.response.message;
      return {
        result: { unique_id: node.unique_id, status: 'success', timing: [], thread_id: threadId, execution_time: (Date.now() - started) / 1000, adapter_response: { _message: message, code: decision.response.code, message }, message, failures: null, relation_name: node.relation_name },
        action: 'clone',
        from: defer.render(),
      };
    }
    // The same relation, which exists (--full-refresh): left alone, where dbt would rebuild it as a
    // view of itself. One that does not exist goes on to the view, which fails as dbt's does (a view
    // of a relation that is not there).
    if (same && decision.existing) {
      ctx.log(`Target relation and defer relation are the same, skipping clone for relation: ${target.render()}`);
      return { result: noop(node, threadId, started, 'No-op'), action: 'same' };
    }
    // A view of the state's relation, through the view materialization (dbt's clone reuses it).
    // Its SQL reads that relation alone: no ephemeral parent is put in front of it as a CTE (dbt's
    // clone never compiles the node), which would name this target's relations, perhaps not built.
    const asView: ManifestNode = {
      ...node,
      resource_type: 'model',
      depends_on: { ...node.depends_on, nodes: [] },
      raw_code: `select * from ${defer.render()}`,
      config: { ...node.config, materialized: 'view', contract: { enforced: false } },
      constraints: [],
    };
    return { result: await ctx.executor.execute(asView, threadId), action: 'view', from: defer.render() };
  } catch (err) {
    const error = asTsdbtError(err).inNode(nodeRefOf(node));
    return {
      result: { unique_id: node.unique_id, status: 'error', timing: [], thread_id: threadId, execution_time: (Date.now() - started) / 1000, adapter_response: {}, message: error.resultMessage(nodeRefOf(node)), failures: null, relation_name: node.relation_name, error },
      action: 'view',
    };
  }
}
