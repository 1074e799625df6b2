// A render's `adapter`: quoting, dispatch, api.Relation / api.Column, the SQL builders, and the
// warehouse calls of the phase. What depends on neither the node nor its context (quoting, the
// builders' wrappers, the warehouse's members: ~100 functions) is made once per render session,
// phase and warehouse and is the prototype of each node's namespace, which holds only what is the
// node's own (dispatch from its package, the builders that render in its context, the adapter
// methods a macro can replace). A compile of 30,000 nodes made the shared part 30,000 times.
import { DEFAULT_COLUMN_TYPES } from '../../adapters/default-rules.js';
import type { SqlBuilders } from '../../adapters/adapter.js';
import type { RelationParts } from '../../adapters/relation.js';
import { callArgs } from '../pylib/args/index.js';
import { routeAdapterMacros } from './adapter-executed-macros.js';
import type { NodeRenderState, TemplateServices } from './render-state.js';
import { convertType, templateBuilders } from './template-builders.js';
import type { WarehouseMembers } from './warehouse-calls.js';

const sharedCache = new WeakMap<TemplateServices, WeakMap<WarehouseMembers, Record<string, unknown>>>();

/** The members every node's `adapter` shares for these services and warehouse (see above). */
function sharedMembers(services: TemplateServices, base: Record<string, unknown>, warehouse: WarehouseMembers): Record<string, unknown> {
  let byWarehouse = sharedCache.get(services);
  if (!byWarehouse) sharedCache.set(services, (byWarehouse = new WeakMap()));
  let shared = byWarehouse.get(warehouse);
  if (shared) return shared;
  const api = base.api as Record<string, unknown>;
  shared = {
    quote: (name: string) => services.quoteIdentifier(name),
    type: () => services.targetContext.type,
    // dbt's adapter.Relation / adapter.Column are api.Relation / api.Column.
    Relation: api.Relation,
    Column: api.Column,
    /** Quotes an identifier when the target's quoting config for that part ('database', 'schema', 'identifier') says so. */
    quote_as_configured: (identifier: unknown, quoteKey: unknown) => {
      const policy = services.relation({ identifier: '' }).quote_policy as unknown as Record<string, boolean>;
      return policy[String(quoteKey)] === false ? String(identifier) : services.quoteIdentifier(String(identifier));
    },
    /**
     * A seed column, quoted unless the seed's quote_columns is false (dbt's default is to quote);
     * a name that is not a plain identifier is quoted even then, never pasted into SQL bare.
     */
    quote_seed_column: (column: unknown, quoteConfig: unknown = null) => {
      const name = String(column);
      return quoteConfig === false && services.bareIdentifierName(name) !== null ? name : services.quoteIdentifier(name);
    },
    commit: () => '',
    ...Object.fromEntries(Object.entries(services.sqlBuilders?.templateMembers?.() ?? {}).map(([name, m]) => [name, (...args: unknown[]) => m.call(callArgs(args, m.params))])),
    ...(services.sqlBuilders ? { convert_type: (table: unknown, index: unknown) => convertType(services.sqlBuilders as SqlBuilders, table, index) } : {}),
    ...warehouse.adapter,
  };
  byWarehouse.set(warehouse, shared);
  return shared;
}

/** The node's `adapter` (see above); the warehouse's members win over tsdbt's own of the same name, as they always did. */
export function adapterNamespace(services: TemplateServices, state: NodeRenderState, base: Record<string, unknown>, context: Record<string, unknown>, warehouse: WarehouseMembers): Record<string, unknown> {
  const { node } = state;
  const namespace = Object.create(sharedMembers(services, base, warehouse)) as Record<string, unknown>;
  const fromWarehouse = warehouse.adapter;
  if (!('dispatch' in fromWarehouse)) {
    namespace.dispatch = (macroName: string, macroNamespace: string | null = null) => services.dispatch(context, macroName, macroNamespace, node.package_name);
  }
  if (services.sqlBuilders && !('tsdbt_sql' in fromWarehouse)) {
    const renderText = services.renderText;
    const labels = (services.columnTypes ?? DEFAULT_COLUMN_TYPES).typeLabels;
    namespace.tsdbt_sql = templateBuilders(services.sqlBuilders, node, services.runStartedAt, labels, (expression) => (renderText ? renderText(`{{ ${expression} }}`, context, node.original_file_path).trim() : expression));
  }
  return Object.assign(
    namespace,
    routeAdapterMacros({
      builtin: fromWarehouse,
      overridingMacro: (name) => services.adapterExecutedMacro?.(context, node.package_name, name) ?? null,
      relation: (parts) => services.relation(parts as RelationParts),
      parse: state.phase === 'parse',
    }),
  );
}
