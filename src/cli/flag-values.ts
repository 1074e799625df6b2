// commander's options for each command, and the typed values read back from them, both derived from
// the flag table (flags.ts): addFlags declares a command's flags, readFlags hands the app its
// InvocationOptions and the command's own options.
import { existsSync } from 'node:fs';
import { CommanderError, Option, type Command } from 'commander';
import { EXIT_USAGE_OR_PROJECT_ERROR } from '../errors/exit-codes.js';
import { checkEventTimeWindow, checkFlagPaths } from './flag-parsers.js';
import { FLAGS, type CommandFlags, type CommandName, type FlagSpec, type FlagsFor, type InvocationFlags } from './flags.js';

const namesOf = new Map<FlagSpec, { attribute: string; name: string; long: string }>();
/** The key commander stores the flag's value under, the value's name, and the flag as messages name it (`--threads`). */
function names(spec: FlagSpec): { attribute: string; name: string; long: string } {
  let found = namesOf.get(spec);
  if (!found) {
    const option = new Option(spec.flags);
    found = { attribute: option.attributeName(), name: spec.name ?? option.name().replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), long: option.long ?? spec.flags };
    namesOf.set(spec, found);
  }
  return found;
}

const isNegation = (spec: FlagSpec) => /(^|[\s,])--no-/.test(spec.flags);

/** The flags declared for a command (or, for the program itself, the global ones). */
export function flagsOf(command: CommandName | 'tsdbt'): readonly FlagSpec[] {
  return (FLAGS as readonly FlagSpec[]).filter((spec) => (command === 'tsdbt' ? spec.global === true : spec.commands.includes(command)));
}

/** Adds the command's flags to its commander Command, in the table's order. */
export function addFlags(cmd: Command, command: CommandName | 'tsdbt'): Command {
  for (const spec of flagsOf(command)) {
    const option = new Option(spec.flags, (command !== 'tsdbt' && spec.helpIn?.[command]) || spec.help);
    if (spec.choices) option.choices(spec.choices);
    if (spec.default !== undefined) option.default(spec.default);
    if (spec.required) option.makeOptionMandatory();
    if (spec.noEffect !== undefined) option.hideHelp();
    cmd.addOption(option);
    if (spec.negatable !== undefined) cmd.addOption(new Option(`--no-${names(spec).long.replace(/^--/, '')}`, spec.negatable).hideHelp(spec.noEffect !== undefined));
    if (spec.affirmative) cmd.addOption(new Option(names(spec).long.replace(/^--no-/, '--'), 'the default').hideHelp());
  }
  return cmd;
}

function fromEnv(spec: FlagSpec, env: NodeJS.ProcessEnv): string | string[] | boolean | undefined {
  const text = spec.env?.map((name) => env[name]).find((value) => value !== undefined);
  if (text === undefined) return text;
  // A list flag's variable holds its values apart by spaces (DBT_RESOURCE_TYPES="model seed").
  if (spec.flags.includes('...>')) return text.split(/[\s,]+/).filter((word) => word !== '');
  if (spec.flags.includes('<')) return text;
  return text === '' ? undefined : clickBool(text);
}

/** A boolean env var's text as click's BoolParamType reads it: 1, true, t, yes, y, on (any case) are true. */
function clickBool(text: string): boolean {
  return /^(1|true|t|yes|y|on)$/i.test(text.trim());
}

/**
 * The value of the env var dbt renamed to this flag's, when set (it wins over the flag, as dbt's
 * deprecated params do), and the renaming to warn about; undefined when it is not set.
 */
function renamedEnvValue(spec: FlagSpec, env: NodeJS.ProcessEnv): { value: unknown; renamed: string } | undefined {
  const text = spec.renamedEnv ? env[spec.renamedEnv.name] : undefined;
  if (spec.renamedEnv === undefined || text === undefined || text === '') return undefined;
  const newName = spec.env?.find((name) => name.startsWith('DBT_ENGINE_')) ?? names(spec).long;
  const renamed = `${spec.renamedEnv.name}>${newName}`;
  if (!spec.flags.includes('<')) return { value: clickBool(text) !== (spec.renamedEnv.negated === true), renamed };
  return { value: spec.parse ? spec.parse(text, spec.renamedEnv.name) : text, renamed };
}

/** A list flag's values as dbt's MultiOption takes them: each argument may hold several, apart by spaces (`--resource-type "model test"`). */
function splitWords(values: unknown[]): string[] {
  return values.flatMap((v) => String(v).split(/\s+/)).filter((word) => word !== '');
}

/** The flag's value for a command: see readFlags. */
function valueOf(spec: FlagSpec, declared: boolean, cmd: Command, program: Command | undefined, env: NodeJS.ProcessEnv): unknown {
  const { attribute, long } = names(spec);
  // commander stores the default as the value; it counts after the env vars.
  const typed: unknown = declared && cmd.getOptionValueSource(attribute) !== 'default' ? cmd.getOptionValue(attribute) : undefined;
  const beforeCommand: unknown = declared && spec.global && program?.getOptionValueSource(attribute) !== 'default' ? program?.getOptionValue(attribute) : undefined;
  const given: unknown = typed ?? beforeCommand;
  // A negation's default (commander's true) is not a value: undefined, so dbt_project.yml's `flags:` may set it (app/project-flags.ts).
  const value: unknown = (Array.isArray(given) ? splitWords(given) : given) ?? fromEnv(spec, env) ?? (declared && !isNegation(spec) ? cmd.getOptionValue(attribute) : undefined);
  if (isNegation(spec)) return value === undefined ? undefined : value === false;
  return typeof value === 'string' && spec.parse ? spec.parse(value, long) : value;
}

/** Whether the flag was given on the command line, after the command or (a global flag) before it. */
function givenOnCommandLine(spec: FlagSpec, cmd: Command, program: Command | undefined): boolean {
  const { attribute } = names(spec);
  return cmd.getOptionValueSource(attribute) === 'cli' || (spec.global === true && program?.getOptionValueSource(attribute) === 'cli');
}

/** A flag as dbt's usage errors name it: its parameter, `warn_error_options` (`--models` is dbt's `select`). */
const dbtParamName = (spec: FlagSpec) => (spec.addsTo ?? names(spec).long.replace(/^--/, '')).replace(/-/g, '_');

/** dbt's `_assert_mutually_exclusive`: the flag given with one of its `notWith` is a usage error, exit 2. */
function assertNotWith(spec: FlagSpec, cmd: Command, program: Command | undefined): void {
  if (!givenOnCommandLine(spec, cmd, program)) return;
  for (const other of FLAGS as readonly FlagSpec[]) {
    if (!spec.notWith?.includes(names(other).long) || !givenOnCommandLine(other, cmd, program)) continue;
    throw new CommanderError(EXIT_USAGE_OR_PROJECT_ERROR, 'tsdbt.notWith', `${dbtParamName(spec)}: not allowed with argument ${dbtParamName(other)}`);
  }
}

export interface ParsedFlags<C extends CommandName> {
  /** The InvocationOptions the flags give (every invocation flag, set or not, so env vars apply to every command). */
  invocation: InvocationFlags & { select: string[]; noEffectFlags?: string[]; deprecatedFlags?: string[]; renamedEnvVars?: string[] };
  /** The command's own options. */
  command: CommandFlags<C>;
  /** Both, by name: every flag the command declares. */
  flags: FlagsFor<C>;
}

/**
 * The values of a parsed command's flags: as given after the command, else before it (a global
 * flag), else from its env var, else its default; then parsed (a bad value is a usage error that
 * names the flag, exit 2).
 */
export function readFlags<C extends CommandName>(command: C, cmd: Command, program?: Command, env: NodeJS.ProcessEnv = process.env): ParsedFlags<C> {
  const invocation: Record<string, unknown> = {};
  const commandValues: Record<string, unknown> = {};
  const flags: Record<string, unknown> = {};
  const aliases: [string, unknown][] = [];
  const noEffects: string[] = [];
  const deprecated = new Set<string>();
  const renamedEnvs: string[] = [];
  for (const spec of FLAGS as readonly FlagSpec[]) {
    const declared = spec.commands.includes(command);
    if (spec.noEffect !== undefined) {
      const { attribute, long } = names(spec);
      const given = (c: Command | undefined) => c?.getOptionValueSource(attribute) === 'cli';
      if (declared && (given(cmd) || given(program))) noEffects.push(`${long}: ${spec.noEffect}`);
      continue;
    }
    if (!declared && !spec.invocation) continue;
    const { name } = names(spec);
    const renamed = declared ? renamedEnvValue(spec, env) : undefined;
    if (renamed) renamedEnvs.push(renamed.renamed);
    const value = renamed ? renamed.value : valueOf(spec, declared, cmd, program, env);
    if (declared) {
      const into = spec.group ? ((flags[spec.group] ??= {}) as Record<string, unknown>) : flags;
      into[name] = value;
      if (!spec.invocation) {
        if (spec.group) commandValues[spec.group] = into;
        else commandValues[name] = value;
      }
    }
    if (spec.invocation) {
      if (spec.deprecation && Array.isArray(value) && value.length > 0) deprecated.add(spec.deprecation);
      if (spec.addsTo) aliases.push([spec.addsTo, value]);
      // Two entries may set one option for different commands: the command's own wins.
      else if (declared || !(name in invocation)) invocation[name] = value;
    }
  }
  for (const spec of FLAGS as readonly FlagSpec[]) if (spec.notWith && spec.commands.includes(command)) assertNotWith(spec, cmd, program);
  for (const [target, value] of aliases) invocation[target] = [...((invocation[target] as string[] | undefined) ?? []), ...((value as string[] | undefined) ?? [])];
  if (noEffects.length > 0) invocation.noEffectFlags = noEffects;
  if (deprecated.size > 0) invocation.deprecatedFlags = [...deprecated];
  if (renamedEnvs.length > 0) invocation.renamedEnvVars = renamedEnvs;
  checkEventTimeWindow(invocation.eventTimeStart as Date | undefined, invocation.eventTimeEnd as Date | undefined);
  checkFlagPaths(command, { projectDir: invocation.projectDir as string | undefined, profilesDir: invocation.profilesDir as string | undefined }, (dir) => existsSync(dir));
  return { invocation: invocation as ParsedFlags<C>['invocation'], command: commandValues as CommandFlags<C>, flags: flags as FlagsFor<C> };
}
