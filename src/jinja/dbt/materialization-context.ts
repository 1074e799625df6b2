// What dbt's materialization context adds to a model's execute-phase context
// (dbt-core's generate_runtime_model_context + ModelContext): `sql` / `compiled_code`, the node's
// hooks as dbt's hook dicts (`pre_hooks`, `post_hooks`: {sql, transaction, index}, rendered by
// `run_hooks` through `render`), `diff_of_two_dicts` (grants), and the adapter methods packages call
// from materializations: the relation cache's `cache_added` /
// `cache_dropped` / `cache_renamed` (tsdbt keeps no relation cache: they do nothing).
import type { HookConfig, ManifestNode } from '../../manifest/types.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { callArgs } from '../pylib/args/index.js';

/** dbt's Hook as templates see it: `hook.sql`, `hook['transaction']`, `hook.get('sql')`. */
function hookDicts(hooks: readonly HookConfig[]): Record<string, unknown>[] {
  return hooks.map((hook, index) => ({ sql: hook.sql, transaction: hook.transaction, index: hook.index ?? index }));
}

/** Python's str.casefold, near enough for role names. */
const fold = (value: unknown) => String(value).toLowerCase();

/**
 * dbt's diff_of_two_dicts: dict_a minus dict_b, for {privilege: [grantee, ...]} dicts, compared
 * without case; keys keep dict_a's spelling.
 */
export function diffOfTwoDicts(dictA: Record<string, unknown>, dictB: Record<string, unknown>): Record<string, string[]> {
  const lowered = new Map<string, Set<string>>();
  for (const [key, values] of Object.entries(dictB ?? {})) lowered.set(fold(key), new Set(asList(values).map(fold)));
  const diff: Record<string, string[]> = {};
  for (const [key, values] of Object.entries(dictA ?? {})) {
    const other = lowered.get(fold(key));
    if (!other) {
      diff[key] = asList(values);
      continue;
    }
    const missing = asList(values).filter((v) => !other.has(fold(v)));
    if (missing.length > 0) diff[key] = missing;
  }
  return diff;
}

function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return value === null || value === undefined ? [] : [String(value)];
}

/** dbt's adapter.standardize_grants_dict: the rows of a "show grants" query as {privilege_type: [grantee, ...]}. */
export function standardizeGrantsDict(table: unknown): Record<string, string[]> {
  const rows = (table as { rows?: { get(name: string): unknown }[] } | null)?.rows;
  if (!rows) {
    throw new TsdbtError('adapter.standardize_grants_dict() needs the table run_query() returned', { code: 'adapter-args', hint: 'pass run_query(get_show_grant_sql(relation))' });
  }
  const grants: Record<string, string[]> = {};
  for (const row of rows) {
    const privilege = String(row.get('privilege_type'));
    (grants[privilege] ??= []).push(String(row.get('grantee')));
  }
  return grants;
}

export interface MaterializationContextInput {
  node: ManifestNode;
  compiledSql: string;
  /** Renders template text in the materialization's own context (hooks). */
  render(source: string): string;
}

/** The members a materialization's context has beyond a model's (set over the node context). */
export function materializationExtras(input: MaterializationContextInput): Record<string, unknown> {
  const { node, compiledSql } = input;
  return {
    sql: compiledSql,
    compiled_code: compiledSql,
    pre_hooks: hookDicts(node.config.pre_hook ?? []),
    post_hooks: hookDicts(node.config.post_hook ?? []),
    render: (source: unknown) => input.render(String(source ?? '')),
    diff_of_two_dicts: (...values: unknown[]) => {
      const a = callArgs(values, ['dict_a', 'dict_b']);
      return diffOfTwoDicts(a.dict_a as Record<string, unknown>, a.dict_b as Record<string, unknown>);
    },
  };
}

/** Adapter methods a materialization's templates call that other templates do not (standardize_grants_dict is every template's: warehouse-calls.ts). */
export function materializationAdapterMembers(): Record<string, unknown> {
  return {
    cache_added: () => '',
    cache_dropped: () => '',
    cache_renamed: () => '',
  };
}
