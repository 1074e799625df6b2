// dbt 1.10's deprecation warnings (dbt/deprecations.py): each kind is shown the first time it
// happens in an invocation (every time with --show-all-deprecations), every occurrence is counted,
// and the command ends with DeprecationsSummary listing the counts. The kinds are dbt's events
// whose code starts with D, which dbt_common's warn_error_options also select as one group,
// `Deprecations` (warn-error.ts).

/** dbt's deprecation events (core/dbt/events/types.py, codes D001-D040) by name. */
export const DEPRECATION_CODES: ReadonlyMap<string, string> = new Map([
  ['PackageRedirectDeprecation', 'D001'],
  ['PackageInstallPathDeprecation', 'D002'],
  ['ConfigSourcePathDeprecation', 'D003'],
  ['ConfigDataPathDeprecation', 'D004'],
  ['MetricAttributesRenamed', 'D006'],
  ['ExposureNameDeprecation', 'D007'],
  ['InternalDeprecation', 'D008'],
  ['EnvironmentVariableRenamed', 'D009'],
  ['ConfigLogPathDeprecation', 'D010'],
  ['ConfigTargetPathDeprecation', 'D011'],
  ['TestsConfigDeprecation', 'D012'],
  ['ProjectFlagsMovedDeprecation', 'D013'],
  ['SpacesInResourceNameDeprecation', 'D014'],
  ['ResourceNamesWithSpacesDeprecation', 'D015'],
  ['PackageMaterializationOverrideDeprecation', 'D016'],
  ['SourceFreshnessProjectHooksNotRun', 'D017'],
  ['MFTimespineWithoutYamlConfigurationDeprecation', 'D018'],
  ['MFCumulativeTypeParamsDeprecation', 'D019'],
  ['MicrobatchMacroOutsideOfBatchesDeprecation', 'D020'],
  ['GenericJSONSchemaValidationDeprecation', 'D022'],
  ['UnexpectedJinjaBlockDeprecation', 'D023'],
  ['DuplicateYAMLKeysDeprecation', 'D024'],
  ['CustomTopLevelKeyDeprecation', 'D025'],
  ['CustomKeyInConfigDeprecation', 'D026'],
  ['CustomKeyInObjectDeprecation', 'D027'],
  ['DeprecationsSummary', 'D028'],
  ['CustomOutputPathInSourceFreshnessDeprecation', 'D029'],
  ['PropertyMovedToConfigDeprecation', 'D030'],
  ['WEOIncludeExcludeDeprecation', 'D031'],
  ['ModelParamUsageDeprecation', 'D032'],
  ['ModulesItertoolsUsageDeprecation', 'D034'],
  ['SourceOverrideDeprecation', 'D035'],
  ['EnvironmentVariableNamespaceDeprecation', 'D036'],
  ['MissingPlusPrefixDeprecation', 'D037'],
  ['ArgumentsPropertyInGenericTestDeprecation', 'D038'],
  ['MissingArgumentsPropertyInGenericTestDeprecation', 'D039'],
  ['DuplicateNameDistinctNodeTypesDeprecation', 'D040'],
]);

/** True for dbt's deprecation events (code D...), the `Deprecations` group of warn_error_options. */
export function isDeprecation(event: string): boolean {
  return DEPRECATION_CODES.has(event);
}

export interface DeprecationSummary {
  /** dbt's words, one line each (its DeprecationsSummary message). */
  lines: string[];
  /** The event's data as dbt's JSON log has it. */
  data: { summaries: { event_name: string; event_code: string; occurrences: number }[]; show_all_hint: boolean };
}

/** The deprecations of one invocation: which kinds were shown, how often each happened. */
export class DeprecationCounter {
  private readonly occurrences = new Map<string, number>();

  constructor(private readonly showAll: boolean) {}

  /** Counts one occurrence of `event`; true when it is to be shown (its first, or --show-all-deprecations). */
  record(event: string): boolean {
    const seen = this.occurrences.get(event) ?? 0;
    this.occurrences.set(event, seen + 1);
    return seen === 0 || this.showAll;
  }

  /** dbt's DeprecationsSummary, or null when no deprecation happened. */
  summary(): DeprecationSummary | null {
    if (this.occurrences.size === 0) return null;
    const summaries = [...this.occurrences].map(([event, occurrences]) => ({ event_name: event, event_code: DEPRECATION_CODES.get(event) ?? '', occurrences }));
    const lines = ['Summary of encountered deprecations:', ...summaries.map((s) => `- ${s.event_name}: ${s.occurrences} occurrence${s.occurrences === 1 ? '' : 's'}`)];
    // dbt goes on "You may also need to run with `--no-partial-parse` as some deprecations are only
    // encountered during parsing": tsdbt repeats a cached parse's warnings, so it need not.
    if (!this.showAll) lines.push('To see all deprecation instances instead of just the first occurrence of each, run command again with the `--show-all-deprecations` flag.');
    return { lines, data: { summaries, show_all_hint: !this.showAll } };
  }
}
