// dbt's upgrade_manifest_json (dbt/artifacts/schemas/upgrades/upgrade_manifest.py), the parts state
// comparison reads: a --state manifest of schema v4-v6 (dbt 1.0-1.2) names a node's code `raw_sql` /
// `compiled_sql`, today's `raw_code` / `compiled_code` (language sql), so the same project written by
// an older dbt is no change.
import { isPlainObject } from '../config/yaml-file.js';

/** The manifest's schema version number (`.../manifest/v9.json` -> 9), or null when it names none. */
export function manifestSchemaVersion(raw: Record<string, unknown>): number | null {
  const found = (raw.metadata as { dbt_schema_version?: unknown } | undefined)?.dbt_schema_version;
  const version = typeof found === 'string' ? /\/manifest\/v(\d+)\.json$/.exec(found) : null;
  return version ? Number(version[1]) : null;
}

/** dbt's rename_sql_attr, in place. */
function renameSqlAttr(node: Record<string, unknown>): void {
  if ('raw_sql' in node) {
    node.raw_code = node.raw_sql;
    delete node.raw_sql;
  }
  if ('compiled_sql' in node) {
    node.compiled_code = node.compiled_sql;
    delete node.compiled_sql;
  }
  if (node.resource_type !== 'seed') node.language ??= 'sql';
}

/** Upgrades `raw` (a parsed manifest.json) in place, as dbt's upgrade_manifest_json does. */
export function upgradeManifestJson(raw: Record<string, unknown>): void {
  const nodes: unknown[] = isPlainObject(raw.nodes) ? Object.values(raw.nodes) : [];
  // A disabled unique_id maps to a list: there can be several disabled nodes of one id.
  const disabled: unknown[] = isPlainObject(raw.disabled) ? Object.values(raw.disabled).flatMap((list: unknown) => (Array.isArray(list) ? (list as unknown[]) : [])) : [];
  for (const node of [...nodes, ...disabled]) if (isPlainObject(node)) renameSqlAttr(node);
}
