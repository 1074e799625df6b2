// dbt's model deprecation warnings (parser/manifest.py check_for_model_deprecations), given on every
// load of the project: DeprecatedModel for a model past its deprecation_date, and for each model
// that refs a model with a deprecation_date, DeprecatedReference (date passed) or
// UpcomingReferenceDeprecation (date to come). They depend on today's date, so they are computed
// on each load, never cached with the parse.
import type { SourceLocation } from '../errors/tsdbt-error.js';
import { escapeRegExp, lineOf } from '../errors/did-you-mean.js';
import type { Manifest, ManifestNode, Warning } from '../manifest/types.js';
import { propertyLocation } from '../manifest/property-location.js';
import { recordValues } from '../manifest/record-values.js';

export function modelDeprecationWarnings(manifest: Manifest, now: Date): Warning[] {
  const out: Warning[] = [];
  const models = recordValues(manifest.nodes)
    .filter((n) => n.resource_type === 'model' && typeof n.deprecation_date === 'string')
    .sort((a, b) => a.unique_id.localeCompare(b.unique_id));
  for (const node of models) {
    const date = node.deprecation_date as string;
    const past = Date.parse(date) < now.getTime();
    const version = node.version !== null && node.version !== undefined ? `.v${String(node.version)}` : '';
    if (past) {
      out.push({
        event: 'DeprecatedModel',
        message: `Model ${node.name}${version} has passed its deprecation date of ${date}. This model should be disabled or removed.`,
        location: propertyLocation(node),
        data: { model_name: node.name, model_version: versionText(node), deprecation_date: date },
      });
    }
    const children = [...(manifest.child_map[node.unique_id] ?? [])].sort();
    for (const childId of children) {
      const child = manifest.nodes[childId];
      if (!child || child.resource_type !== 'model') continue;
      const newer = version !== '' && String(node.version) !== String(node.latest_version);
      const coda = newer
        ? ` A new version of '${node.name}' is available. ${past ? 'Migrate now' : 'Try it out'}: {{ ref('${node.package_name}', '${node.name}', v='${String(node.latest_version)}') }}.`
        : '';
      out.push({
        event: past ? 'DeprecatedReference' : 'UpcomingReferenceDeprecation',
        message: `While compiling '${child.name}': Found a reference to ${node.name}${version}, which ${past ? 'was deprecated on' : 'is slated for deprecation on'} '${date}'.${coda}`,
        location: refAt(child, node.name),
        data: {
          model_name: child.name, ref_model_package: node.package_name, ref_model_name: node.name,
          ref_model_version: versionText(node), ref_model_latest_version: versionText({ version: node.latest_version }),
          ref_model_deprecation_date: date,
        },
      });
    }
  }
  return out;
}

/** A version as dbt's event fields have it: a string, '' for none. */
function versionText(node: { version?: unknown }): string {
  return node.version === null || node.version === undefined ? '' : String(node.version);
}

/** The line of the child's `ref(... 'name' ...)`. */
function refAt(child: ManifestNode, name: string): SourceLocation {
  const line = lineOf(child.raw_code, new RegExp(`ref\\s*\\([^)]*['"]${escapeRegExp(name)}['"]`));
  return { file: child.original_file_path, line: line === undefined ? child.line : line + child.line - 1 };
}
