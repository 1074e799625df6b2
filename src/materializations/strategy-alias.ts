// An incremental model's `incremental_strategy` as its adapter reads it. dbt-postgres takes the name
// as written (a name that is no built-in is a custom strategy: dbt looks up the macro
// `get_incremental_<name>_sql`). dbt-clickhouse's materialization never looks a macro up: its
// calculate_incremental_strategy reads `+` as `_`, so `delete_insert` is its delete+insert, and
// `default` as no strategy at all. AdapterCapabilities.incrementalStrategyAliases holds those names.
import type { AdapterCapabilities } from '../adapters/adapter.js';

/**
 * The configured strategy, an adapter's alias replaced by the built-in it names (undefined for an
 * alias of "no strategy", so the adapter's default applies); anything else as configured.
 */
export function configuredStrategy(config: Record<string, unknown>, capabilities: AdapterCapabilities): unknown {
  const named = config.incremental_strategy;
  const aliases = capabilities.incrementalStrategyAliases;
  if (typeof named !== 'string' || aliases === undefined || !Object.hasOwn(aliases, named)) return named;
  return aliases[named] ?? undefined;
}
