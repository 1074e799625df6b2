// dbt 1.11 reserves the env var prefix DBT_ENGINE for its own settings (env_vars.py's
// validate_engine_env_vars, run before every command): any other variable set with that prefix is
// EnvironmentVariableNamespaceDeprecation. dbt's own are DBT_ENGINE_<X> for every CLI option read
// from DBT_<X> (cli/params.py, whose EngineEnvVar turns `DBT` into `DBT_ENGINE`), and a few more.

/** dbt_common's ENGINE_ENV_PREFIX. */
export const ENGINE_ENV_PREFIX = 'DBT_ENGINE';

/** The `<X>` of dbt 1.11's option env vars DBT_<X> (cli/params.py; DBT_ENGINE_SQLPARSE is named so already). */
const OPTION_ENV_VARS =
  'ARTIFACT_STATE_PATH CACHE_SELECTED_ONLY CLEAN_PROJECT_FILES_ONLY DEBUG DEFER DEFER_STATE DEFER_TO_STATE EMPTY SQLPARSE ' +
  'EVENT_TIME_END EVENT_TIME_START EXCLUDE_RESOURCE_TYPES EXPORT_SAVED_QUERIES FAIL_FAST FAVOR_STATE FAVOR_STATE_MODE ' +
  'FULL_REFRESH HOST INCLUDE_SAVED_QUERY INDIRECT_SELECTION INTROSPECT LOG_CACHE_EVENTS LOG_FILE_MAX_BYTES LOG_FORMAT ' +
  'LOG_FORMAT_FILE LOG_LEVEL LOG_LEVEL_FILE LOG_PATH MACRO_DEBUGGING NO_PRINT PARTIAL_PARSE PARTIAL_PARSE_FILE_DIFF ' +
  'PARTIAL_PARSE_FILE_PATH POPULATE_CACHE PRINT PRINTER_WIDTH PROFILE PROFILES_DIR PROJECT_DIR QUIET RESOURCE_TYPES ' +
  'SAMPLE SEND_ANONYMOUS_USAGE_STATS SHOW_RESOURCE_REPORT SINGLE_THREADED STATE STATIC_PARSER STORE_FAILURES TARGET ' +
  'TARGET_PATH UPLOAD_TO_ARTIFACTS_INGEST_API USE_COLORS USE_COLORS_FILE USE_EXPERIMENTAL_PARSER USE_FAST_TEST_EDGES ' +
  'VERSION_CHECK WARN_ERROR WARN_ERROR_OPTIONS WRITE_JSON';

/** env_vars.py's _ADDITIONAL_ENGINE_ENV_VARS, allowed under their DBT_ENGINE_ names too. */
const ADDITIONAL_ENV_VARS = 'INVOCATION_ENV RECORDED_FILE_PATH TEST_STATE_MODIFIED PACKAGE_HUB_URL DOWNLOAD_DIR PP_FILE_DIFF_TEST PP_TEST';

const ALLOWED: ReadonlySet<string> = new Set(`${OPTION_ENV_VARS} ${ADDITIONAL_ENV_VARS}`.split(' ').map((name) => `${ENGINE_ENV_PREFIX}_${name}`));

/** The variables set in `env` under dbt's reserved prefix that are none of dbt's, in the environment's order. */
export function customEngineEnvVars(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.keys(env).filter((name) => name.startsWith(ENGINE_ENV_PREFIX) && !ALLOWED.has(name) && env[name] !== undefined);
}
