// What templates see of the command line: dbt's `flags` object (FULL_REFRESH, EMPTY, WHICH, ...)
// and `invocation_args_dict`, read off the invocation's options (cli/flags.ts fills them).
import path from 'node:path';
import type { ProjectConfig } from '../config/index.js';
import type { Invocation } from './invocation.js';
import { logSettings } from './log-settings.js';
import { DEFAULT_LOG_FILE_MAX_BYTES } from './log-file.js';
import { parseYaml, truthyEnv } from './warn-error.js';
import { sampleFlagOf } from './sample-flag.js';

/** dbt's STATIC_PARSER: the flag, else TSDBT_STATIC_PARSER / DBT_STATIC_PARSER, else dbt_project.yml's `flags: static_parser`, else on. */
function staticParser(inv: Invocation, config: ProjectConfig): boolean {
  if (inv.options.noStaticParser) return false;
  const fromEnv = truthyEnv(inv.env.TSDBT_STATIC_PARSER ?? inv.env.DBT_STATIC_PARSER);
  if (fromEnv !== undefined) return fromEnv;
  return config.flags.static_parser !== false;
}

/** dbt's `flags` as templates see them (the command's WHICH is set once it is known). */
export function invocationFlags(inv: Invocation, config: ProjectConfig): Record<string, unknown> {
  const o = inv.options;
  return {
    FULL_REFRESH: Boolean(o.fullRefresh),
    WHICH: o.which ?? 'run',
    FAIL_FAST: Boolean(o.failFast),
    DEBUG: Boolean(o.debug),
    ...logSettings(o, config.flags).flags,
    LOG_PATH: o.logPath ?? null,
    TARGET_PATH: o.targetPath ?? null,
    PARTIAL_PARSE: !o.noPartialParse,
    INDIRECT_SELECTION: o.indirectSelection ?? 'eager',
    STORE_FAILURES: Boolean(o.storeFailures),
    WARN_ERROR: false,
    EMPTY: Boolean(o.empty),
    // --sample's window, dbt's SampleWindow; none without it.
    SAMPLE: sampleFlagOf(inv),
    USE_COLORS: (o.color ?? o.useColors) !== false,
    SEND_ANONYMOUS_USAGE_STATS: false,
    PRINTER_WIDTH: o.printerWidth ?? 80,
    INTROSPECT: true,
    QUIET: Boolean(o.quiet),
    WRITE_JSON: o.writeJson !== false,
    VERSION_CHECK: true,
    STATIC_PARSER: staticParser(inv, config),
    PROJECT_DIR: inv.projectDir,
    PROFILES_DIR: o.profilesDir ?? null,
    TARGET: o.target ?? null,
    THREADS: o.threads ?? null,
    // A project-only behavior flag (dbt copies those onto `flags` too): parsing reads it (graph/parse-sql-nodes.ts).
    STATE_MODIFIED_COMPARE_MORE_UNRENDERED_VALUES: config.flags.state_modified_compare_more_unrendered_values === true,
  };
}

/** dbt's args_to_dict leaves out these flags while they are false (its `default_false_keys`). */
const DEFAULT_FALSE_KEYS = new Set(['debug', 'full_refresh', 'fail_fast', 'warn_error', 'single_threaded', 'log_cache_events', 'store_failures', 'use_experimental_parser']);

/** `--warn-error-options` as dbt's WarnErrorOptionsV2.to_dict() gives it: error / warn / silence lists. */
function warnErrorOptionsDict(text: string | undefined): Record<string, unknown> {
  const empty = { error: [], warn: [], silence: [] };
  if (!text) return empty;
  try {
    const raw = parseYaml(text) as Record<string, unknown> | null;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return empty;
    const list = (v: unknown): unknown[] => (v === 'all' || v === '*' ? [v] : Array.isArray(v) ? (v as unknown[]) : []);
    return { error: list(raw.error ?? raw.include), warn: list(raw.warn ?? raw.exclude), silence: list(raw.silence) };
  } catch {
    return empty;
  }
}

/**
 * dbt's `invocation_args_dict` (dbt.utils.args_to_dict over the command's flags): every global flag
 * and the command's arguments, lower-case, with dbt's defaults, the project's `flags:` from
 * dbt_project.yml, `vars` as the parsed --vars; a flag whose value is None is left out, and so are
 * dbt's default-false flags (debug, full_refresh, fail_fast, warn_error, store_failures, ...) while false.
 */
export function invocationArgs(inv: Invocation, config: ProjectConfig, cliVars: Record<string, unknown>): Record<string, unknown> {
  const o = inv.options;
  const logs = logSettings(o, config.flags);
  const all: Record<string, unknown> = {
    ...Object.fromEntries(Object.entries(config.flags).map(([k, v]) => [k.toLowerCase(), v])),
    cache_selected_only: false,
    debug: Boolean(o.debug),
    defer: Boolean(o.defer),
    defer_state: o.deferState ?? null,
    favor_state: Boolean(o.favorState),
    fail_fast: Boolean(o.failFast),
    indirect_selection: o.indirectSelection ?? 'eager',
    introspect: true,
    log_cache_events: false,
    log_file_max_bytes: o.logFileMaxBytes ?? DEFAULT_LOG_FILE_MAX_BYTES,
    log_format: o.logFormat ?? 'default',
    // dbt's log flags as its cli/flags.py resolves them (log-settings.ts).
    log_format_file: logs.flags.LOG_FORMAT_FILE,
    log_level: o.logLevel ?? 'info',
    log_level_file: logs.flags.LOG_LEVEL_FILE,
    log_path: path.resolve(inv.projectDir, o.logPath ?? config.logPath),
    macro_debugging: false,
    partial_parse: !o.noPartialParse,
    partial_parse_file_diff: !o.noPartialParseFileDiff,
    populate_cache: true,
    print: o.print !== false,
    printer_width: o.printerWidth ?? 80,
    profile: o.profile ?? null,
    profiles_dir: o.profilesDir ?? null,
    project_dir: inv.projectDir,
    quiet: Boolean(o.quiet),
    send_anonymous_usage_stats: false,
    show_all_deprecations: Boolean(o.showAllDeprecations),
    single_threaded: false,
    state: o.state ?? null,
    static_parser: staticParser(inv, config),
    target: o.target ?? null,
    // The --use-colors flag (DBT_USE_COLORS), on unless turned off; whether a terminal shows them is another matter.
    use_colors: (o.color ?? o.useColors) !== false,
    use_colors_file: true,
    use_experimental_parser: false,
    use_fast_test_edges: false,
    version_check: !o.noVersionCheck,
    warn_error: o.warnError ?? null,
    warn_error_options: warnErrorOptionsDict(o.warnErrorOptions),
    write_json: o.writeJson !== false,
    vars: cliVars,
    select: o.select ?? [],
    exclude: o.exclude ?? [],
    selector: o.selector ?? null,
    resource_types: o.resourceTypes ?? [],
    exclude_resource_types: o.excludeResourceTypes ?? [],
    full_refresh: Boolean(o.fullRefresh),
    store_failures: Boolean(o.storeFailures),
    threads: o.threads ?? null,
    empty: Boolean(o.empty),
    sample: sampleFlagOf(inv),
    event_time_start: o.eventTimeStart?.toISOString() ?? null,
    event_time_end: o.eventTimeEnd?.toISOString() ?? null,
    target_path: o.targetPath ?? null,
  };
  return Object.fromEntries(Object.entries(all).filter(([key, value]) => value !== null && value !== undefined && !(DEFAULT_FALSE_KEYS.has(key) && value === false)));
}
