// commander wiring: parses flags into InvocationOptions and calls the programmatic API (src/app/).
import { Command, CommanderError, Option } from 'commander';
import type { LsOutput } from '../app/ls-command.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { brokerList } from '../loader/kafka-connection.js';
import { createInvocation, type InvocationOptions } from '../app/invocation.js';
import { EXIT_USAGE_OR_PROJECT_ERROR } from '../errors/exit-codes.js';
import { tsdbtVersion } from '../artifacts/metadata.js';
import { reportFatal } from './error-output.js';
import { cleanCommand, cloneCommand, compileCommand, debugCommand, depsCommand, docsGenerateCommand, docsServeCommand, initCommand, loadCommand, lsModule, parseCommand, produceSampleCommand, retryCommand, runCommand, runOperationCommand, scheduleCommand, showCommand, sourceFreshnessCommand } from './lazy-commands.js';


interface CommonFlags {
  projectDir?: string;
  profilesDir?: string;
  profile?: string;
  target?: string;
  vars?: string;
  select?: string[];
  models?: string[];
  exclude?: string[];
  selector?: string;
  threads?: string;
  fullRefresh?: boolean;
  storeFailures?: boolean;
  failFast?: boolean;
  eventTimeStart?: string;
  eventTimeEnd?: string;
  logFormat?: 'text' | 'json';
  debug?: boolean;
  partialParse?: boolean;
  staticParser?: boolean;
  resourceType?: string[];
  resourceTypes?: string[];
  indirectSelection?: 'eager' | 'cautious' | 'buildable' | 'empty';
  output?: string;
  state?: string;
  defer?: boolean;
  deferState?: string;
  favorState?: boolean;
  once?: boolean;
  brokers?: string;
  progressInterval?: string;
  cron?: string;
  compile?: boolean;
  emptyCatalog?: boolean;
  static?: boolean;
  withLoader?: boolean;
  port?: string;
  timeout?: string;
  retries?: string;
  topic?: string;
  events?: string;
  rate?: string;
  seed?: string;
  args?: string;
  quiet?: boolean;
  print?: boolean;
  warnError?: boolean;
  warnErrorOptions?: string;
  upgrade?: boolean;
  lock?: boolean;
  addPackage?: string;
  source?: 'hub' | 'git' | 'local';
  outputKeys?: string[];
  inline?: string;
  limit?: string;
}

interface InitFlags {
  skipProfileSetup?: boolean;
  adapter?: string;
  host?: string;
  port?: string;
  user?: string;
  password?: string;
  dbname?: string;
  schema?: string;
  path?: string;
  secure?: string;
}

/** dbt's global flags, accepted before the subcommand (`tsdbt --warn-error run`) and after it. */
function withGlobalOptions(cmd: Command): Command {
  return cmd
    .option('-q, --quiet', 'print only errors (and the output of print() in templates)')
    .option('--print', 'print() in templates writes to stdout (the default)')
    .option('--no-print', 'drop the output of print() in templates')
    .option('--warn-error', 'turn every warning into an error')
    .option('--warn-error-options <yaml>', 'which warnings become errors, stay warnings, or are silenced, by event name, e.g. \'{"error": "all", "warn": ["NothingToDo"], "silence": ["JinjaLogWarning"]}\'');
}

function withCommonOptions(cmd: Command, { selection = true } = {}): Command {
  withGlobalOptions(cmd)
    .option('--project-dir <dir>', 'the dbt project folder (default: current folder)')
    .option('--profiles-dir <dir>', 'folder holding profiles.yml (default: TSDBT_PROFILES_DIR, DBT_PROFILES_DIR, the project, ~/.dbt)')
    .option('--profile <name>', 'profile to load from profiles.yml (default: `profile:` in dbt_project.yml)')
    .option('-t, --target <name>', 'profile target to use (default: the profile\'s target)')
    .option('--vars <yaml>', "variables as YAML or JSON, e.g. '{session_timeout_minutes: 45}'")
    .addOption(new Option('--log-format <format>', 'text lines or one JSON object per line').choices(['text', 'json']).default('text'))
    .option('-d, --debug', 'print every SQL statement and timing')
    .option('--no-partial-parse', 'parse every file again instead of reusing target/partial_parse.bin')
    .option('--no-static-parser', "render every model while parsing instead of reading its ref/source/config calls from the template's syntax (default: DBT_STATIC_PARSER)");
  if (selection) {
    cmd
      .option('-s, --select <selector...>', 'nodes to include (names, +, @, tag:, path:, config.materialized:, source:, ...)')
      .option('-m, --models <selector...>', 'alias of --select')
      .option('--exclude <selector...>', 'nodes to leave out')
      .option('--selector <name>', 'a named selector from selectors.yml')
      .addOption(new Option('--indirect-selection <mode>', 'which tests of selected nodes run too').choices(['eager', 'cautious', 'buildable', 'empty']))
      .option('--state <dir>', "an earlier run's artifacts (a copy of its target/): state:, result: and source_status: selection, and --defer (default: DBT_STATE)")
      .option('--defer', "refs to nodes not built in this target read the --state run's relations instead (default: DBT_DEFER)")
      .option('--defer-state <dir>', 'the artifacts --defer reads, when not those of --state (default: DBT_DEFER_STATE)')
      .option('--favor-state', 'with --defer, refs to unselected nodes read the state run\'s relations even where this target has them (default: DBT_FAVOR_STATE)');
  }
  return cmd;
}

function eventTime(value: string | undefined, flag: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
  if (Number.isNaN(date.getTime())) throw new CommanderError(EXIT_USAGE_OR_PROJECT_ERROR, 'tsdbt.flag', `${flag} must be a date or timestamp, got '${value}'`);
  return date;
}

function wholeNumber(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new CommanderError(EXIT_USAGE_OR_PROJECT_ERROR, 'tsdbt.flag', `${flag} must be a whole number of at least ${min}, got '${value}'`);
  return n;
}

function integerFlag(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new CommanderError(EXIT_USAGE_OR_PROJECT_ERROR, 'tsdbt.flag', `${flag} must be a whole number, got '${value}'`);
  return n;
}

function progressSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  // A Node timer holds at most 2^31-1 ms (about 24.8 days); a longer interval would fire every millisecond.
  if (!Number.isFinite(seconds) || seconds < 0 || seconds * 1000 > 2 ** 31 - 1) {
    throw new CommanderError(EXIT_USAGE_OR_PROJECT_ERROR, 'tsdbt.progressInterval', `--progress-interval must be a number of seconds from 0 to 2147483, got '${value}'`);
  }
  return seconds;
}

/** --state / --defer / --defer-state / --favor-state, else dbt's env vars (DBT_ENGINE_* of dbt 1.11, then DBT_*). */
function stateFlags(flags: CommonFlags, env: NodeJS.ProcessEnv = process.env): Pick<InvocationOptions, 'state' | 'defer' | 'deferState' | 'favorState'> {
  const text = (name: string) => env[`TSDBT_${name}`] ?? env[`DBT_ENGINE_${name}`] ?? env[`DBT_${name}`];
  const bool = (name: string) => {
    const value = text(name);
    return value === undefined || value === '' ? undefined : /^(1|true|yes|on)$/i.test(value);
  };
  return {
    state: flags.state ?? text('STATE'),
    defer: flags.defer ?? bool('DEFER'),
    deferState: flags.deferState ?? text('DEFER_STATE'),
    favorState: flags.favorState ?? bool('FAVOR_STATE'),
  };
}

function toOptions(flags: CommonFlags): InvocationOptions {
  const threads = flags.threads === undefined ? undefined : Number(flags.threads);
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
    throw new CommanderError(EXIT_USAGE_OR_PROJECT_ERROR, 'tsdbt.threads', `--threads must be a positive whole number, got '${flags.threads}'`);
  }
  return {
    projectDir: flags.projectDir,
    profilesDir: flags.profilesDir,
    profile: flags.profile,
    target: flags.target,
    vars: flags.vars,
    select: [...(flags.select ?? []), ...(flags.models ?? [])],
    exclude: flags.exclude,
    selector: flags.selector,
    threads,
    fullRefresh: flags.fullRefresh,
    storeFailures: flags.storeFailures,
    failFast: flags.failFast,
    logFormat: flags.logFormat,
    debug: flags.debug,
    noPartialParse: flags.partialParse === false,
    ...(flags.staticParser === false ? { noStaticParser: true } : {}),
    resourceTypes: flags.resourceType ?? flags.resourceTypes,
    indirectSelection: flags.indirectSelection,
    ...stateFlags(flags),
    eventTimeStart: eventTime(flags.eventTimeStart, '--event-time-start'),
    eventTimeEnd: eventTime(flags.eventTimeEnd, '--event-time-end'),
    quiet: flags.quiet,
    print: flags.print,
    warnError: flags.warnError,
    warnErrorOptions: flags.warnErrorOptions,
  };
}

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command('tsdbt')
    .description('Run dbt projects: SQL models, seeds and tests on PostgreSQL (embedded PGlite by default).')
    .version(tsdbtVersion(), '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  withGlobalOptions(program);

  const action = (fn: (opts: InvocationOptions, flags: CommonFlags) => Promise<number>) => async (subcommandFlags: CommonFlags) => {
    // A global flag given before the subcommand counts unless the subcommand repeats it.
    const globals = program.opts<CommonFlags>();
    const flags: CommonFlags = { ...subcommandFlags };
    for (const key of ['quiet', 'print', 'warnError', 'warnErrorOptions'] as const) {
      if (flags[key] === undefined && globals[key] !== undefined) (flags as Record<string, unknown>)[key] = globals[key];
    }
    const options = toOptions(flags);
    try {
      exitCode = await fn(options, flags);
    } catch (err) {
      // A flag checked once the command runs (--progress-interval, --event-time-start ...) is a
      // usage error like one commander rejects, not a tsdbt bug.
      if (err instanceof CommanderError && err.code.startsWith('tsdbt.')) throw err;
      exitCode = reportFatal(err, (line) => process.stderr.write(`${line}\n`), options.logFormat ?? 'text', { debug: options.debug });
    }
  };

  const execCommand = (name: 'run' | 'seed' | 'test' | 'build' | 'snapshot', description: string) =>
    withCommonOptions(program.command(name).description(description))
      .option('--threads <n>', 'how many nodes run at once (default: the profile\'s threads)')
      .option('--full-refresh', 'rebuild incremental models and reload seeds from scratch')
      .option('--store-failures', "store the failing rows of tests whose store_failures config is unset (in the '<schema>_dbt_test__audit' schema)")
      .option('-x, --fail-fast', 'stop at the first failure')
      .option('--event-time-start <time>', 'microbatch models: first event time to (re)process, e.g. 2024-01-01')
      .option('--event-time-end <time>', 'microbatch models: event time to stop at (exclusive)')
      .action(action((opts) => runCommand(createInvocation(opts), name)));

  execCommand('build', 'seed, run and test the selected nodes in DAG order (failing tests skip what depends on them)');
  execCommand('run', 'build the selected models');
  execCommand('seed', 'load the CSV files in seed-paths');
  execCommand('test', 'run data tests');
  execCommand('snapshot', 'record changes of the selected snapshots (SCD type 2)');

  withCommonOptions(program.command('retry').description('re-run the previous run/build/test/seed/snapshot (target/run_results.json) with its flags, only for the nodes that errored, failed or were skipped'), { selection: false })
    .option('--state <dir>', 'read run_results.json from this folder instead of the target path')
    .option('--threads <n>', 'threads (default: the recorded run\'s)')
    .action(action((opts) => retryCommand(createInvocation(opts))));

  withCommonOptions(program.command('schedule').description('build the selection every 5 minutes (or on --cron) until stopped, never overlapping'))
    .option('--cron <expression>', "when to build, a cron expression in UTC (5 fields, or 6 with seconds)", '*/5 * * * *')
    .option('--once', 'run a single tick, then exit')
    .option('--with-loader', 'also run the Kafka loader (tsdbt load) in the same process')
    .option('--brokers <list>', 'Kafka bootstrap servers for --with-loader')
    .option('--port <port>', 'serve /health and /metrics (Prometheus) on 127.0.0.1:<port>')
    .option('--timeout <seconds>', 'cancel a build running longer than this')
    .option('--retries <n>', 'retries of a build that failed with a retriable error (connection lost, serialization failure)', '2')
    .option('--threads <n>', 'threads')
    .option('--full-refresh', 'rebuild incremental models and reload seeds from scratch on every tick')
    .option('--fail-fast', 'stop at the first failure')
    .action(
      action((opts, flags) =>
        scheduleCommand(createInvocation(opts), {
          cron: flags.cron,
          once: Boolean(flags.once),
          withLoader: Boolean(flags.withLoader),
          brokers: flags.brokers,
          port: flags.port === undefined ? undefined : wholeNumber(flags.port, '--port', 0),
          timeoutSeconds: flags.timeout === undefined ? undefined : wholeNumber(flags.timeout, '--timeout', 1),
          retries: wholeNumber(flags.retries ?? '2', '--retries', 0),
        }),
      ),
    );

  const docs = program.command('docs').description('the project documentation site');
  withCommonOptions(docs.command('generate').description('write target/manifest.json, target/catalog.json and the docs site (target/index.html)'), { selection: false })
    .option('--no-compile', 'do not compile the SQL (the site shows raw SQL only)')
    .option('--empty-catalog', 'do not read the warehouse: catalog.json is empty')
    .option('--static', 'also write target/static_index.html: the whole site in one file, to share by mail or object storage')
    .action(action((opts, flags) => docsGenerateCommand(createInvocation(opts), { compile: flags.compile !== false, emptyCatalog: Boolean(flags.emptyCatalog), static: Boolean(flags.static) })));
  withCommonOptions(docs.command('serve').description('serve the docs site in target/ on 127.0.0.1'), { selection: false })
    .option('--port <port>', 'port', '8080')
    .action(action((opts, flags) => docsServeCommand(createInvocation(opts), wholeNumber(flags.port ?? '8080', '--port', 0))));

  withCommonOptions(program.command('compile').description('render the selected nodes to SQL in target/compiled'))
    .option('--threads <n>', 'threads')
    .action(action((opts) => compileCommand(createInvocation(opts))));

  withCommonOptions(program.command('clone').description("create each selected model, seed and snapshot in this target as a clone of the --state run's relation (a view where the warehouse cannot clone tables)"))
    .option('--threads <n>', 'how many nodes are cloned at once (default: the profile\'s threads)')
    .option('--full-refresh', 'replace relations that already exist in this target')
    .option('--resource-type <type...>', 'only these resource types (model, seed, snapshot)')
    .option('-x, --fail-fast', 'stop at the first failure')
    .action(action((opts) => cloneCommand(createInvocation(opts))));

  withCommonOptions(program.command('ls').alias('list').description('list the selected resources (default: all but analyses); never connects'))
    .option('--resource-type, --resource-types <type...>', 'only these resource types (model, seed, snapshot, test, unit_test, source, analysis, default, all)')
    .addOption(new Option('-o, --output <format>', 'how to print each resource').choices(['selector', 'name', 'path', 'json']).default('selector'))
    .option('--output-keys <keys...>', "with --output json, only these keys, in this order (e.g. 'name resource_type config.materialized')")
    .action(
      action((opts, flags) =>
        lsModule().then((ls) => ls.lsCommand(createInvocation(opts), { output: (flags.output ?? 'selector') as LsOutput, outputKeys: ls.parseOutputKeys(flags.outputKeys), modelsFlag: Boolean(flags.models?.length) })),
      ),
    );

  withCommonOptions(program.command('show').description('preview the rows of a model, test or analysis (--select) or of a query (--inline); nothing is built'))
    .option('--inline <sql>', "a query to preview, with ref() / source(), e.g. \"select * from {{ ref('orders') }}\"")
    .option('--limit <n>', 'rows to fetch (the limit goes into the SQL); -1 for all', '5')
    .addOption(new Option('--output <format>', 'a table, or JSON as dbt prints it').choices(['text', 'json']).default('text'))
    .action(
      action((opts, flags) =>
        showCommand(createInvocation(opts), { inline: flags.inline, limit: integerFlag(flags.limit ?? '5', '--limit'), output: flags.output === 'json' ? 'json' : 'text' }),
      ),
    );

  withCommonOptions(program.command('load').description('load Kafka-fed sources (meta.kafka) from their topics, exactly once'))
    .option('--once', 'consume up to the end offsets seen at the start, then exit (for cron and tests)')
    .option('--brokers <list>', 'Kafka bootstrap servers, host:port,... (default: TSDBT_KAFKA_BROKERS, then the profile\'s kafka.brokers)')
    .option('--progress-interval <seconds>', 'seconds between progress lines (messages, rows, rows/s, dead letters, lag per partition); 0 for none', '10')
    .action(action((opts, flags) => loadCommand(createInvocation(opts), { once: Boolean(flags.once), brokers: flags.brokers, progressInterval: progressSeconds(flags.progressInterval) })));

  const source = program.command('source').description('commands about sources');
  withCommonOptions(source.command('freshness').description('check how recently each selected source was loaded (warn_after / error_after); writes target/sources.json'))
    .option('-o, --output <path>', 'where to write the results (default: target/sources.json)')
    .action(action((opts, flags) => sourceFreshnessCommand(createInvocation(opts), { output: flags.output })));

  withCommonOptions(program.command('run-operation').description('call a macro (package.macro for one of a package) with the warehouse available; on-run-start/end hooks do not run'), { selection: false })
    .argument('<macro>', 'the macro to call: name, or package.name')
    .option('--args <yaml>', "the macro's keyword arguments as YAML, e.g. '{days: 7, dry_run: true}'")
    .action((macro: string, flags: CommonFlags) => action((opts) => runOperationCommand(createInvocation(opts), { macro, args: flags.args }))(flags));
  withCommonOptions(program.command('parse').description('parse the project and write target/manifest.json'), { selection: false }).action(
    action((opts) => parseCommand(createInvocation(opts))),
  );
  withCommonOptions(program.command('debug').description('check dbt_project.yml, the profile and the connection'), { selection: false }).action(
    action((opts) => debugCommand(createInvocation(opts))),
  );
  withCommonOptions(program.command('produce-sample').description('write realistic click events to a Kafka topic, for the streaming demo'), { selection: false })
    .requiredOption('--topic <name>', 'the topic to write to (e.g. session_events)')
    .option('--events <n>', 'how many events (sessions of page views; a few arrive late or twice)', '1000')
    .option('--rate <per-second>', 'events per second (default: as fast as the brokers take them)')
    .option('--seed <n>', 'random seed: the same seed writes the same events', '1')
    .option('--brokers <list>', 'Kafka bootstrap servers, host:port,... (default: TSDBT_KAFKA_BROKERS)')
    .action(
      action((opts, flags) => {
        const inv = createInvocation(opts);
        const brokers = brokerList(flags.brokers ?? inv.env.TSDBT_KAFKA_BROKERS ?? '');
        if (brokers.length === 0) throw new TsdbtError('no Kafka brokers given', { code: 'kafka-brokers-missing', hint: 'pass --brokers host:9092, or set TSDBT_KAFKA_BROKERS' });
        return produceSampleCommand(inv.logger, {
          topic: String(flags.topic),
          events: Number(flags.events),
          rate: flags.rate === undefined ? undefined : Number(flags.rate),
          seed: Number(flags.seed),
          brokers,
        });
      }),
    );
  withGlobalOptions(program.command('init').description("create dbt's starter project in a new folder and a profile for it in profiles.yml (asked on a terminal, else from flags)"))
    .argument('[project_name]', 'the project (and its folder and profile) name')
    .option('--profiles-dir <dir>', 'where profiles.yml is written (default: TSDBT_PROFILES_DIR, DBT_PROFILES_DIR, ~/.dbt)')
    .option('-s, --skip-profile-setup', 'write the project only, no profile')
    .option('--profile <name>', 'use this existing profile instead of writing one')
    .option('--adapter <name>', 'the warehouse: postgres, pglite (embedded), clickhouse or chdb (embedded)')
    .option('--host <host>', 'profile answer: host')
    .option('--port <port>', 'profile answer: port')
    .option('--user <user>', 'profile answer: user')
    .option('--password <password>', 'profile answer: password')
    .option('--dbname <name>', 'profile answer: database (postgres)')
    .option('--schema <name>', 'profile answer: schema')
    .option('--threads <n>', 'profile answer: threads')
    .option('--path <dir>', 'profile answer: the database folder (pglite, chdb)')
    .option('--secure <bool>', 'profile answer: https (clickhouse)')
    .action((projectName: string | undefined, flags: CommonFlags & InitFlags) =>
      action(() =>
        initCommand({
          projectName,
          cwd: process.cwd(),
          profilesDir: flags.profilesDir,
          env: process.env,
          skipProfileSetup: Boolean(flags.skipProfileSetup),
          profile: flags.profile,
          adapter: flags.adapter,
          answers: { host: flags.host, port: flags.port, user: flags.user, password: flags.password, dbname: flags.dbname, schema: flags.schema, threads: flags.threads, path: flags.path, secure: flags.secure },
          streams: { input: process.stdin, output: process.stdout },
          interactive: Boolean(process.stdin.isTTY),
          say: (line) => process.stdout.write(`${line}\n`),
        }),
      )({ ...flags, threads: undefined }),
    );
  withCommonOptions(program.command('deps').description('install the packages in packages.yml / dependencies.yml into dbt_packages/, as package-lock.yml pins them'), { selection: false })
    .option('--upgrade', 'resolve the versions again (newest that packages.yml allows) and rewrite package-lock.yml')
    .option('--lock', 'write package-lock.yml without installing the packages')
    .option('--add-package <package@version>', 'add a package to packages.yml, e.g. dbt-labs/dbt_utils@1.3.0 (then install)')
    .addOption(new Option('--source <source>', 'where --add-package takes the package from').choices(['hub', 'git', 'local']).default('hub'))
    .action(action((opts, flags) => depsCommand(createInvocation(opts), { upgrade: flags.upgrade, lock: flags.lock, addPackage: flags.addPackage, source: flags.source })));
  withCommonOptions(program.command('clean').description('delete the folders listed in clean-targets'), { selection: false }).action(
    action((opts) => cleanCommand(createInvocation(opts))),
  );

  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      if (err.exitCode === 0) return 0;
      if (err.code.startsWith('tsdbt.')) process.stderr.write(`${err.message}\n`);
      return EXIT_USAGE_OR_PROJECT_ERROR;
    }
    throw err;
  }
  return exitCode;
}
