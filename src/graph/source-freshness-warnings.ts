// dbt's parse-time FreshnessConfigProblem (parser/sources.py): a source table with freshness
// criteria but neither `loaded_at_field` nor `loaded_at_query` asks for metadata-based freshness
// (the warehouse's last-modified time), which dbt-postgres, and every adapter tsdbt has, cannot
// give. dbt warns when it parses the source, and `source freshness` then fails that source
// (source-freshness.ts). A fired event, not warn_or_error: --warn-error leaves it a warning.
import type { Manifest, Warning } from '../manifest/types.js';
import { recordValues } from '../manifest/record-values.js';
import { hasThreshold } from '../freshness/criteria.js';

export function metadataFreshnessWarnings(manifest: Manifest): Warning[] {
  const warnings: Warning[] = [];
  for (const source of recordValues(manifest.sources)) {
    if (!hasThreshold(source.freshness) || source.loaded_at_field || source.loaded_at_query) continue;
    warnings.push({
      message: `The configured adapter does not support metadata-based freshness. A loaded_at_field must be specified for source '${source.source_name}.${source.name}'.`,
      event: 'FreshnessConfigProblem',
      location: { file: source.original_file_path, line: source.line },
      data: { msg: `The configured adapter does not support metadata-based freshness. A loaded_at_field must be specified for source '${source.source_name}.${source.name}'.` },
    });
  }
  return warnings;
}
