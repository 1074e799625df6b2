// Normalises every form dbt accepts for a test in a property file into a TestDef, as dbt 1.10's
// TestBuilder does (generic_test_builders.py, with require_generic_test_arguments_property on):
//   - unique                                   - not_null: {config: {severity: warn}}
//   - accepted_values: {values: [...]}         - accepted_values: {arguments: {values: [...]}, config: {...}}
//   - relationships: {to: ref('x'), field: id} - {name: custom, test_name: accepted_values, values: [...]}
// The keys under `arguments:` are merged over the top-level ones; then `name`, `description`,
// `config` and dbt's config keys (`where`, `severity`, ...) are taken out wherever they were
// written, and what is left are the keyword arguments of the test macro.
import { TsdbtError, type SourceLocation } from '../errors/tsdbt-error.js';
import { isPlainObject } from '../config/yaml-file.js';
import type { TestDef } from './types.js';

/** dbt's TestBuilder.CONFIG_ARGS: keys that configure a test when written beside its arguments. */
export const TEST_CONFIG_KEYS = [
  'severity', 'tags', 'enabled', 'where', 'limit', 'warn_if', 'error_if', 'fail_calc', 'store_failures',
  'store_failures_as', 'meta', 'database', 'schema', 'alias',
] as const;

export function parseTestEntry(entry: unknown, location: SourceLocation): TestDef {
  if (typeof entry === 'string') return { testName: entry, args: {}, config: {}, customName: null, description: '', location };
  if (!isPlainObject(entry)) {
    throw new TsdbtError('a test must be a name or a mapping', {
      code: 'schema-invalid',
      location,
      hint: "write `- unique` or `- accepted_values: {values: ['a', 'b']}`",
    });
  }
  const { testName, body } = testNameAndBody(entry, location);
  const topLevelArguments = hasTopLevelArguments(body);
  const argumentsProperty = 'arguments' in body ? { argumentsProperty: body.arguments } : {};
  const movedConfigKeys = Object.keys(body).filter((key) => (TEST_CONFIG_KEYS as readonly string[]).includes(key));
  const args = mergeArguments(body);
  const config = takeConfig(testName, args, location);
  const description = args.description ?? '';
  delete args.description;
  const customName = args.name ?? null;
  delete args.name;
  if (customName !== null && typeof customName !== 'string') {
    throw new TsdbtError(`the name of test '${testName}' must be a string`, { code: 'schema-invalid', location, hint: `e.g. name: ${testName}_my_model` });
  }
  if ('model' in args) {
    throw new TsdbtError(`test '${testName}' has an argument named 'model'`, {
      code: 'schema-invalid',
      location,
      hint: 'dbt passes `model` itself (the resource the test is attached to): rename the argument',
    });
  }
  return { testName, args, config, customName, description: typeof description === 'string' ? description : String(description), topLevelArguments, ...argumentsProperty, ...(movedConfigKeys.length > 0 ? { movedConfigKeys } : {}), location };
}

/**
 * dbt 1.10's MissingArgumentsPropertyInGenericTestDeprecation: no (or an empty) `arguments:` and
 * some key other than config, column_name, description, name and the config keys (which are
 * PropertyMovedToConfigDeprecation instead) beside the test name.
 */
function hasTopLevelArguments(body: Record<string, unknown>): boolean {
  // dbt's `if not arguments`: any non-empty value (a mapping, or one it then drops) is given.
  const nested = body.arguments;
  const empty = nested === undefined || nested === null || nested === false || nested === 0 || nested === '' || (Array.isArray(nested) && nested.length === 0) || (isPlainObject(nested) && Object.keys(nested).length === 0);
  if (!empty) return false;
  const notArguments: readonly string[] = ['arguments', 'config', 'column_name', 'description', 'name', ...TEST_CONFIG_KEYS];
  return Object.keys(body).some((key) => !notArguments.includes(key));
}

/** `- name_of_test: {...}` or `- {test_name: name_of_test, ...}`. */
function testNameAndBody(entry: Record<string, unknown>, location: SourceLocation): { testName: string; body: Record<string, unknown> } {
  if ('test_name' in entry) {
    const body = { ...entry };
    delete body.test_name;
    if (typeof entry.test_name !== 'string') throw new TsdbtError('test_name must be a string', { code: 'schema-invalid', location, hint: 'e.g. test_name: accepted_values' });
    return { testName: entry.test_name, body };
  }
  const keys = Object.keys(entry);
  if (keys.length !== 1) {
    throw new TsdbtError(`a test entry must have exactly one key (the test's name), found: ${keys.join(', ')}`, {
      code: 'schema-invalid',
      location,
      hint: 'indent the arguments under the test name, e.g. `- accepted_values:` then `arguments: {values: [...]}` on the next lines',
    });
  }
  const testName = keys[0] as string;
  const value = entry[testName];
  if (value !== null && value !== undefined && !isPlainObject(value)) {
    throw new TsdbtError(`the arguments of test '${testName}' must be a mapping`, { code: 'schema-invalid', location, hint: `e.g. - ${testName}: {config: {severity: warn}}` });
  }
  return { testName, body: { ...((value as Record<string, unknown> | null) ?? {}) } };
}

/**
 * dbt 1.10: `arguments:` holds the keyword arguments; they are merged over the top-level keys.
 * One that is not a mapping (`arguments: my_arguments`) is dropped, as dbt's TestBuilder pops it
 * and merges it only when it is a dict.
 */
function mergeArguments(body: Record<string, unknown>): Record<string, unknown> {
  if (!('arguments' in body)) return body;
  const { arguments: nested, ...rest } = body;
  if (!isPlainObject(nested)) return rest;
  return { ...rest, ...nested };
}

/**
 * dbt's _process_legacy_args, then `config:`: a config key written beside the arguments (or
 * under `arguments:`) is config, and `config:` wins over it. The same key set in both places
 * (both non-empty) is an error, as in dbt. The keys come in dbt's order (the test's raw_code
 * writes them): dbt's config keys first, in TEST_CONFIG_KEYS' order, wherever each was written,
 * then the rest of `config:` in the file's order.
 */
function takeConfig(testName: string, args: Record<string, unknown>, location: SourceLocation): Record<string, unknown> {
  const nested = args.config;
  delete args.config;
  if (nested !== undefined && nested !== null && !isPlainObject(nested)) {
    throw new TsdbtError(`the config of test '${testName}' must be a mapping`, { code: 'schema-invalid', location, hint: `e.g. - ${testName}: {config: {severity: warn}}` });
  }
  const inConfig: Record<string, unknown> = { ...(nested ?? {}) };
  const config: Record<string, unknown> = {};
  for (const key of TEST_CONFIG_KEYS) {
    const beside = args[key];
    delete args[key];
    const under = inConfig[key];
    delete inConfig[key];
    if (beside && under !== undefined && under !== null) {
      // dbt's SameKeyNestedError words first
      throw new TsdbtError(`Test cannot have the same key at the top-level and in config: test '${testName}' sets '${key}' both beside its arguments and under config:`, {
        code: 'schema-invalid',
        location,
        hint: `keep one: dbt reads \`config: {${key}: ...}\``,
      });
    }
    // dbt takes `config:`'s value when the one beside is empty, and drops an empty `enabled: false`
    // beside a `config:`; tsdbt keeps it, as its author meant.
    const value = under !== undefined && under !== null ? under : beside;
    if (value !== null && value !== undefined) config[key] = value;
  }
  for (const [key, value] of Object.entries(inConfig)) if (value !== null && value !== undefined) config[key] = value;
  return config;
}
