// The two behaviour-change flags of dbt's semantic-layer validation (SemanticManifest.validate in
// contracts/graph/semantic_manifest.py), which dbt runs at parse where the project has both metrics
// and semantic models:
// - require_nested_cumulative_type_params: a metric whose `type_params` has `window` or
//   `grain_to_date` (not nested under `cumulative_type_params`) is a deprecation
//   (MFCumulativeTypeParamsDeprecation, D019) while the flag is off, a validation error once on;
// - require_yaml_configuration_for_mf_time_spines: a legacy `metricflow_time_spine` model (one with
//   no `time_spine:` property) while no YAML-configured time spine is of day grain is a deprecation
//   (MFTimespineWithoutYamlConfigurationDeprecation, D018) while the flag is off, nothing once on.
import { isPlainObject } from '../config/yaml-file.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { Manifest, Warning } from '../manifest/types.js';
import { recordValues } from '../manifest/record-values.js';
import { LEGACY_TIME_SPINE_MODEL, timeGranularity } from '../manifest/time-granularity.js';

const CUMULATIVE_DEPRECATION =
  'Cumulative fields `type_params.window` and `type_params.grain_to_date` have been moved and will soon be deprecated. Please nest those values under `type_params.cumulative_type_params.window` and `type_params.cumulative_type_params.grain_to_date`. See documentation on behavior changes: https://docs.getdbt.com/reference/global-configs/behavior-changes.';
const TIME_SPINE_DEPRECATION =
  "Time spines without YAML configuration are in the process of deprecation. Please add YAML configuration for your 'metricflow_time_spine' model. See documentation on MetricFlow time spines: https://docs.getdbt.com/docs/build/metricflow-time-spine and behavior change documentation: https://docs.getdbt.com/reference/global-configs/behavior-changes.";

/** A value Python reads as true (dbt tests the parsed field's truthiness). */
const truthy = (value: unknown): boolean => value !== undefined && value !== null && value !== '' && value !== false && value !== 0;

/**
 * dbt's flag-dependent semantic checks, for a manifest with metrics and semantic models: returns
 * the deprecation warnings, and reports through `fail` the error of require_nested_cumulative_type_params.
 */
export function semanticFlagChecks(manifest: Manifest, flags: Record<string, unknown>, fail: (err: TsdbtError) => void): Warning[] {
  const declared = Object.values(manifest.declared ?? {});
  if (!declared.some((d) => d.resource_type === 'metric') || !declared.some((d) => d.resource_type === 'semantic_model')) return [];
  const oldParams = declared.filter((d) => {
    if (d.resource_type !== 'metric' || !isPlainObject(d.properties.type_params)) return false;
    return truthy(d.properties.type_params.window) || truthy(d.properties.type_params.grain_to_date);
  });
  const warnings: Warning[] = [];
  const first = oldParams[0];
  if (first && flags.require_nested_cumulative_type_params === true) {
    const names = oldParams.map((m) => m.name).join(', ');
    fail(
      new TsdbtError(
        `Cumulative fields \`type_params.window\` and \`type_params.grain_to_date\` should be nested under \`type_params.cumulative_type_params.window\` and \`type_params.cumulative_type_params.grain_to_date\`. Invalid metrics: ${names}. See documentation on behavior changes: https://docs.getdbt.com/reference/global-configs/behavior-changes.`,
        {
          code: 'semantic-manifest-invalid',
          location: { file: first.original_file_path, line: first.line },
          hint: 'move `window` / `grain_to_date` under `type_params: {cumulative_type_params: ...}`, or set `flags: {require_nested_cumulative_type_params: false}` in dbt_project.yml to warn instead',
        },
      ),
    );
  } else if (first) {
    warnings.push({ event: 'MFCumulativeTypeParamsDeprecation', message: CUMULATIVE_DEPRECATION, location: { file: first.original_file_path, line: first.line } });
  }
  if (flags.require_yaml_configuration_for_mf_time_spines !== true) {
    const models = recordValues(manifest.nodes).filter((n) => n.resource_type === 'model');
    const legacy = models.filter((n) => n.name === LEGACY_TIME_SPINE_MODEL);
    const spine = legacy.find((n) => n.package_name === manifest.projectName) ?? legacy[0];
    const dayConfigured = models.some((n) => n.time_spine && timeGranularity(n.columns[String(n.time_spine.standard_granularity_column)]?.granularity) === 'day');
    if (spine && !spine.time_spine && !dayConfigured) {
      warnings.push({ event: 'MFTimespineWithoutYamlConfigurationDeprecation', message: TIME_SPINE_DEPRECATION, location: { file: spine.original_file_path, line: 1 } });
    }
  }
  return warnings;
}
