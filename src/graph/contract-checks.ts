// The checks dbt makes when it patches a model with its property entry (parser/schemas.py's
// patch_constraints), in dbt's words:
// - primary keys: at most one column carries a `primary_key` constraint (several columns make a
//   model-level key), and a key is declared at the model level or on a column, never both;
// - an enforced contract needs the columns declared ("Constraints must be defined in a `yml`
//   schema configuration file"), and its model-level constraints have a known type;
// - constraints on a model whose materialization cannot enforce them (anything but table and
//   incremental) are a warning, unless each sets `warn_unsupported: false`.
// The contract's run-time checks (the SQL's columns against the declared ones) are
// materializations/contract.ts.
import { TsdbtError } from '../errors/tsdbt-error.js';
import { pyRepr } from '../jinja/engine/index.js';
import type { Manifest, ManifestNode, Warning } from '../manifest/types.js';
import type { PatchEntry } from './patch-entry.js';
import { recordValues } from '../manifest/record-values.js';
import { nodePatch } from '../manifest/node-patch.js';

/** dbt's ConstraintType values. */
const CONSTRAINT_TYPES = ['check', 'not_null', 'unique', 'primary_key', 'foreign_key', 'custom'];

/** dbt's materialization_enforces_constraints. */
const ENFORCING_MATERIALIZATIONS = new Set(['table', 'incremental']);

function typeOf(constraint: unknown): unknown {
  return typeof constraint === 'object' && constraint !== null ? (constraint as { type?: unknown }).type : undefined;
}

/** Checks every model patched by a property entry; errors go to `fail`, warnings to the manifest. */
export function checkContracts(manifest: Manifest, fail: (err: TsdbtError) => void): void {
  for (const node of recordValues(manifest.nodes)) {
    if (node.resource_type !== 'model') continue;
    const patch = nodePatch<PatchEntry>(node);
    if (!patch) continue;
    const error = contractError(node, patch, manifest.warnings) ?? primaryKeyError(node, patch);
    if (error) fail(error);
  }
}

function parsingError(patch: PatchEntry, message: string, hint: string): TsdbtError {
  return new TsdbtError(message, { code: 'schema-invalid', location: { file: patch.location.file, line: patch.location.line }, hint });
}

/** dbt's _validate_constraint_prerequisites and the model-level constraint types, for an enforced contract. */
function contractError(node: ManifestNode, patch: PatchEntry, warnings: Warning[]): TsdbtError | null {
  const contract = node.config.contract as { enforced?: unknown } | undefined;
  if (contract?.enforced !== true) return null;
  const all = [...(node.constraints ?? []), ...Object.values(node.columns).flatMap((c) => c.constraints ?? [])];
  const materialized = String(node.config.materialized ?? '');
  if (all.some((c) => (c as { warn_unsupported?: unknown }).warn_unsupported !== false) && !ENFORCING_MATERIALIZATIONS.has(materialized)) {
    warnings.push({
      message: `Constraint types are not supported for ${materialized} materializations and will be ignored.  Set 'warn_unsupported: false' on this constraint to ignore this warning.`,
      event: 'UnsupportedConstraintMaterialization',
      location: { file: patch.location.file, line: patch.location.line },
    });
  }
  if (Object.keys(node.columns).length === 0) {
    return parsingError(
      patch,
      `Contract enforcement failed for: (${node.original_file_path})\nConstraints must be defined in a \`yml\` schema configuration file like \`schema.yml\`.`,
      `declare the model's columns (name and data_type) under \`columns:\` in its property entry, or stop enforcing its contract`,
    );
  }
  if ((patch.constraints ?? []).some((c) => !CONSTRAINT_TYPES.includes(String(typeOf(c))))) {
    return parsingError(
      patch,
      `Invalid constraint type on model ${node.name}: Type must be one of ${pyRepr(CONSTRAINT_TYPES)}`,
      'give each constraint under `constraints:` a `type:` from that list',
    );
  }
  return null;
}

/** dbt's _validate_pk_constraints: one column's key, or a model-level key, never both. */
function primaryKeyError(node: ManifestNode, patch: PatchEntry): TsdbtError | null {
  const keyColumns = Object.values(node.columns)
    .filter((c) => (c.constraints ?? []).some((k) => k.type === 'primary_key'))
    .map((c) => c.name);
  const errors: string[] = [];
  if (keyColumns.length > 1) {
    errors.push(`Found ${keyColumns.length} columns (${pyRepr(keyColumns)}) with primary key constraints defined. Primary keys for multiple columns must be defined as a model level constraint.`);
  }
  if (keyColumns.length > 0 && (patch.constraints ?? []).some((c) => typeOf(c) === 'primary_key')) {
    errors.push('Primary key constraints defined at the model level and the columns level. Primary keys can be defined at the model level or the column level, not both.');
  }
  if (errors.length === 0) return null;
  return parsingError(
    patch,
    `Primary key constraint error: (${node.original_file_path})\n${errors.join('\n')}`,
    'declare a key of several columns once, as a model-level constraint: `constraints: [{type: primary_key, columns: [a, b]}]`',
  );
}
