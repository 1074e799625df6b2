// Where dbt's JSON-schema deprecations are shown (config/jsonschema-deprecations.ts). dbt 1.11
// runs its checks only when every adapter in use is one of BigQuery, Databricks, Redshift and
// Snowflake (jsonschemas.py's _JSONSCHEMA_SUPPORTED_ADAPTERS, `_can_run_validations`; dbt 1.10
// also wanted DBT_ENV_PRIVATE_RUN_JSONSCHEMA_VALIDATIONS set), so dbt-postgres shows none of them.
// tsdbt checks every file on every adapter and shows on any the keys dbt does not read at all
// (property-keys.ts, project-keys.ts); the rest (`dbtValidationOnly`: custom config keys, a
// missing `+` in dbt_project.yml, dbt's preview GenericJSONSchemaValidationDeprecation, ...) only
// where dbt would. TSDBT_JSONSCHEMA_ADAPTERS names those adapters instead (comma-separated, `all`
// for every one), e.g. TSDBT_JSONSCHEMA_ADAPTERS=postgres to see what dbt would warn on Snowflake.
import { formatLocation, type SourceLocation } from '../errors/tsdbt-error.js';
import type { Invocation } from './invocation.js';

/** dbt's _JSONSCHEMA_SUPPORTED_ADAPTERS. */
export const DBT_VALIDATING_ADAPTERS: readonly string[] = ['bigquery', 'databricks', 'redshift', 'snowflake'];

/** True when dbt would run its JSON-schema checks on `adapterType` (or TSDBT_JSONSCHEMA_ADAPTERS says to). */
export function dbtValidatesOn(adapterType: string, env: NodeJS.ProcessEnv): boolean {
  const named = env.TSDBT_JSONSCHEMA_ADAPTERS?.trim();
  const adapters = named ? named.split(',').map((a) => a.trim().toLowerCase()) : DBT_VALIDATING_ADAPTERS;
  return adapters.includes('all') || adapters.includes(adapterType.toLowerCase());
}

/** What a YamlWarning and a manifest Warning share. */
interface FileWarning {
  message: string;
  location?: SourceLocation;
  event?: string;
  data?: Record<string, unknown>;
  dbtValidationOnly?: true;
  preview?: true;
}

/**
 * A warning read from a project file, at `file:line`: left out when dbt would not show it on this
 * adapter; dbt's preview deprecation as the Note dbt fires; else warned (or an error, by --warn-error).
 */
export function logFileWarning(inv: Invocation, w: FileWarning, fallbackEvent: string): void {
  if (w.dbtValidationOnly && !inv.logger.dbtSchemaChecks) return;
  if (w.preview) {
    inv.logger.info(w.location ? `${formatLocation(w.location)}: ${w.message}` : w.message, 'Note');
    return;
  }
  inv.logger.warnOrError(w.message, w.event ?? fallbackEvent, w.data, undefined, w.location);
}
