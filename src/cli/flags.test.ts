// The flag table (flags.ts) and the CLI built from it: each flag is in the help of exactly the
// commands it is declared for, values parse to their declared types and defaults, env vars fill in
// for flags not given, and a flag a command does not take is a usage error (exit 2). The app's
// commands are replaced by recorders (no project is read).
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addFlags, flagsOf, readFlags } from './flag-values.js';
import { COMMANDS, FLAGS, type CommandName, type FlagSpec } from './flags.js';
import { main, namedIn } from './main.js';

const calls = vi.hoisted(() => [] as { command: string; args: unknown[] }[]);

vi.mock('./lazy-commands.js', () => {
  const recorder = (command: string) => (...args: unknown[]) => {
    // An Invocation is recorded as its options.
    calls.push({ command, args: args.map((a) => (a && typeof a === 'object' && 'options' in a && 'logger' in a ? (a as { options: unknown }).options : a)) });
    return Promise.resolve(0);
  };
  const names = ['depsCommand', 'cleanCommand', 'compileCommand', 'debugCommand', 'parseCommand', 'runCommand', 'loadCommand', 'docsGenerateCommand', 'docsServeCommand', 'produceSampleCommand', 'scheduleCommand', 'sourceFreshnessCommand', 'runOperationCommand', 'cloneCommand', 'retryCommand', 'showCommand', 'initCommand'];
  return {
    ...Object.fromEntries(names.map((n) => [n, recorder(n)])),
    lsModule: () => Promise.resolve({ lsCommand: recorder('lsCommand'), parseOutputKeys: (keys: string[] | undefined) => keys }),
  };
});

let out = '';
let err = '';
beforeEach(() => {
  calls.length = 0;
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
});
afterEach(() => vi.restoreAllMocks());

/** `tsdbt <args>` in this process: its exit code, and the one app command it called with its arguments. */
async function tsdbt(...args: string[]): Promise<{ code: number; call?: { command: string; args: unknown[] } }> {
  calls.length = 0;
  err = '';
  const code = await main(['node', 'tsdbt', ...args]);
  expect(calls.length).toBeLessThanOrEqual(1);
  return { code, call: calls[0] };
}

/** The options a command passed to createInvocation. */
async function invocationOf(...args: string[]): Promise<Record<string, unknown>> {
  const { code, call } = await tsdbt(...args);
  expect(code, err).toBe(0);
  return call?.args[0] as Record<string, unknown>;
}

/** The option terms of a help text (`-s, --select <selector...>`): the lines indented by two spaces. */
function optionTerms(help: string): string[] {
  return [...help.matchAll(/^ {2}(-\S.*?)(?: {2,}|$)/gm)].map((m) => m[1] as string);
}

const specs = FLAGS as readonly FlagSpec[];
const longOf = (spec: FlagSpec) => /--[\w-]+(?=[^,]*$)/.exec(spec.flags.replace(/ <.*$/, ''))?.[0];
const shortOf = (spec: FlagSpec) => /(^|\s)(-\w)\b/.exec(spec.flags)?.[2];
const termsOf = (spec: FlagSpec) => [spec.flags, ...(spec.negatable ? [`--no-${longOf(spec)?.slice(2)}`] : [])];

describe('the flag table', () => {
  it('names only known commands, and gives no command two flags with the same spelling', () => {
    for (const spec of specs) for (const c of spec.commands) expect(COMMANDS).toContain(c);
    for (const command of COMMANDS) {
      const declared = flagsOf(command);
      const longs = declared.map(longOf);
      const shorts = declared.map(shortOf).filter(Boolean);
      expect(new Set(longs).size, `${command}: ${longs.join(' ')}`).toBe(longs.length);
      expect(new Set(shorts).size, `${command}: ${shorts.join(' ')}`).toBe(shorts.length);
      for (const spec of declared) for (const c of Object.keys(spec.helpIn ?? {})) expect(spec.commands, `${spec.flags}: help for ${c}`).toContain(c);
    }
  });

  it('declares every global flag for every command', () => {
    for (const spec of flagsOf('tsdbt')) expect([...spec.commands].sort()).toEqual([...COMMANDS].sort());
  });

  it('has a parser or choices that accept its default', () => {
    for (const spec of specs.filter((s) => s.default !== undefined)) {
      if (spec.choices) expect(spec.choices).toContain(spec.default);
      expect(() => spec.parse?.(spec.default as string, spec.flags)).not.toThrow();
    }
  });
});

describe('help', () => {
  const helpOf = async (command: CommandName | 'tsdbt') => {
    out = '';
    expect(await main(['node', 'tsdbt', ...(command === 'tsdbt' ? [] : command.split(' ')), '--help'])).toBe(0);
    return out;
  };

  it.each([...COMMANDS, 'tsdbt' as const])('%s lists exactly the flags declared for it, with their help', async (command) => {
    const help = await helpOf(command);
    // dbt's flags that change nothing here are accepted but not listed.
    const declared = flagsOf(command).filter((spec) => spec.noEffect === undefined);
    const expected = [...(command === 'tsdbt' ? ['-v, --version'] : []), ...declared.flatMap(termsOf), '-h, --help'];
    expect(optionTerms(help)).toEqual(expected);
    const text = help.replace(/\s+/g, ' ');
    for (const spec of declared) {
      const line = (command !== 'tsdbt' && spec.helpIn?.[command]) || spec.help;
      expect(text).toContain(line.replace(/\s+/g, ' '));
      if (spec.default !== undefined) expect(text).toContain(`default: "${spec.default}"`);
    }
  });

  it('the program lists every command as `name [options] <arguments>`, though only the commands argv names get their flags', async () => {
    const help = await helpOf('tsdbt');
    for (const term of ['run [options]', 'ls|list [options]', 'run-operation [options] <macro>', 'init [options] [project_name]', 'clean [options]']) expect(help).toMatch(new RegExp(`^ {2}${term.replace(/[[\]|]/g, '\\$&')}  `, 'm'));
    expect(help).toMatch(/^ {2}docs {2}/m);
  });

  it('a command gets its flags when argv names it (its first word, or its alias) anywhere', () => {
    const named = namedIn(['node', 'tsdbt', '--log-level', 'warn', 'docs', 'generate', '--select', 'list']);
    expect(COMMANDS.filter(named)).toEqual(['docs generate', 'docs serve', 'ls']);
    expect(COMMANDS.filter(namedIn(['node', 'tsdbt', '--version']))).toEqual([]);
    expect(COMMANDS.filter(namedIn(['node', 'tsdbt', 'help', 'source']))).toEqual(['source freshness']);
  });

  it('a flag is refused by the commands it is not declared for', async () => {
    const longsOf = (spec: FlagSpec) => [...spec.flags.matchAll(/--[\w-]+/g)].map((m) => m[0]);
    for (const spec of specs) {
      const long = longOf(spec) as string;
      const other = COMMANDS.find((c) => !flagsOf(c).some((s) => longsOf(s).includes(long)));
      if (!other) continue;
      err = '';
      expect(await main(['node', 'tsdbt', ...other.split(' '), long, ...(other === 'run-operation' ? ['m'] : [])]), `${other} ${long}`).toBe(2);
      expect(err).toContain(`unknown option '${long}'`);
    }
  });
});

describe('parsing', () => {
  it('an unknown flag is a usage error: the message, the help hint, exit 2', async () => {
    expect((await tsdbt('run', '--bogus')).code).toBe(2);
    expect(err).toBe("error: unknown option '--bogus'\n(run with --help for usage)\n");
    expect(calls).toEqual([]);
  });

  it('numbers parse as numbers, and a bad one names its flag (exit 2)', async () => {
    expect((await invocationOf('run', '--threads', '4')).threads).toBe(4);
    expect((await tsdbt('run', '--threads', '0')).code).toBe(2);
    expect(err).toBe("--threads must be a positive whole number, got '0'\n");
    expect((await tsdbt('show', '--limit', '1.5')).code).toBe(2);
    expect(err).toContain("--limit must be a whole number, got '1.5'");
    expect(calls).toEqual([]);
  });

  it("--inline with --select or --selector, and --warn-error-options with --warn-error, are dbt's usage errors (exit 2)", async () => {
    expect((await tsdbt('compile', '--select', 'first_model', '--inline', 'select 1 as id')).code).toBe(2);
    expect(err).toBe('inline: not allowed with argument select\n');
    expect((await tsdbt('show', '--inline', 'select 1', '--selector', 'nightly')).code).toBe(2);
    expect(err).toContain('inline: not allowed with argument selector\n');
    expect((await tsdbt('compile', '-m', 'a', '--inline', 'select 1')).code).toBe(2);
    expect(err).toContain('inline: not allowed with argument select\n');
    expect((await tsdbt('--warn-error', 'run', '--warn-error-options', '{"error": "all"}')).code).toBe(2);
    expect(err).toContain('warn_error_options: not allowed with argument warn_error\n');
    expect(calls).toEqual([]);
    expect((await tsdbt('compile', '--inline', 'select 1 as id')).code).toBe(0);
    expect(calls.map((c) => c.command)).toEqual(['compileCommand']);
  });

  it('repeated list flags collect, and --models adds to --select', async () => {
    const options = await invocationOf('run', '-s', 'a', 'b', '--select', 'c', '-m', 'd', '--exclude', 'x', '--exclude', 'y');
    expect(options.select).toEqual(['a', 'b', 'c', 'd']);
    expect(options.exclude).toEqual(['x', 'y']);
    expect((await invocationOf('parse')).select).toEqual([]);
  });

  it("--models, --model and -m are noted for dbt 1.10's ModelParamUsageDeprecation; --select is not", async () => {
    expect((await invocationOf('run', '-m', 'd')).deprecatedFlags).toEqual(['ModelParamUsageDeprecation']);
    expect((await invocationOf('build', '--model', 'd', '--models', 'e')).deprecatedFlags).toEqual(['ModelParamUsageDeprecation']);
    expect((await invocationOf('run', '-s', 'd')).deprecatedFlags).toBeUndefined();
  });

  it("a list flag's argument may hold several values apart by spaces, as dbt's MultiOption reads them", async () => {
    const options = await invocationOf('build', '--select', 'a b', '--resource-type', 'model test', '--resource-type', 'seed', '--exclude', ' x  y ');
    expect(options.select).toEqual(['a', 'b']);
    expect(options.resourceTypes).toEqual(['model', 'test', 'seed']);
    expect(options.exclude).toEqual(['x', 'y']);
  });

  it('--no-partial-parse and --no-static-parser negate (undefined when not given, for dbt_project.yml\'s flags)', async () => {
    expect(await invocationOf('run')).toMatchObject({ noPartialParse: undefined, noStaticParser: undefined });
    expect(await invocationOf('run', '--no-partial-parse', '--no-static-parser')).toMatchObject({ noPartialParse: true, noStaticParser: true });
    expect(await invocationOf('run', '--no-version-check')).toMatchObject({ noVersionCheck: true });
    expect(await invocationOf('run')).toMatchObject({ noVersionCheck: undefined });
    // dbt's positive forms, hidden from the help, and its env vars.
    expect(await invocationOf('run', '--partial-parse', '--static-parser')).toMatchObject({ noPartialParse: false, noStaticParser: false });
    process.env.DBT_PARTIAL_PARSE = 'false';
    try {
      expect((await invocationOf('run')).noPartialParse).toBe(true);
      expect((await invocationOf('run', '--partial-parse')).noPartialParse).toBe(false);
    } finally {
      delete process.env.DBT_PARTIAL_PARSE;
    }
  });

  it('--print and --no-print: undefined unless given', async () => {
    expect((await invocationOf('run')).print).toBeUndefined();
    expect((await invocationOf('run', '--no-print')).print).toBe(false);
    expect((await invocationOf('run', '--print')).print).toBe(true);
  });

  it('global flags count before the command, and the command\'s own win', async () => {
    expect(await invocationOf('--quiet', '--warn-error', 'run')).toMatchObject({ quiet: true, warnError: true });
    expect((await invocationOf('--no-print', 'run', '--print')).print).toBe(true);
  });

  it('timestamps, choices and defaults', async () => {
    const run = await invocationOf('run', '--event-time-start', '2024-01-01', '--event-time-end', '2024-01-02T00:00:00+02:00', '--log-format', 'json', '--indirect-selection', 'cautious');
    expect(run).toMatchObject({ eventTimeStart: new Date('2024-01-01T00:00:00Z'), eventTimeEnd: new Date('2024-01-01T22:00:00Z'), logFormat: 'json', indirectSelection: 'cautious' });
    // dbt's cli/flags.py: the two come together, start before end (exit 2, in dbt's words).
    expect((await tsdbt('build', '--event-time-start', '2024-10-01')).code).toBe(2);
    expect(err).toContain('When specifying `--event-time-start`, `--event-time-end` must also be present.');
    expect((await tsdbt('run', '--event-time-end', '2024-10-01')).code).toBe(2);
    expect(err).toContain('When specifying `--event-time-end`, `--event-time-start` must also be present.');
    expect((await tsdbt('build', '--event-time-start', '2024-10-02', '--event-time-end', '2024-10-01')).code).toBe(2);
    expect(err).toContain('Value for `--event-time-start` must be less than `--event-time-end`');
    expect((await invocationOf('run')).logFormat).toBeUndefined();
    expect((await tsdbt('run', '--log-format', 'xml')).code).toBe(2);
    expect(err).toContain("argument 'xml' is invalid. Allowed choices are text, json, default, debug.");

    expect((await tsdbt('show', '--select', 'x')).call?.args[1]).toEqual({ inline: undefined, limit: 5, output: 'text' });
    expect((await tsdbt('docs', 'serve')).call?.args[1]).toEqual({ port: 8080, host: '127.0.0.1' });
    expect((await tsdbt('schedule', '--timeout', '60')).call?.args[1]).toEqual({ cron: '*/5 * * * *', once: undefined, withLoader: undefined, brokers: undefined, port: undefined, retries: 2, timeoutSeconds: 60 });
    expect((await tsdbt('load')).call?.args[1]).toEqual({ once: undefined, brokers: undefined, progressInterval: 10 });
  });

  it("--project-dir and --profiles-dir name folders that exist (dbt's click.Path(exists=True)), but for debug/deps/init's --profiles-dir", async () => {
    const missing = 'no-such-folder-for-tsdbt-flags-test';
    expect((await tsdbt('run', '--project-dir', missing)).code).toBe(2);
    expect(err).toContain(`Error: Invalid value for '--project-dir': Path '${missing}' does not exist.`);
    expect((await tsdbt('debug', '--project-dir', missing)).code).toBe(2);
    expect((await tsdbt('parse', '--profiles-dir', missing)).code).toBe(2);
    expect(err).toContain(`Error: Invalid value for '--profiles-dir': Path '${missing}' does not exist.`);
    expect((await invocationOf('debug', '--profiles-dir', missing)).profilesDir).toBe(missing);
    expect((await invocationOf('deps', '--profiles-dir', missing)).profilesDir).toBe(missing);
    expect((await invocationOf('run', '--project-dir', '.', '--profiles-dir', '.')).projectDir).toBe('.');
  });

  it('each command gets its own options', async () => {
    expect((await tsdbt('ls', '-m', 'a', '--resource-types', 'model', '-o', 'json')).call?.args[1]).toEqual({ output: 'json', outputKeys: undefined, modelsFlag: true, invokedAs: 'ls' });
    expect((await tsdbt('ls', '--model', 'a')).call?.args[1]).toMatchObject({ modelsFlag: true });
    expect((await invocationOf('clone', '--resource-type', 'seed')).resourceTypes).toEqual(['seed']);
    expect((await tsdbt('run-operation', 'pkg.m', '--args', '{a: 1}')).call?.args[1]).toEqual({ macro: 'pkg.m', args: '{a: 1}' });
    expect((await tsdbt('docs', 'generate', '--no-compile')).call?.args[1]).toEqual({ compile: false, emptyCatalog: false, static: false });
    expect((await tsdbt('deps', '--add-package', 'a/b@1')).call?.args[1]).toEqual({ upgrade: undefined, lock: undefined, addPackage: 'a/b@1', source: 'hub' });
    expect((await tsdbt('produce-sample', '--topic', 't', '--brokers', 'k:1, k:2', '--events', '10')).call?.args[1]).toEqual({ topic: 't', events: 10, rate: undefined, seed: 1, brokers: ['k:1', 'k:2'] });
    const init = (await tsdbt('init', 'shop', '-s', '--profiles-dir', 'pd', '--threads', '4', '--port', '5432')).call?.args[0] as Record<string, unknown>;
    expect(init).toMatchObject({ projectName: 'shop', skipProfileSetup: true, profilesDir: 'pd', answers: { threads: '4', port: '5432', host: undefined } });
  });
});

describe('env vars', () => {
  /** readFlags for `tsdbt <command> <args>` with these env vars. */
  function read<C extends CommandName>(command: C, args: string[], env: NodeJS.ProcessEnv) {
    const cmd = addFlags(new Command(command).exitOverride(), command);
    cmd.parse(args, { from: 'user' });
    return readFlags(command, cmd, undefined, env);
  }

  it('the state flags fall back to TSDBT_*, then DBT_ENGINE_*, then DBT_*', () => {
    expect(read('build', [], { DBT_STATE: 'dbt', DBT_ENGINE_STATE: 'engine' }).invocation.state).toBe('engine');
    expect(read('build', [], { DBT_STATE: 'dbt', TSDBT_STATE: 'tsdbt' }).invocation.state).toBe('tsdbt');
    expect(read('build', ['--state', 'flag'], { DBT_STATE: 'dbt' }).invocation.state).toBe('flag');
    expect(read('build', [], { DBT_DEFER_STATE: 'd' }).invocation.deferState).toBe('d');
  });

  it('a boolean env var is true for 1/true/yes/on, false otherwise, unset when empty', () => {
    expect(read('build', [], { DBT_DEFER: 'yes', DBT_FAVOR_STATE: '0' }).invocation).toMatchObject({ defer: true, favorState: false });
    expect(read('build', [], { DBT_DEFER: '' }).invocation.defer).toBeUndefined();
    expect(read('build', [], {}).invocation.defer).toBeUndefined();
  });

  it('apply to commands without the flag too (retry re-runs with DBT_STATE)', () => {
    expect(read('retry', [], { DBT_STATE: 's', DBT_DEFER: 'true' }).invocation).toMatchObject({ state: 's', defer: true });
  });

  it('--brokers falls back to TSDBT_KAFKA_BROKERS', () => {
    expect(read('produce-sample', ['--topic', 't'], { TSDBT_KAFKA_BROKERS: 'k:9092' }).command.brokers).toBe('k:9092');
    expect(read('load', ['--brokers', 'flag:1'], { TSDBT_KAFKA_BROKERS: 'k:9092' }).command.brokers).toBe('flag:1');
  });
});

// dbt-core 1.11's command line (core/dbt/cli/main.py and params.py): the flags each command
// takes, and the global ones every command takes. A dbt user's scripts pass these; each must be
// accepted by tsdbt's command of the same name, whether or not it changes anything here.
const DBT_GLOBAL_FLAGS = [
  '--cache-selected-only', '--debug', '--defer', '--defer-state x', '--fail-fast', '--favor-state', '--indirect-selection eager', '--log-cache-events',
  '--log-file-max-bytes 100', '--log-format json', '--log-format-file json', '--log-level info', '--log-level-file debug', '--log-path logs', '--macro-debugging',
  '--partial-parse', '--partial-parse-file-diff', '--no-partial-parse-file-diff', '--partial-parse-file-path p', '--populate-cache', '--print', '--printer-width 100', '--profile p', '--quiet',
  '--record-timing-info t', '--send-anonymous-usage-stats', '--show-all-deprecations', '--show-resource-report', '--single-threaded', '--state x', '--static-parser', '--target t',
  '--upload-to-artifacts-ingest-api', '--use-colors', '--use-colors-file', '--use-experimental-parser', '--use-fast-test-edges', '--version-check', '--warn-error',
  // and their negative forms
  '--no-cache-selected-only', '--no-debug', '--no-defer', '--no-fail-fast', '--no-favor-state', '--no-partial-parse', '--no-populate-cache', '--no-print',
  '--no-send-anonymous-usage-stats', '--no-static-parser', '--no-use-colors', '--no-version-check', '--no-write-json', '--write-json',
];
const DBT_COMMAND_FLAGS: Partial<Record<CommandName, string[]>> = {
  build: ['--empty', '--event-time-start 2024-01-01 --event-time-end 2024-01-02', '--exclude x', '--exclude-resource-types test', '--export-saved-queries', '--full-refresh', '-f', '--resource-types model', '--resource-type seed', '--selector s', '--show', '--sqlparse x', '--store-failures', '--target-path t', '--threads 2', '--vars {}', '-s m', '-m m', '--model m', '--models m'],
  clean: ['--target-path t', '--vars {}', '--clean-project-files-only', '--no-clean-project-files-only'],
  'docs generate': ['--compile', '--no-compile', '--empty-catalog', '--static', '--target-path t', '--threads 2', '--vars {}', '--select m', '-s m', '-m m', '--models m', '--exclude x', '--selector s'],
  'docs serve': ['--browser', '--no-browser', '--host 0.0.0.0', '--port 8081', '--target-path t'],
  compile: ['--empty', '--exclude x', '--full-refresh', '--inject-ephemeral-ctes', '--no-inject-ephemeral-ctes', '--inline x', '--introspect', '--no-introspect', '--output json', '--selector s', '--target-path t', '--threads 2', '-s m'],
  debug: ['--config-dir', '--connection', '--vars {}'],
  init: ['--skip-profile-setup', '-s', '--vars {}', '--project-dir .'],
  show: ['--exclude x', '--full-refresh', '--inline x', '--introspect', '--limit 3', '--output json', '--selector s', '--target-path t', '--threads 2'],
  deps: ['--add-package a@1', '--lock', '--source hub', '--upgrade', '--vars {}'],
  ls: ['--exclude x', '--exclude-resource-types test', '--output json', '--output-keys name', '--resource-types model', '--selector s', '--target-path t', '-s m'],
  parse: ['--target-path t', '--threads 2', '--vars {}'],
  run: ['--empty', '--event-time-start 2024-01-01 --event-time-end 2024-01-02', '--exclude x', '--full-refresh', '--selector s', '--sqlparse x', '--target-path t', '--threads 2'],
  retry: ['--full-refresh', '--target-path t', '--threads 2', '--vars {}'],
  clone: ['--exclude x', '--exclude-resource-types seed', '--full-refresh', '--resource-types model', '--selector s', '--target-path t', '--threads 2'],
  'run-operation': ['--args {}', '--target-path t', '--threads 2', '--vars {}'],
  seed: ['--empty', '--exclude x', '--full-refresh', '--selector s', '--show', '--sqlparse x', '--target-path t', '--threads 2'],
  snapshot: ['--empty', '--exclude x', '--selector s', '--sqlparse x', '--target-path t', '--threads 2'],
  'source freshness': ['--exclude x', '--output o.json', '--selector s', '--sqlparse x', '--target-path t', '--threads 2'],
  test: ['--exclude x', '--exclude-resource-types unit_test', '--resource-types test', '--selector s', '--sqlparse x', '--store-failures', '--target-path t', '--threads 2'],
};

describe("dbt's command line", () => {
  const words = (flag: string) => flag.split(' ');
  const positional = (command: CommandName) => (command === 'run-operation' ? ['m'] : []);

  it.each(Object.keys(DBT_COMMAND_FLAGS) as CommandName[])('%s takes every flag dbt 1.11 gives it, and every global flag after it', async (command) => {
    for (const flag of [...(DBT_COMMAND_FLAGS[command] ?? []), ...DBT_GLOBAL_FLAGS]) {
      const { code } = await tsdbt(...command.split(' '), ...positional(command), ...words(flag));
      expect(code, `${command} ${flag}: ${err}`).toBe(0);
    }
  });

  it('takes the global flags before the command too', async () => {
    for (const flag of DBT_GLOBAL_FLAGS) expect((await tsdbt(...words(flag), 'run')).code, `${flag} run: ${err}`).toBe(0);
  });

  it('reads the flags that matter into the invocation, with their dbt env vars', async () => {
    expect(await invocationOf('build', '--empty', '--target-path', 'ci', '--log-level', 'warn', '--printer-width', '100', '--no-use-colors', '--no-write-json', '--exclude-resource-type', 'test')).toMatchObject({
      empty: true,
      targetPath: 'ci',
      logLevel: 'warn',
      printerWidth: 100,
      useColors: false,
      writeJson: false,
      excludeResourceTypes: ['test'],
    });
    process.env.DBT_TARGET_PATH = 'from-env';
    process.env.DBT_RESOURCE_TYPES = 'model seed';
    process.env.DBT_EMPTY = 'true';
    try {
      expect(await invocationOf('build')).toMatchObject({ targetPath: 'from-env', resourceTypes: ['model', 'seed'], empty: true });
      expect(await invocationOf('build', '--no-empty', '--target-path', 'flag')).toMatchObject({ targetPath: 'flag', empty: false });
    } finally {
      delete process.env.DBT_TARGET_PATH;
      delete process.env.DBT_RESOURCE_TYPES;
      delete process.env.DBT_EMPTY;
    }
  });

  it("reads a boolean env var as click does (y and t are true) and dbt's renamed env vars over the flag, noting each renaming", async () => {
    const set = (vars: Record<string, string>) => Object.assign(process.env, vars);
    const unset = (...names: string[]) => names.forEach((n) => delete process.env[n]);
    try {
      set({ DBT_VERSION_CHECK: 'y', DBT_DEBUG: 't' });
      expect(await invocationOf('parse')).toMatchObject({ noVersionCheck: false, debug: true });
      set({ DBT_VERSION_CHECK: 'n' });
      expect((await invocationOf('parse')).noVersionCheck).toBe(true);
      unset('DBT_VERSION_CHECK', 'DBT_DEBUG');
      set({ DBT_DEFER_TO_STATE: '0', DBT_NO_PRINT: '1', DBT_ARTIFACT_STATE_PATH: 'old-state', DBT_FAVOR_STATE_MODE: 'true' });
      const build = await invocationOf('build', '--defer', '--print');
      expect(build).toMatchObject({ defer: false, print: false, state: 'old-state', favorState: true });
      expect([...(build.renamedEnvVars as string[])].sort()).toEqual(['DBT_ARTIFACT_STATE_PATH>DBT_ENGINE_STATE', 'DBT_DEFER_TO_STATE>DBT_ENGINE_DEFER', 'DBT_FAVOR_STATE_MODE>DBT_ENGINE_FAVOR_STATE', 'DBT_NO_PRINT>DBT_ENGINE_PRINT']);
    } finally {
      unset('DBT_VERSION_CHECK', 'DBT_DEBUG', 'DBT_DEFER_TO_STATE', 'DBT_NO_PRINT', 'DBT_ARTIFACT_STATE_PATH', 'DBT_FAVOR_STATE_MODE');
    }
    expect((await invocationOf('run')).renamedEnvVars).toBeUndefined();
  });

  it('says which given flags change nothing (under --debug); --sample reaches the run', async () => {
    expect((await invocationOf('run', '--no-version-check', '--macro-debugging')).noEffectFlags).toEqual(["--macro-debugging: it switches on a Python debugger in dbt's Jinja"]);
    expect((await invocationOf('run')).noEffectFlags).toBeUndefined();
    expect((await invocationOf('build', '--sample', '3 days')).sample).toBe('3 days');
  });

  it('--inline-direct previews its query without rendering it', async () => {
    const { call } = await tsdbt('show', '--inline-direct', "select '{{ x }}' as y");
    expect(call?.args[1]).toMatchObject({ inline: "{% raw %}select '{{ x }}' as y{% endraw %}" });
  });
});
