// dbt-clickhouse's view config `sql_security` ('invoker' or 'definer') and `definer` (the user a
// DEFINER view runs as): its get_sql_security_clause (materializations/view.sql), which
// clickhouse__create_view_as writes between the view's name and `as`.
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { ViewOptions } from '../sql-builders.js';

/** The model a view is created for: its config, and its id for config.require's message. */
type ViewModel = NonNullable<ViewOptions['model']>;

function configError(message: string, hint: string): TsdbtError {
  return new TsdbtError(message, { code: 'view-sql-security', hint });
}

/**
 * `SQL SECURITY INVOKER`, `DEFINER = <definer> SQL SECURITY DEFINER`, or '' without `sql_security`;
 * dbt-clickhouse's compiler errors (and config.require's for a missing `definer`) otherwise.
 */
export function sqlSecurityClause(model: ViewModel | undefined): string {
  const security = model?.config.sql_security;
  if (!model || !security) return '';
  if (security === 'definer') {
    const definer = model.config.definer;
    if (definer === undefined || definer === null) {
      // config.require('definer'): dbt_common's MissingConfigError wording.
      throw new TsdbtError(`Model '${model.unique_id}' does not define a required config parameter 'definer'.`, {
        code: 'config-required',
        hint: "set it with {{ config(definer='<user>') }}, the user the view's query runs as",
      });
    }
    if (!definer) throw configError('Invalid config parameter `definer`. No value was provided.', "set definer='<user>', the user the view's query runs as");
    return `DEFINER = ${String(definer)} SQL SECURITY DEFINER`;
  }
  if (security === 'invoker') return 'SQL SECURITY INVOKER';
  throw configError(`Invalid config parameter \`sql_security\`. Got: \`${String(security)}\`, but only definer | invoker allowed.`, "sql_security='invoker' (the querying user's rights) or 'definer' (with definer='<user>')");
}
