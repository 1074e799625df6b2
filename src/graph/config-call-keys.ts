// A model's config() arguments checked as dbt 1.10+ checks them (parser/base.py's
// validate_model_config of the node's merged config call dict, against the ModelConfig definition
// of dbt's resources schema): a key dbt does not know is CustomKeyInConfigDeprecation ("Custom
// config keys should move into the `config.meta`"). dbt shows it only on the adapters it runs its
// JSON-schema checks on (app/jsonschema-gate.ts), so these are `dbtValidationOnly`. At the file's
// first line of the model (dbt names the file only).
import { modelConfigDeprecations } from '../config/jsonschema-deprecations.js';
import type { Warning } from '../manifest/types.js';

/** The model's config() calls (keyword arguments, as written) merged, then checked. */
export function configCallWarnings(calls: readonly Record<string, unknown>[], file: string, line = 1): Warning[] {
  if (calls.length === 0) return [];
  const merged: Record<string, unknown> = {};
  for (const call of calls) Object.assign(merged, call);
  return modelConfigDeprecations(merged, file).map((d) => ({
    message: d.message,
    event: d.event,
    location: { file, line },
    data: d.data,
    dbtValidationOnly: true,
    ...(d.event === 'GenericJSONSchemaValidationDeprecation' ? { preview: true as const } : {}),
  }));
}
