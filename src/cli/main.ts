// commander wiring: the commands, their flags from the flag table (flags.ts), each calling the
// programmatic API (src/app/) with the options the table's values give.
import { Command, CommanderError, Help } from 'commander';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { brokerList } from '../loader/kafka-connection.js';
import { createInvocation, type Invocation, type InvocationOptions } from '../app/invocation.js';
import { EXIT_USAGE_OR_PROJECT_ERROR } from '../errors/exit-codes.js';
import { tsdbtVersion } from '../artifacts/metadata.js';
import { flushConsoleLines } from '../app/console-lines.js';
import { logResourceReport } from '../app/resource-report.js';
import { logFatal, reportFatal } from './error-output.js';
import { addFlags, readFlags, type ParsedFlags } from './flag-values.js';
import { EXEC_COMMANDS, type CommandName } from './flags.js';
import { cleanCommand, cloneCommand, compileCommand, debugCommand, depsCommand, docsGenerateCommand, docsServeCommand, initCommand, loadCommand, lsModule, parseCommand, produceSampleCommand, retryCommand, runCommand, runOperationCommand, scheduleCommand, showCommand, sourceFreshnessCommand } from './lazy-commands.js';

const EXEC_DESCRIPTIONS: Record<(typeof EXEC_COMMANDS)[number], string> = {
  build: 'seed, run and test the selected nodes in DAG order (failing tests skip what depends on them)',
  run: 'build the selected models',
  seed: 'load the CSV files in seed-paths',
  test: 'run data tests',
  snapshot: 'record changes of the selected snapshots (SCD type 2)',
};

/**
 * Whether argv may run (or ask the help of) the command: it names the command's first word (`docs`
 * for `docs generate`) or its alias. Only those commands get their flags: building commander's
 * options for all 22 commands was a third of every start-up (issue 18), and a command's flags are
 * read only when it runs or prints its help, both of which need its name in argv. A word that
 * merely looks like a command (`--select run`) costs one command's flags, nothing else.
 */

/** dbt's name of a command (its Command enum, read by templates as `flags.WHICH`): `docs generate` is `generate`, `ls` is `list`. */
function dbtCommandName(name: string): string {
  if (name === 'ls') return 'list';
  // tsdbt's scheduler (no dbt command) parses for, and runs, builds.
  if (name === 'schedule') return 'build';
  return name.includes(' ') ? (name.split(' ')[1] as string) : name;
}

export function namedIn(argv: string[]): (name: CommandName) => boolean {
  const words = new Set(argv.slice(2).map((word) => (word === 'list' ? 'ls' : word)));
  return (name) => words.has(name.split(' ')[0] as string);
}

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const named = namedIn(argv);
  /** The commands built without their flags (see namedIn): the help lists them as `run [options]` all the same. */
  const flagless = new Set<Command>();
  const program = new Command('tsdbt')
    .description('Run dbt projects: SQL models, seeds and tests on PostgreSQL (embedded PGlite by default).')
    .version(tsdbtVersion(), '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureHelp({ subcommandTerm: (cmd) => new Help().subcommandTerm(cmd).replace(/^\S+/, (name) => (flagless.has(cmd) ? `${name} [options]` : name)) });
  addFlags(program, 'tsdbt');
  /** `docs` and `source`, which hold commands of their own. */
  const groups = new Map<string, Command>();
  /** The invocations a command made: each one's deprecation summary is printed when the command ends. */
  const created: Invocation[] = [];
  const invocationOf = (options: InvocationOptions): Invocation => {
    const inv = createInvocation(options);
    created.push(inv);
    return inv;
  };
  const group = (name: string, description: string) => groups.set(name, program.command(name).description(description));

  /** `tsdbt <name>` (or `tsdbt docs generate`) with its flags from the table; `run` gets the flag values and the positional arguments. */
  const command = <C extends CommandName>(name: C, description: string, run: (parsed: ParsedFlags<C>, args: string[]) => Promise<number>): Command => {
    const [parent, leaf] = name.includes(' ') ? name.split(' ') : [undefined, name];
    const cmd = (groups.get(parent ?? '') ?? program).command(leaf ?? name).description(description);
    if (named(name)) addFlags(cmd, name);
    else flagless.add(cmd);
    return cmd.action(async (...args: unknown[]) => {
      // commander passes the positional arguments, then the options, then the command.
      const parsed = readFlags(name, cmd, program);
      Object.assign(parsed.invocation, { which: dbtCommandName(name) });
      const fatal = (err: unknown) => (logFatal(created.at(-1), err), reportFatal(err, (line) => void (flushConsoleLines(), process.stderr.write(`${line}\n`)), parsed.invocation.logFormat === 'json' ? 'json' : 'text', { debug: parsed.invocation.debug, invocationId: created.at(-1)?.invocationId }));
      let failed = false;
      // process.hrtime, not `performance`: reading that global loads perf_hooks at every start (bundled-cli.test.ts).
      const started = process.hrtime.bigint();
      try {
        exitCode = await run(parsed, args.slice(0, -2) as string[]);
      } catch (err) {
        exitCode = fatal(err);
        failed = true;
      }
      // dbt's DeprecationsSummary ends every command that warned a deprecation, failed or not;
      // then its ResourceReport.
      for (const inv of created.splice(0)) {
        try {
          inv.logger.deprecationSummary(failed);
        } catch (err) {
          exitCode = fatal(err);
        }
        logResourceReport(inv, dbtCommandName(name), !failed && exitCode === 0, Number(process.hrtime.bigint() - started) / 1e9);
      }
    });
  };

  for (const name of EXEC_COMMANDS) command(name, EXEC_DESCRIPTIONS[name], ({ invocation }) => runCommand(invocationOf(invocation), name));
  command('retry', 're-run the previous run/build/test/seed/snapshot (target/run_results.json) with its flags, only for the nodes that errored, failed or were skipped', ({ invocation }) => retryCommand(invocationOf(invocation)));
  command('schedule', 'build the selection every 5 minutes (or on --cron) until stopped, never overlapping', ({ invocation, command: { timeout, ...options } }) =>
    scheduleCommand(invocationOf(invocation), { ...options, timeoutSeconds: timeout }),
  );
  group('docs', 'the project documentation site');
  command('docs generate', 'write target/manifest.json, target/catalog.json and the docs site (target/index.html)', ({ invocation, command: options }) =>
    docsGenerateCommand(invocationOf(invocation), { compile: !options.noCompile, emptyCatalog: Boolean(options.emptyCatalog), static: Boolean(options.static) }),
  );
  command('docs serve', 'serve the docs site in target/ on 127.0.0.1 (or --host)', ({ invocation, command: options }) => docsServeCommand(invocationOf(invocation), options));
  command('compile', 'render the selected nodes to SQL in target/compiled (and print those --select names, or an --inline query)', ({ invocation, command: options }) => compileCommand(invocationOf(invocation), options));
  command('clone', "create each selected model, seed and snapshot in this target as a clone of the --state run's relation (a view where the warehouse cannot clone tables)", ({ invocation }) =>
    cloneCommand(invocationOf(invocation)),
  );
  command('ls', 'list the selected resources (default: all but analyses); never connects', async ({ invocation, command: options, flags }) => {
    const ls = await lsModule();
    // dbt's --models, --model and -m are one option: each makes ls list models only.
    return ls.lsCommand(invocationOf(invocation), { output: options.output, outputKeys: ls.parseOutputKeys(options.outputKeys), modelsFlag: Boolean(flags.models?.length || flags.model?.length), invokedAs: program.args[0] === 'list' ? 'list' : 'ls' });
  }).alias('list');
  command('show', 'preview the rows of a model, test or analysis (--select) or of a query (--inline); nothing is built', ({ invocation, command: { inlineDirect, ...options } }) =>
    // --inline-direct's query is not rendered: it goes through Jinja as one raw block.
    showCommand(invocationOf(invocation), inlineDirect === undefined ? options : { ...options, inline: `{% raw %}${inlineDirect}{% endraw %}` }),
  );
  command('load', 'load Kafka-fed sources (meta.kafka) from their topics, exactly once', ({ invocation, command: options }) => loadCommand(invocationOf(invocation), options));
  group('source', 'commands about sources');
  command('source freshness', 'check how recently each selected source was loaded (warn_after / error_after); writes target/sources.json', ({ invocation, command: options }) =>
    sourceFreshnessCommand(invocationOf(invocation), options),
  ).alias('snapshot-freshness'); // dbt still accepts its old name (a hidden copy of the command)
  command('run-operation', 'call a macro (package.macro for one of a package) with the warehouse available; on-run-start/end hooks do not run', ({ invocation, command: options }, [macro]) =>
    runOperationCommand(invocationOf(invocation), { macro: String(macro), ...options }),
  ).argument('<macro>', 'the macro to call: name, or package.name');
  command('parse', 'parse the project and write target/manifest.json', ({ invocation }) => parseCommand(invocationOf(invocation)));
  command('debug', 'check dbt_project.yml, the profile and the connection', ({ invocation, command: options }) => debugCommand(invocationOf(invocation), options));
  command('produce-sample', 'write realistic click events to a Kafka topic, for the streaming demo', ({ invocation, command: options }) => {
    const inv = invocationOf(invocation);
    const brokers = brokerList(options.brokers ?? '');
    if (brokers.length === 0) throw new TsdbtError('no Kafka brokers given', { code: 'kafka-brokers-missing', hint: 'pass --brokers host:9092, or set TSDBT_KAFKA_BROKERS' });
    return produceSampleCommand(inv.logger, { ...options, brokers });
  });
  command('init', "create dbt's starter project in a new folder and a profile for it in profiles.yml (asked on a terminal, else from flags)", ({ invocation, command: options }, [projectName]) =>
    initCommand({
      ...options,
      projectName,
      profilesDir: invocation.profilesDir,
      profile: invocation.profile,
      projectDir: invocation.projectDir,
      cwd: process.cwd(),
      env: process.env,
      streams: { input: process.stdin, output: process.stdout },
      interactive: Boolean(process.stdin.isTTY),
      say: (line) => void (flushConsoleLines(), process.stdout.write(`${line}\n`)),
    }),
  ).argument('[project_name]', 'the project (and its folder and profile) name');
  command('deps', 'install the packages in packages.yml / dependencies.yml into dbt_packages/, as package-lock.yml pins them', ({ invocation, command: options }) =>
    depsCommand(invocationOf(invocation), options),
  );
  command('clean', 'delete the folders listed in clean-targets', ({ invocation, command: options }) => cleanCommand(invocationOf(invocation), options));

  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      if (err.exitCode === 0) return 0;
      // A flag's value the table's parser rejects (--threads 0, --event-time-start soon): its message, exit 2.
      if (err.code.startsWith('tsdbt.')) {
        flushConsoleLines();
        process.stderr.write(`${err.message}\n`);
      }
      return EXIT_USAGE_OR_PROJECT_ERROR;
    }
    throw err;
  }
  return exitCode;
}
