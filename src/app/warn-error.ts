// dbt's --warn-error / --warn-error-options: which warnings (by dbt's event name, e.g.
// NothingToDo, JinjaLogWarning, LogTestResult) become errors, stay warnings, or are silenced.
// As dbt_common's WarnErrorOptions: `error` ("all" / "*" or a list; dbt 1.x spelled it `include`),
// `warn` (exceptions to `error`; formerly `exclude`) and `silence` (not printed at all); each may
// name `Deprecations`, every deprecation event (deprecations.ts).
import { createRequire } from 'node:module';
import type YAML from 'yaml';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { PYYAML_SAFE_LOAD } from '../config/pyyaml-options.js';
import { isDeprecation } from './deprecations.js';
import { VALID_EVENT_NAMES } from './event-names.js';
import { closestName } from '../errors/did-you-mean.js';

/** `yaml` is loaded only when --warn-error-options is given: the CLI's start-up does not pay for it. */
export function parseYaml(text: string): unknown {
  const { parse } = createRequire(import.meta.url)('yaml') as typeof YAML;
  return parse(text, PYYAML_SAFE_LOAD);
}

export interface WarnErrorPolicy {
  /** True when the warning named `event` is raised as an error. */
  promotes(event: string): boolean;
  /**
   * The same for SCHEMA_CHECK_EVENTS where dbt runs its JSON-schema checks (app/jsonschema-gate.ts):
   * there `--warn-error` and `error: all` make them errors too, as dbt's; absent: as `promotes`.
   */
  promotesWhereDbtValidates?(event: string): boolean;
  /** True when the warning named `event` is not printed. */
  silenced(event: string): boolean;
  /** What the options' own spelling deprecates (`include`/`exclude`: WEOIncludeExcludeDeprecation), warned once they apply. */
  deprecations?: { event: string; message: string }[];
}

/** dbt_common's name for every deprecation event at once in `error`, `warn` and `silence`. */
const DEPRECATIONS = 'Deprecations';

export const NO_WARN_ERROR: WarnErrorPolicy = { promotes: () => false, silenced: () => false };

/**
 * The warnings of dbt 1.11's JSON-schema checks of property files and dbt_project.yml
 * (jsonschemas.py). dbt runs those checks only when every adapter in use is bigquery, databricks,
 * redshift or snowflake (`_can_run_validations`), so on dbt-postgres and dbt-clickhouse they never
 * fire. tsdbt warns them on every adapter (they catch typos), but `--warn-error` or `error: all`
 * does not make them errors, so a project that passes `dbt build --warn-error` on dbt-postgres
 * passes here; naming one under `error:` still does.
 */
export const SCHEMA_CHECK_EVENTS: ReadonlySet<string> = new Set([
  'CustomTopLevelKeyDeprecation',
  'CustomKeyInObjectDeprecation',
  'CustomKeyInConfigDeprecation',
  'PropertyMovedToConfigDeprecation',
  'SourceOverrideDeprecation',
  'MissingPlusPrefixDeprecation',
  'GenericJSONSchemaValidationDeprecation',
]);

/** `--warn-error`: every warning is an error (but SCHEMA_CHECK_EVENTS). */
export const WARN_ERROR_ALL: WarnErrorPolicy = { promotes: (event) => !SCHEMA_CHECK_EVENTS.has(event), promotesWhereDbtValidates: () => true, silenced: () => false };

function names(value: unknown, key: string, source: string): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new TsdbtError(`${source}: "${key}" must be a list of warning names, got ${JSON.stringify(value)}`, {
    code: 'warn-error-options-invalid',
    hint: `e.g. --warn-error-options '{"error": "all", "warn": ["NothingToDo"], "silence": ["JinjaLogWarning"]}'`,
  });
}

/** Parses the --warn-error-options / DBT_WARN_ERROR_OPTIONS text (YAML or JSON). */
export function parseWarnErrorOptions(text: string, source = '--warn-error-options'): WarnErrorPolicy {
  let raw: unknown;
  try {
    raw = text.trim() === '' ? {} : parseYaml(text);
  } catch (err) {
    throw new TsdbtError(`${source} is not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`, {
      code: 'warn-error-options-invalid',
      hint: `quote it for the shell, e.g. --warn-error-options '{"error": ["NothingToDo"]}'`,
    });
  }
  if (raw === null || raw === undefined) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new TsdbtError(`${source} must be a mapping with error / warn / silence, got ${JSON.stringify(raw)}`, {
      code: 'warn-error-options-invalid',
      hint: `e.g. --warn-error-options '{"error": "all", "warn": ["NothingToDo"]}'`,
    });
  }
  const map = raw as Record<string, unknown>;
  const unknownKeys = Object.keys(map).filter((k) => !['error', 'include', 'warn', 'exclude', 'silence'].includes(k));
  if (unknownKeys.length > 0) {
    throw new TsdbtError(`${source}: unknown key ${unknownKeys.map((k) => `"${k}"`).join(', ')}`, {
      code: 'warn-error-options-invalid',
      hint: 'the keys are error (or include), warn (or exclude) and silence',
    });
  }
  for (const [primary, alt] of [['error', 'include'], ['warn', 'exclude']] as const) {
    // dbt's exclusive_primary_alt_value_setting: both given and non-empty (Python truthiness).
    if (pyTruthy(map[primary]) && pyTruthy(map[alt])) {
      throw new TsdbtError(`${source}: Only \`${alt}\` or \`${primary}\` can be specified in \`warn_error_options\`, not both`, {
        code: 'warn-error-options-invalid',
        hint: `keep \`${primary}\` (\`${alt}\` is its old name)`,
      });
    }
  }
  // dbt moves an old name's value to the new name when it is there (both non-empty was refused above).
  const errorKey = map.include !== undefined ? 'include' : 'error';
  const warnKey = map.exclude !== undefined ? 'exclude' : 'warn';
  const errorValue = map[errorKey];
  const all = errorValue === 'all' || errorValue === '*';
  const error = new Set(all ? [] : names(errorValue, errorKey, source));
  const warn = new Set(names(map[warnKey], warnKey, source));
  const silence = new Set(names(map.silence, 'silence', source));
  // dbt_common's WarnErrorOptionsV2: `warn` lists exceptions, to `error: all` or to the Deprecations group.
  if (warn.size > 0 && !all && !error.has(DEPRECATIONS) && !silence.has(DEPRECATIONS)) {
    throw new TsdbtError(`${source}: \`warn\` can only be specified if \`error\` is one of ('all', '*') or ${DEPRECATIONS} is in \`error\` or silence.`, {
      code: 'warn-error-options-invalid',
      hint: `e.g. '{"error": "all", "warn": [${[...warn].map((w) => JSON.stringify(w)).join(', ')}]}', or leave the names out of both lists`,
    });
  }
  for (const name of [...error, ...warn, ...silence]) {
    if (VALID_EVENT_NAMES.has(name)) continue;
    const closest = closestName(name, VALID_EVENT_NAMES);
    throw new TsdbtError(`${source}: ${name} is not a valid dbt error name.`, {
      code: 'warn-error-options-invalid',
      hint: closest !== null ? `did you mean ${closest}?` : 'name events as dbt logs them (the "name" of a JSON log line, e.g. NoNodesForSelectionCriteria), or Deprecations for every deprecation',
    });
  }
  const foundInclude = map.include !== undefined;
  const foundExclude = map.exclude !== undefined;
  const deprecations = foundInclude || foundExclude ? [{ event: 'WEOIncludeExcludeDeprecation', message: weoIncludeExcludeMessage(foundInclude, foundExclude) }] : [];
  // dbt_common's rules: a name beats the Deprecations group, which beats all; silence beats warn beats error.
  const promotes = (event: string, exemptSchemaChecks: boolean) => {
    const namedElsewhere = warn.has(event) || silence.has(event);
    const deprecation = isDeprecation(event);
    const groupElsewhere = deprecation && (warn.has(DEPRECATIONS) || silence.has(DEPRECATIONS));
    if (error.has(event)) return !namedElsewhere;
    if (namedElsewhere || groupElsewhere || (exemptSchemaChecks && SCHEMA_CHECK_EVENTS.has(event))) return false;
    return all || (deprecation && error.has(DEPRECATIONS));
  };
  return {
    promotes: (event) => promotes(event, true),
    promotesWhereDbtValidates: (event) => promotes(event, false),
    silenced: (event) => silence.has(event) || (isDeprecation(event) && silence.has(DEPRECATIONS) && !error.has(event) && !warn.has(event)),
    deprecations,
  };
}

function pyTruthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null && value !== '' && value !== false;
}

/** dbt's WEOIncludeExcludeDeprecation text. */
function weoIncludeExcludeMessage(foundInclude: boolean, foundExclude: boolean): string {
  const keys = [...(foundInclude ? ['`include`'] : []), ...(foundExclude ? ['`exclude`'] : [])];
  return [
    `Found ${keys.join(' and ')} in \`warn_error_options\` specification.`,
    ...(foundInclude ? ['Please use `error` instead of `include`.'] : []),
    ...(foundExclude ? ['Please use `warn` instead of `exclude`.'] : []),
  ].join(' ');
}

export function truthyEnv(value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  return !['0', 'false', 'no', 'off'].includes(value.trim().toLowerCase());
}

/**
 * The policy from the flags, else from TSDBT_WARN_ERROR(_OPTIONS) / DBT_WARN_ERROR(_OPTIONS);
 * undefined when neither sets one (dbt_project.yml's `flags:` may then, see projectWarnErrorPolicy).
 */
export function warnErrorPolicy(flags: { warnError?: boolean; warnErrorOptions?: string }, env: NodeJS.ProcessEnv): WarnErrorPolicy | undefined {
  const warnError = flags.warnError ?? truthyEnv(env.TSDBT_WARN_ERROR ?? env.DBT_WARN_ERROR);
  const optionsText = flags.warnErrorOptions ?? env.TSDBT_WARN_ERROR_OPTIONS ?? env.DBT_WARN_ERROR_OPTIONS;
  if (warnError && optionsText !== undefined && optionsText.trim() !== '') {
    throw new TsdbtError('--warn-error and --warn-error-options cannot be used together', {
      code: 'warn-error-exclusive',
      hint: `use --warn-error-options '{"error": "all", ...}' to make every warning an error with exceptions`,
    });
  }
  if (warnError) return WARN_ERROR_ALL;
  if (optionsText !== undefined) return parseWarnErrorOptions(optionsText, flags.warnErrorOptions !== undefined ? '--warn-error-options' : 'DBT_WARN_ERROR_OPTIONS');
  if (warnError === false) return NO_WARN_ERROR;
  return undefined;
}

/** dbt_project.yml's `flags: {warn_error: true}` or `flags: {warn_error_options: {error: [...], ...}}`. */
export function projectWarnErrorPolicy(flags: Record<string, unknown>): WarnErrorPolicy | undefined {
  const options = flags.warn_error_options;
  const source = 'dbt_project.yml flags.warn_error_options';
  if (flags.warn_error === true && options !== undefined && options !== null) {
    throw new TsdbtError('dbt_project.yml: flags.warn_error and flags.warn_error_options cannot be used together', {
      code: 'warn-error-exclusive',
      hint: 'keep warn_error_options with error: all, and list exceptions under warn',
    });
  }
  if (flags.warn_error === true) return WARN_ERROR_ALL;
  if (options !== undefined && options !== null) return parseWarnErrorOptions(typeof options === 'string' ? options : JSON.stringify(options), source);
  return undefined;
}

