// What templates see of the command line: dbt's `flags` object (FULL_REFRESH, EMPTY, WHICH, ...)
// and `invocation_args_dict`, read off the invocation's options (cli/flags.ts fills them).
import type { ProjectConfig } from '../config/index.js';
import type { Invocation } from './invocation.js';
import { logSettings } from './log-settings.js';
import { DEFAULT_LOG_FILE_MAX_BYTES } from './log-file.js';
import { truthyEnv } from './warn-error.js';

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
    WHICH: 'run',
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
    // --sample's text (dbt holds its parsed window); none without it.
    SAMPLE: o.sample ?? null,
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

/** dbt's `invocation_args_dict`: the command's arguments, lower-case as dbt names them. */
export function invocationArgs(inv: Invocation): Record<string, unknown> {
  const o = inv.options;
  const logs = logSettings(o);
  return {
    project_dir: inv.projectDir,
    profiles_dir: o.profilesDir ?? null,
    target: o.target ?? null,
    vars: o.vars ?? {},
    select: o.select ?? [],
    exclude: o.exclude ?? [],
    selector: o.selector ?? null,
    full_refresh: Boolean(o.fullRefresh),
    threads: o.threads ?? null,
    fail_fast: Boolean(o.failFast),
    debug: Boolean(o.debug),
    log_format: o.logFormat ?? 'default',
    partial_parse: !o.noPartialParse,
    indirect_selection: o.indirectSelection ?? 'eager',
    quiet: Boolean(o.quiet),
    print: o.print !== false,
    warn_error: o.warnError ?? null,
    warn_error_options: o.warnErrorOptions ?? null,
    empty: Boolean(o.empty),
    sample: o.sample ?? null,
    target_path: o.targetPath ?? null,
    log_level: o.logLevel ?? 'info',
    // dbt's log flags, each with its value (dbt's args_to_dict keeps every flag that is not None).
    log_format_file: logs.flags.LOG_FORMAT_FILE,
    log_level_file: logs.flags.LOG_LEVEL_FILE,
    log_file_max_bytes: o.logFileMaxBytes ?? DEFAULT_LOG_FILE_MAX_BYTES,
    printer_width: o.printerWidth ?? 80,
    use_colors: (o.color ?? o.useColors) !== false,
    use_colors_file: true,
    resource_types: o.resourceTypes ?? [],
    exclude_resource_types: o.excludeResourceTypes ?? [],
  };
}
