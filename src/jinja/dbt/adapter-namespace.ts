// The node context's `adapter`: quoting, dispatch, api.Relation / api.Column, the SQL builders
// (`adapter.tsdbt_sql`), an adapter's own template members, the warehouse calls of the phase, and
// the methods dbt runs through a macro of their name. Made when a template first reads it.
import { DEFAULT_COLUMN_TYPES } from '../../adapters/default-rules.js';
import type { SqlBuilders } from '../../adapters/adapter.js';
import type { RelationParts } from '../../adapters/relation.js';
import { convertType, templateBuilders } from './template-builders.js';
import { callArgs } from '../pylib/args/index.js';
import { pyStr } from '../engine/py-repr.js';
import type { WarehouseMembers } from './warehouse-calls.js';
import { routeAdapterMacros } from './adapter-executed-macros.js';
import type { NodeRenderState, TemplateServices } from './render-state.js';

/** The node's `adapter`: quoting, dispatch, api.Relation / api.Column, the SQL builders, and the warehouse calls of the phase. */
export function adapterNamespace(services: TemplateServices, state: NodeRenderState, base: Record<string, unknown>, context: Record<string, unknown>, warehouse: WarehouseMembers): Record<string, unknown> {
  const { node } = state;
  return {
    // dbt's adapter methods take their arguments by name too: quote(identifier=...), dispatch(macro_name=..., macro_namespace=...).
    quote: (...args: unknown[]) => services.quoteIdentifier(pyStr(callArgs(args, ['identifier']).identifier)),
    dispatch: (...args: unknown[]) => {
      const { macro_name, macro_namespace } = callArgs(args, ['macro_name', 'macro_namespace']);
      return services.dispatch(context, String(macro_name), (macro_namespace ?? null) as string | null, node.package_name);
    },
    type: () => services.targetContext.type,
    // dbt's adapter.config: the run's RuntimeConfig (runtime-config.ts), as `ref.config` gives it.
    config: services.runtimeConfig ?? {},
    // dbt's adapter.Relation / adapter.Column are api.Relation / api.Column.
    Relation: (base.api as Record<string, unknown>).Relation,
    Column: (base.api as Record<string, unknown>).Column,
    /** Quotes an identifier when the target's quoting config for that part ('database', 'schema', 'identifier') says so. */
    quote_as_configured: (...args: unknown[]) => {
      const { identifier, quote_key: quoteKey } = callArgs(args, ['identifier', 'quote_key']);
      const policy = services.relation({ identifier: '' }).quote_policy as unknown as Record<string, boolean>;
      return policy[String(quoteKey)] === false ? pyStr(identifier) : services.quoteIdentifier(pyStr(identifier));
    },
    /**
     * A seed column, quoted unless the seed's quote_columns is false (dbt's default is to quote);
     * a name that is not a plain identifier is quoted even then, never pasted into SQL bare.
     */
    quote_seed_column: (...args: unknown[]) => {
      const { column, quote_config: quoteConfig = null } = callArgs(args, ['column', 'quote_config']);
      const name = pyStr(column);
      return quoteConfig === false && services.bareIdentifierName(name) !== null ? name : services.quoteIdentifier(name);
    },
    commit: () => '',
    ...Object.fromEntries(Object.entries(services.sqlBuilders?.templateMembers?.() ?? {}).map(([name, m]) => [name, (...args: unknown[]) => m.call(callArgs(args, m.params), services.targetContext)])),
    ...(services.sqlBuilders ? { tsdbt_sql: templateBuilders(services.sqlBuilders, node, services.runStartedAt, services.renderNumber ?? (() => 0), (services.columnTypes ?? DEFAULT_COLUMN_TYPES).typeLabels, (expression) => (services.renderText ? services.renderText(`{{ ${expression} }}`, context, node.original_file_path).trim() : expression)), convert_type: (table: unknown, index: unknown) => convertType(services.sqlBuilders as SqlBuilders, table, index) } : {}),
    ...warehouse.adapter,
    ...deprecatedMethods(warehouse.adapter, state.phase === 'parse', (message) => services.log(message, 'warn', 'AdapterDeprecationWarning', node.unique_id)),
    ...routeAdapterMacros({
      builtin: warehouse.adapter,
      overridingMacro: (name) => services.adapterExecutedMacro?.(context, node.package_name, name) ?? null,
      relation: (parts) => services.relation(parts as RelationParts),
      parse: state.phase === 'parse',
    }),
  };
}

/** dbt-adapters' `@available.deprecated` methods, each with the method that replaces it. */
const DEPRECATED: Record<string, string> = { already_exists: 'get_relation', get_columns_in_table: 'get_columns_in_relation' };

/**
 * The deprecated methods as dbt-adapters' available.deprecated makes them: each call outside
 * parsing fires AdapterDeprecationWarning (D005, a warning that --warn-error makes an error), then runs.
 */
function deprecatedMethods(members: Record<string, unknown>, parse: boolean, warn: (message: string) => void): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(DEPRECATED).map(([name, replacement]) => [
      name,
      (...args: unknown[]) => {
        if (!parse) {
          warn(
            `Deprecated functionality\n\nThe adapter function \`adapter.${name}\` is deprecated and will be removed in a future release of dbt. Please use \`adapter.${replacement}\` instead. \n\nDocumentation for ${replacement} can be found here:\n\nhttps://docs.getdbt.com/docs/adapter`,
          );
        }
        return (members[name] as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  );
}
