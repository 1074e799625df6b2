// The invocation context: everything one command needs, passed explicitly (DESIGN.md rule 3), so
// two builds in one process (the scheduler) never share state.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Logger, type LogFormat, type LogLevelFlag } from './logger.js';
import { logSettings } from './log-settings.js';
import { NO_WARN_ERROR, truthyEnv, warnErrorPolicy } from './warn-error.js';

export interface InvocationOptions {
  /**
   * The command as dbt's Command enum names it (`run`, `build`, `freshness` for `source freshness`,
   * `generate` for `docs generate`, `list`, ...): templates read it as `flags.WHICH` from parsing on.
   * `run` when not given (a programmatic caller); a command sets its own once it runs.
   */
  which?: string;
  /** The working directory relative folder names are read from; the process's when absent (programmatic callers may name another). */
  cwd?: string;
  projectDir?: string;
  profilesDir?: string;
  /** `--profile`: the profile to load instead of dbt_project.yml's `profile:`. */
  profile?: string;
  target?: string;
  /** `--vars` text (YAML or JSON). */
  vars?: string;
  select?: string[];
  exclude?: string[];
  selector?: string;
  resourceTypes?: string[];
  /** `--exclude-resource-type`: resource types left out of the selection. */
  excludeResourceTypes?: string[];
  indirectSelection?: 'eager' | 'cautious' | 'buildable' | 'empty';
  /** `--state`: a folder with an earlier run's artifacts (manifest.json for state:, run_results.json for result:, sources.json for source_status:). */
  state?: string;
  /** `--defer`: refs to nodes not built in this target resolve to the --state (or --defer-state) manifest's relations. */
  defer?: boolean;
  /** `--defer-state`: the artifacts --defer reads, when they differ from --state's. */
  deferState?: string;
  /** `--favor-state`: under --defer, refs to unselected nodes use the state's relations even where this target has them. */
  favorState?: boolean;
  threads?: number;
  fullRefresh?: boolean;
  /** `--store-failures`: tests whose store_failures config is unset store their failing rows. */
  storeFailures?: boolean;
  /** Microbatch backfill range. */
  eventTimeStart?: Date;
  eventTimeEnd?: Date;
  failFast?: boolean;
  /** dbt's `default` and `debug` formats are its text lines. */
  logFormat?: LogFormat | 'default' | 'debug';
  debug?: boolean;
  /** `--log-level`: the least severe lines printed (`none`: nothing but print() and fatal errors). */
  logLevel?: LogLevelFlag;
  /** `--use-colors` / `--no-use-colors`: colours forced on or off (default: on a terminal only). */
  useColors?: boolean;
  /** `--log-path`: dbt.log's folder instead of dbt_project.yml's log-path (logs). */
  logPath?: string;
  /** `--log-level-file`: the least severe lines dbt.log gets (default debug; none: no file). */
  logLevelFile?: LogLevelFlag;
  /** `--log-format-file`: dbt.log as text lines (dbt's debug format) or JSON lines. */
  logFormatFile?: LogFormat | 'default' | 'debug';
  /** `--log-file-max-bytes`: dbt.log rotates past this size (0: never). */
  logFileMaxBytes?: number;
  /** `--printer-width`: how wide the progress lines' dots reach (default 80). */
  printerWidth?: number;
  /** `--no-write-json` (false): run_results.json is not written. */
  writeJson?: boolean;
  /** `--target-path`: where artifacts go instead of dbt_project.yml's target-path. */
  targetPath?: string;
  /** `--empty`: refs and sources read zero rows. */
  empty?: boolean;
  /** `seed --show`: a random sample of each seed loaded is printed after the run (seed-show.ts). */
  show?: boolean;
  /** `compile --no-introspect` (false): no connection is opened; a node whose template asks the warehouse fails. */
  introspect?: boolean;
  /** `compile --no-inject-ephemeral-ctes` (false): ephemeral inputs are read as `__dbt__cte__<name>` with no CTE defining them. */
  injectEphemeralCtes?: boolean;
  /** `--sample`: dbt 1.10's sample mode, the window (`3 days`, or a YAML `{start, end}`) inputs with an event_time are read in (compile/sample-window.ts). */
  sample?: string;
  /** dbt flags given that change nothing in tsdbt, each with why (said under --debug). */
  noEffectFlags?: string[];
  /** dbt's deprecation events for flags given (`-m`: ModelParamUsageDeprecation), warned when the project is loaded. */
  deprecatedFlags?: string[];
  /** dbt's renamed env vars that were set, as `OLD>NEW` (DBT_DEFER_TO_STATE>DBT_ENGINE_DEFER): EnvironmentVariableRenamed, warned when the project is loaded. */
  renamedEnvVars?: string[];
  /** --quiet / -q: only errors and print() output (default: TSDBT_QUIET, DBT_QUIET). */
  quiet?: boolean;
  /** --print / --no-print: whether print() writes (default: TSDBT_PRINT, DBT_PRINT; DBT_NO_PRINT). */
  print?: boolean;
  /** --show-all-deprecations: every deprecation warned, not the first of each kind. */
  showAllDeprecations?: boolean;
  /** --show-resource-report (DBT_SHOW_RESOURCE_REPORT): the command's ResourceReport at info level, not debug. */
  showResourceReport?: boolean;
  /** --warn-error: every warning is an error (default: TSDBT_WARN_ERROR, DBT_WARN_ERROR). */
  warnError?: boolean;
  /** --warn-error-options as YAML/JSON (default: TSDBT_WARN_ERROR_OPTIONS, DBT_WARN_ERROR_OPTIONS). */
  warnErrorOptions?: string;
  /** Ignore target/partial_parse.bin and parse every file again. */
  noPartialParse?: boolean;
  /** dbt's PARTIAL_PARSE_FILE_DIFF off: reuse target/partial_parse.bin as if no file had changed (dbt's empty FileDiff). */
  noPartialParseFileDiff?: boolean;
  /** dbt's VERSION_CHECK off (`--no-version-check`): require-dbt-version ranges are not enforced. */
  noVersionCheck?: boolean;
  /** dbt's STATIC_PARSER off (`--no-static-parser`): every SQL file is rendered while parsing. */
  noStaticParser?: boolean;
  env?: NodeJS.ProcessEnv;
  /** The clock (tests control it). */
  now?: () => Date;
  /** The invocation_id (artifacts, Jinja's `invocation_id`); a new UUID when absent. The scheduler passes its run id. */
  invocationId?: string;
  /** Aborting it stops a build as Ctrl-C does (the scheduler's timeout and SIGTERM). */
  abortSignal?: AbortSignal;
  /** Output sink (tests capture it); default stdout. */
  write?: (line: string) => void;
  writeError?: (line: string) => void;
  color?: boolean;
}

export interface Invocation {
  options: InvocationOptions;
  projectDir: string;
  /** The working directory relative folder names are read from (--project-dir, --profiles-dir, DBT_PROFILES_DIR). */
  cwd: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  now: () => Date;
  invocationId: string;
  startedAt: Date;
  /** --warn-error(-options) or their env vars were given (they win over dbt_project.yml's flags). */
  warnErrorFromFlags: boolean;
}

/** A folder flag's value, else its env var as dbt names them (TSDBT_, DBT_ENGINE_, DBT_): either wins over dbt_project.yml's key. */
function folderFlag(inv: Pick<Invocation, 'options' | 'env'>, given: string | undefined, name: string): string | undefined {
  return given ?? inv.env[`TSDBT_${name}`] ?? inv.env[`DBT_ENGINE_${name}`] ?? inv.env[`DBT_${name}`];
}

/** `--target-path`, else DBT_TARGET_PATH: either wins over dbt_project.yml's target-path. */
export const targetPathFlag = (inv: Pick<Invocation, 'options' | 'env'>) => folderFlag(inv, inv.options.targetPath, 'TARGET_PATH');

/** `--log-path`, else DBT_LOG_PATH: either wins over dbt_project.yml's log-path. */
export const logPathFlag = (inv: Pick<Invocation, 'options' | 'env'>) => folderFlag(inv, inv.options.logPath, 'LOG_PATH');

export function createInvocation(options: InvocationOptions): Invocation {
  const env = options.env ?? process.env;
  const now = options.now ?? (() => new Date());
  const warnErrorFromFlags = warnErrorPolicy(options, env);
  // node:crypto loads here, not at start-up: --version and --help never need it (issue 18).
  const invocationId = options.invocationId ?? process.getBuiltinModule('node:crypto').randomUUID();
  const log = logSettings(options);
  const logger = new Logger({
    format: log.console === 'json' ? 'json' : 'text',
    debugLines: log.console === 'debug',
    debug: log.debug,
    level: log.consoleLevel,
    quiet: options.quiet ?? truthyEnv(env.TSDBT_QUIET ?? env.DBT_QUIET) ?? false,
    print: options.print ?? truthyEnv(env.TSDBT_PRINT ?? env.DBT_ENGINE_PRINT ?? env.DBT_PRINT) ?? !(truthyEnv(env.DBT_NO_PRINT) ?? false),
    warnError: warnErrorFromFlags ?? NO_WARN_ERROR,
    showAllDeprecations: options.showAllDeprecations ?? false,
    write: options.write,
    writeError: options.writeError,
    color: options.color ?? options.useColors,
    printerWidth: options.printerWidth,
    fileLevel: log.fileLevel,
    env,
    now,
    invocationId,
  });
  for (const flag of options.noEffectFlags ?? []) logger.debug(`Ignoring ${flag}`, 'FlagWithoutEffect');
  const cwd = options.cwd ?? process.cwd();
  return {
    options,
    warnErrorFromFlags: warnErrorFromFlags !== undefined,
    projectDir: projectDirOf(cwd, options.projectDir ?? env.DBT_PROJECT_DIR),
    cwd,
    env,
    logger,
    now,
    invocationId,
    startedAt: now(),
  };
}

/**
 * The project folder: the one named (--project-dir, DBT_PROJECT_DIR), else the nearest of the working
 * directory and its parents that holds a dbt_project.yml, else the working directory, as dbt's
 * default_project_dir finds it (a CI that runs dbt from `integration_tests/python_tests` builds
 * `integration_tests`).
 */
export function projectDirOf(cwd: string, named: string | undefined): string {
  if (named !== undefined && named !== '') return path.resolve(cwd, named);
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'dbt_project.yml'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(cwd);
  }
}
