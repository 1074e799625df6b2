// Keys of dbt_project.yml that dbt does not know: dbt 1.10 validates the file against its JSON
// schema and warns about an unknown top-level key (CustomTopLevelKeyDeprecation: `modle-paths`
// is silently ignored otherwise, and the models are not found), and about the pre-1.0 names
// `source-paths` / `data-paths` (ConfigSourcePathDeprecation, ConfigDataPathDeprecation).
import type { SourceLocation } from '../errors/tsdbt-error.js';
import { closestName } from '../errors/did-you-mean.js';
import type { YamlWarning } from './yaml-file.js';

/** The top-level keys of dbt-core 1.11's dbt_project.yml schema (core/dbt/jsonschemas/project). */
const PROJECT_KEYS = new Set(
  'analyses analysis-paths asset-paths clean-targets config-version data_tests dbt-cloud dispatch docs-paths exposures flags function-paths functions log-path macro-paths metrics model-paths models name on-run-end on-run-start packages-install-path profile query-comment quoting require-dbt-version restrict-access saved-queries seed-paths seeds semantic-models snapshot-paths snapshots sources sync target-path test-paths tests unit_tests vars version'.split(' '),
);

/** Pre-1.0 names dbt still reads, with a deprecation warning. */
const RENAMED: Record<string, { to: string; event: string }> = {
  'source-paths': { to: 'model-paths', event: 'ConfigSourcePathDeprecation' },
  'data-paths': { to: 'seed-paths', event: 'ConfigDataPathDeprecation' },
};

export function projectKeyWarnings(raw: Record<string, unknown>, file: string, locate: (path: (string | number)[]) => SourceLocation): YamlWarning[] {
  const out: YamlWarning[] = [];
  for (const key of Object.keys(raw)) {
    if (PROJECT_KEYS.has(key) || key === '<<') continue;
    const renamed = RENAMED[key];
    if (renamed) {
      out.push({
        event: renamed.event,
        message: `The \`${key}\` config has been renamed to \`${renamed.to}\`. Please update your \`dbt_project.yml\` configuration to reflect this change.`,
        location: locate([key]),
      });
      continue;
    }
    const near = closestName(key, PROJECT_KEYS);
    out.push({
      event: 'CustomTopLevelKeyDeprecation',
      message: `Unexpected top-level key ${key} in file \`${file}\`.${near ? ` Did you mean \`${near}\`?` : ''} dbt ignores it.`,
      location: locate([key]),
    });
  }
  return out;
}
