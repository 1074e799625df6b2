// Every command-line flag, declared once (FLAGS): its syntax, help, default, env vars and the
// commands that take it. commander's options and the typed values handed to the app are derived
// from it (flag-values.ts: addFlags, readFlags), and so are their TypeScript types here
// (FlagsFor<'show'> is { inline?: string; limit: number; ... }). Adding a flag is one entry here
// (plus the field the app reads it from). Start-up cost matters (issue 18): this module imports
// nothing heavy.
import type { InvocationOptions } from '../app/invocation.js';
import { integer, number, positiveWholeNumber, timerSeconds, timestamp, wholeNumber, type FlagParser } from './flag-parsers.js';

/** The commands that take flags, as typed after `tsdbt` (`docs generate` is `docs`'s `generate`). */
export const COMMANDS = ['build', 'run', 'seed', 'test', 'snapshot', 'retry', 'schedule', 'docs generate', 'docs serve', 'compile', 'clone', 'ls', 'show', 'load', 'source freshness', 'run-operation', 'parse', 'debug', 'produce-sample', 'init', 'deps', 'clean'] as const;
export type CommandName = (typeof COMMANDS)[number];

/** The commands that run nodes of the DAG (dbt's build, run, seed, test, snapshot). */
export const EXEC_COMMANDS = ['build', 'run', 'seed', 'test', 'snapshot'] as const;
/** The commands that read a project (all but init). */
const PROJECT = COMMANDS.filter((c) => c !== 'init') as readonly Exclude<CommandName, 'init'>[];
/** The commands that select nodes (--select, --exclude, --state ...). */
const SELECTING = [...EXEC_COMMANDS, 'schedule', 'compile', 'clone', 'ls', 'show', 'load', 'source freshness', 'docs generate'] as const;

export interface FlagSpec {
  /** commander's syntax: `-s, --select <selector...>` (a list), `--threads <n>` (one value), `--debug` (boolean), `--no-partial-parse` (a negation: noPartialParse is true when given, false with `--partial-parse`, undefined when neither nor its env var). The value's name is the last long flag in camelCase. */
  readonly flags: string;
  /** The value's name where it is not the long flag's (clone's `--resource-type` sets `resourceTypes`, as ls's `--resource-types` does). */
  readonly name?: string;
  readonly help: string;
  /** The help where a command says it differently. */
  readonly helpIn?: Partial<Record<CommandName, string>>;
  readonly commands: readonly CommandName[];
  /** Also accepted before the command (`tsdbt --warn-error run`); the command's own wins. */
  readonly global?: boolean;
  /** The value when the flag is not given, as it would be typed (shown in the help, then parsed). */
  readonly default?: string;
  readonly choices?: readonly string[];
  readonly parse?: FlagParser<unknown>;
  /** Read when the flag is not given: the first of these that is set (for a boolean flag, 1/true/yes/on; empty is unset). */
  readonly env?: readonly string[];
  /** A boolean flag with a `--no-` form too (undefined when neither is given): the `--no-` form's help. */
  readonly negatable?: string;
  readonly required?: boolean;
  /** The value is an `InvocationOptions` field (every command's); otherwise one of the command's own options. */
  readonly invocation?: true;
  /** An alias whose values are added to this invocation list flag's (`--models` to `--select`). */
  readonly addsTo?: 'select';
  /** dbt's deprecation event for giving this flag (`-m`: ModelParamUsageDeprecation), warned once the project's warn_error_options are known. */
  readonly deprecation?: 'ModelParamUsageDeprecation';
  /**
   * The env var dbt renamed to this flag's (dbt 1.11's deprecated params: DBT_DEFER_TO_STATE is now
   * DBT_ENGINE_DEFER): when set, its value wins over the flag and the new variable, with dbt's
   * EnvironmentVariableRenamed warning. `negated`: it holds the opposite (DBT_NO_PRINT).
   */
  readonly renamedEnv?: { readonly name: string; readonly negated?: true };
  /** The value goes into this object of the command's options (init's `answers`). */
  readonly group?: 'answers';
  /** A negation flag's positive form too (`--partial-parse` beside `--no-partial-parse`), hidden from the help: the default spelled out. */
  readonly affirmative?: true;
  /**
   * A dbt flag tsdbt accepts so that a dbt command line runs unchanged, though it changes nothing
   * here: why (said under --debug, listed in the README, hidden from --help).
   */
  readonly noEffect?: string;
  /**
   * Flags this one may not be given with (dbt's `_assert_mutually_exclusive`): both on the command
   * line is a usage error in dbt's words, `inline: not allowed with argument select`, exit 2.
   */
  readonly notWith?: readonly string[];
}

/** dbt's env vars for a flag: tsdbt's own, then DBT_ENGINE_* (dbt 1.11), then DBT_*. */
const dbtEnv = (name: string) => [`TSDBT_${name}`, `DBT_ENGINE_${name}`, `DBT_${name}`] as const;

/** dbt's --log-level choices. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'none'] as const;

/** A boolean dbt flag (and its `--no-` form) that changes nothing here, with why (FlagSpec.noEffect). */
function noEffect<F extends `--${string}`>(flag: F, why: string, commands: readonly CommandName[]) {
  return [{ flags: flag, help: 'not used by tsdbt', noEffect: why, negatable: 'not used by tsdbt', commands, global: commands === COMMANDS }] as const;
}

/** Each flag once, in the order the help lists them. One spelling may have two entries for different commands where its meaning or type differs (`--port`, `--output`, `--threads`); two entries may set one value (`resourceTypes`: clone's `--resource-type`, ls's `--resource-type, --resource-types`). */
export const FLAGS = [
  // dbt's global flags: before the command or after it.
  { flags: '-q, --quiet', help: 'print only errors (and the output of print() in templates)', commands: COMMANDS, global: true, invocation: true },
  { flags: '--print', help: 'print() in templates writes to stdout (the default)', negatable: 'drop the output of print() in templates', env: dbtEnv('PRINT'), renamedEnv: { name: 'DBT_NO_PRINT', negated: true }, commands: COMMANDS, global: true, invocation: true },
  { flags: '--show-all-deprecations', help: 'warn every deprecation, not only the first of each kind (the command ends with a count of each kind either way)', negatable: 'warn the first deprecation of each kind only (the default)', commands: COMMANDS, global: true, invocation: true },
  { flags: '--show-resource-report', help: "log the command's closing resource report (CPU time, peak memory) at info level, not debug", negatable: 'log the resource report at debug level (the default)', env: dbtEnv('SHOW_RESOURCE_REPORT'), commands: COMMANDS, global: true, invocation: true },
  { flags: '--warn-error', help: 'turn every warning into an error', commands: COMMANDS, global: true, invocation: true },
  {
    flags: '--warn-error-options <yaml>',
    help: 'which warnings become errors, stay warnings, or are silenced, by event name, e.g. \'{"error": "all", "warn": ["NothingToDo"], "silence": ["JinjaLogWarning"]}\'',
    commands: COMMANDS,
    global: true,
    invocation: true,
    notWith: ['--warn-error'],
  },
  { flags: '--log-level <level>', help: 'the least severe lines printed and, unless --log-level-file says otherwise, written to dbt.log: debug, info (the default), warn, error or none', choices: LOG_LEVELS, env: dbtEnv('LOG_LEVEL'), commands: COMMANDS, global: true, invocation: true },
  { flags: '--use-colors', help: 'colour the output even when it is not a terminal', negatable: 'never colour the output (default: colours on a terminal only; DBT_USE_COLORS, NO_COLOR)', env: dbtEnv('USE_COLORS'), commands: COMMANDS, global: true, invocation: true },
  { flags: '--log-path <dir>', help: "where dbt.log is written (default: DBT_LOG_PATH, dbt_project.yml's log-path, logs)", env: dbtEnv('LOG_PATH'), commands: COMMANDS, global: true, invocation: true },
  { flags: '--log-level-file <level>', help: 'the least severe lines dbt.log gets (default: --log-level when given, else debug; none writes no file)', choices: LOG_LEVELS, env: dbtEnv('LOG_LEVEL_FILE'), commands: COMMANDS, global: true, invocation: true },
  { flags: '--log-format-file <format>', help: "dbt.log's lines: debug (dbt's default for the file), text (plain), json (one object per line); default: --log-format when given", choices: ['text', 'json', 'default', 'debug'], env: dbtEnv('LOG_FORMAT_FILE'), commands: COMMANDS, global: true, invocation: true },
  { flags: '--log-file-max-bytes <n>', help: 'rotate dbt.log past this size, keeping 5 (default: 10485760; 0 never rotates)', parse: wholeNumber(0), env: dbtEnv('LOG_FILE_MAX_BYTES'), commands: COMMANDS, global: true, invocation: true },
  { flags: '--printer-width <n>', help: "the width of the progress lines' dots (default: 80)", parse: wholeNumber(20), env: dbtEnv('PRINTER_WIDTH'), commands: COMMANDS, global: true, invocation: true },
  { flags: '--write-json', help: 'write run_results.json and manifest.json (the default)', negatable: 'write neither run_results.json, sources.json nor manifest.json', env: dbtEnv('WRITE_JSON'), commands: COMMANDS, global: true, invocation: true },

  // The project, the profile and how it is parsed.
  // init's: the project whose profile it sets up, else a new project is created in the current folder.
  { flags: '--project-dir <dir>', help: 'the dbt project folder (default: current folder)', commands: [...PROJECT, 'init'], invocation: true },
  {
    flags: '--profiles-dir <dir>',
    help: 'folder holding profiles.yml (default: TSDBT_PROFILES_DIR, DBT_PROFILES_DIR, the project, ~/.dbt)',
    helpIn: { init: 'where profiles.yml is written (default: TSDBT_PROFILES_DIR, DBT_PROFILES_DIR, ~/.dbt)' },
    commands: COMMANDS,
    invocation: true,
  },
  { flags: '-s, --skip-profile-setup', help: 'write the project only, no profile', commands: ['init'] },
  {
    flags: '--profile <name>',
    help: 'profile to load from profiles.yml (default: `profile:` in dbt_project.yml)',
    helpIn: { init: 'use this existing profile instead of writing one' },
    env: dbtEnv('PROFILE'),
    commands: COMMANDS,
    global: true,
    invocation: true,
  },
  { flags: '--adapter <name>', help: 'the warehouse: postgres, pglite (embedded), clickhouse or chdb (embedded)', commands: ['init'] },
  { flags: '--host <host>', help: 'profile answer: host', commands: ['init'], group: 'answers' },
  { flags: '--port <port>', help: 'profile answer: port', commands: ['init'], group: 'answers' },
  { flags: '--user <user>', help: 'profile answer: user', commands: ['init'], group: 'answers' },
  { flags: '--password <password>', help: 'profile answer: password', commands: ['init'], group: 'answers' },
  { flags: '--dbname <name>', help: 'profile answer: database (postgres)', commands: ['init'], group: 'answers' },
  { flags: '--schema <name>', help: 'profile answer: schema', commands: ['init'], group: 'answers' },
  { flags: '--threads <n>', help: 'profile answer: threads', commands: ['init'], group: 'answers' },
  { flags: '--path <dir>', help: 'profile answer: the database folder (pglite, chdb)', commands: ['init'], group: 'answers' },
  { flags: '--secure <bool>', help: 'profile answer: https (clickhouse)', commands: ['init'], group: 'answers' },
  { flags: '-t, --target <name>', help: "profile target to use (default: DBT_TARGET, the profile's target)", env: dbtEnv('TARGET'), commands: COMMANDS, global: true, invocation: true },
  { flags: '--vars <yaml>', help: "variables as YAML or JSON, e.g. '{session_timeout_minutes: 45}'", commands: PROJECT, invocation: true },
  { flags: '--vars <yaml>', help: 'not used by tsdbt', noEffect: 'init renders no template with variables', commands: ['init'] },
  { flags: '--target-path <dir>', help: "where artifacts and compiled SQL go (default: DBT_TARGET_PATH, dbt_project.yml's target-path, target)", env: dbtEnv('TARGET_PATH'), commands: PROJECT, invocation: true },
  { flags: '--log-format <format>', help: "text lines (text, default), dbt's debug lines with level and thread (debug) or one JSON object per line (json), printed and, unless --log-format-file says otherwise, in dbt.log", choices: ['text', 'json', 'default', 'debug'], env: dbtEnv('LOG_FORMAT'), commands: COMMANDS, global: true, invocation: true },
  { flags: '-d, --debug', help: 'print every SQL statement and timing', negatable: 'do not print them (the default)', env: dbtEnv('DEBUG'), commands: COMMANDS, global: true, invocation: true },
  { flags: '--no-partial-parse', help: 'parse every file again instead of reusing target/partial_parse.bin', affirmative: true, env: dbtEnv('PARTIAL_PARSE'), commands: COMMANDS, global: true, invocation: true },
  // dbt's hidden PARTIAL_PARSE_FILE_DIFF (parser/manifest.py get_full_manifest: off, the file diff is empty).
  { flags: '--no-partial-parse-file-diff', help: 'reuse target/partial_parse.bin without looking for changed files: files edited since are not parsed again (dbt\'s internal flag)', affirmative: true, env: dbtEnv('PARTIAL_PARSE_FILE_DIFF'), commands: COMMANDS, global: true, invocation: true },
  {
    flags: '--no-version-check',
    help: "run a project (or package) whose require-dbt-version excludes the dbt version tsdbt follows (default: DBT_VERSION_CHECK)",
    affirmative: true,
    env: dbtEnv('VERSION_CHECK'),
    commands: COMMANDS,
    global: true,
    invocation: true,
  },
  {
    flags: '--no-static-parser',
    help: "render every model while parsing instead of reading its ref/source/config calls from the template's syntax (default: DBT_STATIC_PARSER)",
    affirmative: true,
    commands: COMMANDS,
    global: true,
    invocation: true,
  },

  // Selection, state and deferral.
  {
    flags: '-s, --select <selector...>',
    help: 'nodes to include (names, +, @, tag:, path:, config.materialized:, source:, ...)',
    helpIn: { 'docs generate': 'compile only these nodes, and read only them and these sources into catalog.json (the site still lists every node)' },
    commands: SELECTING,
    invocation: true,
  },
  { flags: '-m, --models <selector...>', help: 'alias of --select', commands: SELECTING, invocation: true, addsTo: 'select', deprecation: 'ModelParamUsageDeprecation' },
  { flags: '--model <selector...>', help: 'alias of --select', commands: SELECTING, invocation: true, addsTo: 'select', deprecation: 'ModelParamUsageDeprecation' },
  { flags: '--exclude <selector...>', help: 'nodes to leave out', commands: SELECTING, invocation: true },
  { flags: '--selector <name>', help: 'a named selector from selectors.yml', commands: SELECTING, invocation: true },
  { flags: '--indirect-selection <mode>', help: 'which tests of selected nodes run too', choices: ['eager', 'cautious', 'buildable', 'empty'], env: dbtEnv('INDIRECT_SELECTION'), commands: COMMANDS, global: true, invocation: true },
  {
    flags: '--state <dir>',
    help: "an earlier run's artifacts (a copy of its target/): state:, result: and source_status: selection, and --defer (default: DBT_STATE)",
    helpIn: { retry: 'read run_results.json from this folder instead of the target path' },
    env: dbtEnv('STATE'),
    renamedEnv: { name: 'DBT_ARTIFACT_STATE_PATH' },
    commands: COMMANDS,
    global: true,
    invocation: true,
  },
  { flags: '--defer', help: "refs to nodes not built in this target read the --state run's relations instead (default: DBT_DEFER)", negatable: 'do not defer (overrides DBT_DEFER)', env: dbtEnv('DEFER'), renamedEnv: { name: 'DBT_DEFER_TO_STATE' }, commands: COMMANDS, global: true, invocation: true },
  { flags: '--defer-state <dir>', help: 'the artifacts --defer reads, when not those of --state (default: DBT_DEFER_STATE)', env: dbtEnv('DEFER_STATE'), commands: COMMANDS, global: true, invocation: true },
  {
    flags: '--favor-state',
    help: "with --defer, refs to unselected nodes read the state run's relations even where this target has them (default: DBT_FAVOR_STATE)",
    negatable: 'do not favor the state (overrides DBT_FAVOR_STATE)',
    env: dbtEnv('FAVOR_STATE'),
    renamedEnv: { name: 'DBT_FAVOR_STATE_MODE' },
    commands: COMMANDS,
    global: true,
    invocation: true,
  },

  // schedule, load and produce-sample.
  { flags: '--cron <expression>', help: 'when to build, a cron expression in UTC (5 fields, or 6 with seconds)', default: '*/5 * * * *', commands: ['schedule'] },
  { flags: '--once', help: 'run a single tick, then exit', helpIn: { load: 'consume up to the end offsets seen at the start, then exit (for cron and tests)' }, commands: ['schedule', 'load'] },
  { flags: '--with-loader', help: 'also run the Kafka loader (tsdbt load) in the same process', commands: ['schedule'] },
  { flags: '--topic <name>', help: 'the topic to write to (e.g. session_events)', required: true, commands: ['produce-sample'] },
  { flags: '--events <n>', help: 'how many events (sessions of page views; a few arrive late or twice)', default: '1000', parse: number, commands: ['produce-sample'] },
  { flags: '--rate <per-second>', help: 'events per second (default: as fast as the brokers take them)', parse: number, commands: ['produce-sample'] },
  { flags: '--seed <n>', help: 'random seed: the same seed writes the same events', default: '1', parse: number, commands: ['produce-sample'] },
  {
    flags: '--brokers <list>',
    help: 'Kafka bootstrap servers, host:port,... (default: TSDBT_KAFKA_BROKERS)',
    helpIn: { schedule: 'Kafka bootstrap servers for --with-loader', load: "Kafka bootstrap servers, host:port,... (default: TSDBT_KAFKA_BROKERS, then the profile's kafka.brokers)" },
    env: ['TSDBT_KAFKA_BROKERS'],
    commands: ['schedule', 'load', 'produce-sample'],
  },
  { flags: '--progress-interval <seconds>', help: 'seconds between progress lines (messages, rows, rows/s, dead letters, lag per partition); 0 for none', default: '10', parse: timerSeconds, commands: ['load'] },
  { flags: '--port <port>', help: 'serve /health and /metrics (Prometheus) on 127.0.0.1:<port>', parse: wholeNumber(0), commands: ['schedule'] },
  { flags: '--timeout <seconds>', help: 'cancel a build running longer than this', parse: wholeNumber(1), commands: ['schedule'] },
  { flags: '--retries <n>', help: 'retries of a build that failed with a retriable error (connection lost, serialization failure)', default: '2', parse: wholeNumber(0), commands: ['schedule'] },

  // Running nodes.
  {
    flags: '--threads <n>',
    help: "how many nodes run at once (default: the profile's threads)",
    helpIn: { retry: "threads (default: the recorded run's)", clone: "how many nodes are cloned at once (default: the profile's threads)", compile: "override the profile's threads (what target.threads reads; compile renders one node at a time)" },
    parse: positiveWholeNumber,
    commands: [...EXEC_COMMANDS, 'retry', 'schedule', 'compile', 'clone', 'show', 'parse', 'run-operation', 'source freshness', 'docs generate'],
    invocation: true,
  },
  {
    flags: '-f, --full-refresh',
    env: dbtEnv('FULL_REFRESH'),
    help: 'rebuild incremental models and reload seeds from scratch',
    helpIn: {
      schedule: 'rebuild incremental models and reload seeds from scratch on every tick',
      clone: 'replace relations that already exist in this target',
      compile: 'render incremental models as a full refresh would (is_incremental() false)',
      show: 'render incremental models as a full refresh would (is_incremental() false)',
    },
    commands: [...EXEC_COMMANDS, 'schedule', 'clone', 'compile', 'show', 'retry'],
    invocation: true,
  },
  { flags: '--store-failures', help: "store the failing rows of tests whose store_failures config is unset (in the '<schema>_dbt_test__audit' schema)", env: dbtEnv('STORE_FAILURES'), commands: EXEC_COMMANDS, invocation: true },
  {
    flags: '--introspect',
    help: 'run the queries templates ask the warehouse while compiling (run_query, adapter.get_columns_in_relation ...; the default)',
    negatable: "open no connection: a node whose template asks the warehouse fails, as dbt's compile --no-introspect",
    env: dbtEnv('INTROSPECT'),
    commands: ['compile'],
    invocation: true,
  },
  {
    flags: '--inject-ephemeral-ctes',
    help: "each model's ephemeral inputs become CTEs of its compiled SQL (the default)",
    negatable: 'leave them out: the compiled SQL reads __dbt__cte__<name> with no CTE defining it (for linters and tools that inline them themselves)',
    commands: ['compile'],
    invocation: true,
  },
  { flags: '--empty', help: 'refs and sources read zero rows (`where false limit 0`) and seeds load none: build every relation empty, to check the SQL and the schema cheaply', negatable: 'read them whole (the default)', env: dbtEnv('EMPTY'), commands: ['build', 'run', 'snapshot', 'compile', 'seed'], invocation: true },
  { flags: '--sample <window>', help: "sample mode: refs and sources with an event_time are read only in this window, e.g. '3 days' or \"{'start': '2024-07-01', 'end': '2024-07-08'}\"", env: dbtEnv('SAMPLE'), commands: ['build', 'run'], invocation: true },
  { flags: '--resource-type, --resource-types <type...>', help: 'only these resource types (model, seed, snapshot)', commands: ['clone'], invocation: true },
  { flags: '--resource-type, --resource-types <type...>', help: 'only these resource types (model, seed, snapshot, test, unit_test, function, source, analysis, default, all)', env: dbtEnv('RESOURCE_TYPES'), commands: ['ls', 'build', 'test'], invocation: true },
  { flags: '--exclude-resource-type, --exclude-resource-types <type...>', help: 'leave out these resource types', env: dbtEnv('EXCLUDE_RESOURCE_TYPES'), commands: ['ls', 'build', 'test', 'clone'], invocation: true },
  { flags: '-x, --fail-fast', help: 'stop at the first failure', negatable: 'do not stop at the first failure (overrides DBT_FAIL_FAST)', env: dbtEnv('FAIL_FAST'), commands: COMMANDS, global: true, invocation: true },
  { flags: '--event-time-start <time>', help: 'microbatch models: first event time to (re)process, e.g. 2024-01-01', parse: timestamp, commands: EXEC_COMMANDS, invocation: true },
  { flags: '--event-time-end <time>', help: 'microbatch models: event time to stop at (exclusive)', parse: timestamp, commands: EXEC_COMMANDS, invocation: true },

  // dbt's flags that change nothing in tsdbt, accepted so that a dbt command line runs unchanged.
  ...noEffect('--cache-selected-only', 'the relation cache is filled per schema as nodes need it', COMMANDS),
  ...noEffect('--populate-cache', 'the relation cache is filled per schema as nodes need it', COMMANDS),
  ...noEffect('--log-cache-events', 'tsdbt logs no relation-cache events', COMMANDS),
  ...noEffect('--macro-debugging', "it switches on a Python debugger in dbt's Jinja", COMMANDS),
  ...noEffect('--send-anonymous-usage-stats', 'tsdbt sends no usage data', COMMANDS),
  ...noEffect('--use-experimental-parser', 'the static parser already reads what it can (`--no-static-parser` turns it off)', COMMANDS),
  ...noEffect('--use-fast-test-edges', "tests' edges are always drawn the fast way", COMMANDS),
  ...noEffect('--single-threaded', "it is for dbt's programmatic invocation; --threads sets how many nodes run at once", COMMANDS),
  ...noEffect('--upload-to-artifacts-ingest-api', 'there is no dbt platform to upload to', COMMANDS),
  ...noEffect('--introspect', 'the queries a preview needs are always run', ['show']),
  ...noEffect('--export-saved-queries', 'saved queries are documented, not exported', ['build']),
  ...noEffect('--include-saved-query', 'saved queries are documented, not exported', ['build']),
  ...noEffect('--browser', 'the docs server prints its address and opens no browser', ['docs serve']),
  ...noEffect('--use-colors-file', 'dbt.log never holds colour codes', COMMANDS),
  { flags: '--partial-parse-file-path <file>', help: 'not used by tsdbt', noEffect: 'partial_parse.bin lives in the target path', commands: COMMANDS, global: true },
  { flags: '-r, --record-timing-info <file>', help: 'not used by tsdbt', noEffect: "it writes a Python profile in dbt (run node with --cpu-prof for tsdbt's)", commands: COMMANDS, global: true },
  { flags: '--sqlparse <options>', help: 'not used by tsdbt', noEffect: 'tsdbt does not parse SQL with sqlparse', commands: [...EXEC_COMMANDS, 'compile', 'show', 'docs generate', 'source freshness'] },
  { flags: '--show', help: 'after loading, print a random sample (up to 10 rows) of each seed', commands: ['seed'], invocation: true },
  { flags: '--show', help: 'not used by tsdbt', noEffect: "build previews no seed, in dbt too (`tsdbt seed --show` does)", commands: ['build'] },

  // One command's own.
  { flags: '--clean-project-files-only', help: 'fail when a clean-target is outside the project (the default)', negatable: 'skip a clean-target outside the project with a warning instead (tsdbt never deletes outside the project)', commands: ['clean'] },
  { flags: '--no-compile', help: 'do not compile the SQL (the site shows raw SQL only)', affirmative: true, commands: ['docs generate'] },
  { flags: '--empty-catalog', help: 'do not read the warehouse: catalog.json is empty', commands: ['docs generate'] },
  { flags: '--static', help: 'also write target/static_index.html: the whole site in one file, to share by mail or object storage', commands: ['docs generate'] },
  { flags: '--port <port>', help: 'port', default: '8080', parse: wholeNumber(0), commands: ['docs serve'] },
  { flags: '--host <host>', help: 'the address to serve on (0.0.0.0: every interface)', default: '127.0.0.1', commands: ['docs serve'] },
  { flags: '-o, --output <format>', help: 'how to print each resource', choices: ['selector', 'name', 'path', 'json'], default: 'selector', commands: ['ls'] },
  { flags: '--output-keys <keys...>', help: "with --output json, only these keys, in this order (e.g. 'name resource_type config.materialized')", commands: ['ls'] },
  { flags: '--inline <sql>', help: "a query to preview (show) or compile and print (compile), with ref() / source(), e.g. \"select * from {{ ref('orders') }}\"", commands: ['show', 'compile'], notWith: ['--select', '--models', '--model', '--selector'] },
  { flags: '--inline-direct <sql>', help: 'a query to preview as written, without Jinja', commands: ['show'] },
  { flags: '--limit <n>', help: 'rows to fetch (the limit goes into the SQL); -1 for all', default: '5', parse: integer, commands: ['show'] },
  { flags: '--output <format>', help: 'text, or JSON as dbt prints it (compile: of the SQL it prints)', choices: ['text', 'json'], default: 'text', commands: ['show', 'compile'] },
  { flags: '--config-dir', help: 'print the command that opens the folder holding profiles.yml, and stop', commands: ['debug'] },
  { flags: '--connection', help: 'check only the connection (skip the project and profile checks)', commands: ['debug'] },
  { flags: '-o, --output <path>', help: 'where to write the results (default: target/sources.json)', commands: ['source freshness'] },
  { flags: '--args <yaml>', help: "the macro's keyword arguments as YAML, e.g. '{days: 7, dry_run: true}'", commands: ['run-operation'] },
  { flags: '--upgrade', help: 'resolve the versions again (newest that packages.yml allows) and rewrite package-lock.yml', commands: ['deps'] },
  { flags: '--lock', help: 'write package-lock.yml without installing the packages', commands: ['deps'] },
  { flags: '--add-package <package@version>', help: 'add a package to packages.yml, e.g. dbt-labs/dbt_utils@1.3.0 (then install)', commands: ['deps'] },
  { flags: '--source <source>', help: 'where --add-package takes the package from', choices: ['hub', 'git', 'local'], default: 'hub', commands: ['deps'] },
] as const satisfies readonly FlagSpec[];

// ---- The types, read off the table ----

type Flag = (typeof FLAGS)[number];
/** `--resource-type, --resource-types <type...>` -> `resource-types`: the last long flag, as commander names the value. */
type LongName<F extends string> = F extends `${string}--${infer Rest}` ? (Rest extends `${string}--${string}` ? LongName<Rest> : Rest extends `${infer Name} ${string}` ? Name : Rest) : never;
type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;
/** The value's name: `noPartialParse`, `resourceTypes`, `failFast`. */
type NameOf<S extends FlagSpec> = S extends { name: infer N extends string } ? N : CamelCase<LongName<S['flags']>>;
/** `<x...>`: a list, `<x>`: a text, no value: a boolean; unless a parser or choices say more. */
type Given<S extends FlagSpec> = S['flags'] extends `${string}...>` ? string[] : S['flags'] extends `${string}<${string}` ? string : boolean;
type ValueOf<S extends FlagSpec> = S extends { parse: FlagParser<infer T> } ? T : S extends { choices: readonly (infer C)[] } ? C : Given<S>;
/** Defined even when the flag is not given: it has a default or is required (a negation not given is undefined, so dbt_project.yml's `flags:` may set it). */
type AlwaysSet<S extends FlagSpec> = S extends { default: string } | { required: true } ? true : false;
type Values<S extends FlagSpec> = { [F in S as AlwaysSet<F> extends true ? NameOf<F> : never]: ValueOf<F> } & { [F in S as AlwaysSet<F> extends true ? never : NameOf<F>]?: ValueOf<F> };
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The flags a command declares, but for those that change nothing (FlagSpec.noEffect): their values are not read. */
type DeclaredFor<C extends CommandName, F extends Flag = Flag> = F extends { noEffect: string } ? never : F extends Flag ? (C extends F['commands'][number] ? F : never) : never;
type Grouped<F extends Flag> = Extract<F, { group: 'answers' }>;
type OwnFlag<F extends Flag> = F extends { invocation: true } ? never : F;

/** The values of these flags by name, a group's in its object. */
type ByName<F extends Flag> = Simplify<Values<Exclude<F, Grouped<Flag>>> & (Grouped<F> extends never ? unknown : { answers: Simplify<Values<Grouped<F>>> })>;

/** Every flag the command takes, by name (init's profile answers in `answers`). */
export type FlagsFor<C extends CommandName> = ByName<DeclaredFor<C>>;
/** The command's own options (the flags that are not InvocationOptions fields). */
export type CommandFlags<C extends CommandName> = ByName<OwnFlag<DeclaredFor<C>>>;
/** The InvocationOptions the flags set (an alias adds to its list instead). */
export type InvocationFlags = Simplify<Values<Exclude<Extract<Flag, { invocation: true }>, { addsTo: string } | { noEffect: string }>>>;

// Every invocation flag is an InvocationOptions field of the same type (a type error here names the flag).
type MustBeNever<T extends never> = T;
type MustBeTrue<T extends true> = T;
type _EveryInvocationFlagIsAnOption = MustBeNever<Exclude<keyof InvocationFlags, keyof InvocationOptions>>;
type _InvocationFlagsFitTheOptions = MustBeTrue<InvocationFlags extends InvocationOptions ? true : false>;
