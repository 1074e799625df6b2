// Normalises every form dbt accepts for a test in a property file into a TestDef:
//   - unique                                   - not_null: {config: {severity: warn}}
//   - accepted_values: {values: [...]}         - accepted_values: {arguments: {values: [...]}, config: {...}}
//   - relationships: {to: ref('x'), field: id} - {name: custom, test_name: accepted_values, values: [...]}
import { TsdbtError, type SourceLocation } from '../errors/tsdbt-error.js';
import { isPlainObject } from '../config/yaml-file.js';
import type { TestDef } from './types.js';

/** Keys that configure a test rather than pass it an argument (dbt accepts them beside the args). */
const TEST_CONFIG_KEYS = new Set([
  'severity', 'where', 'error_if', 'warn_if', 'tags', 'enabled', 'store_failures', 'store_failures_as',
  'limit', 'fail_calc', 'meta', 'alias', 'schema', 'database',
]);

export function parseTestEntry(entry: unknown, location: SourceLocation): TestDef {
  if (typeof entry === 'string') return { testName: entry, args: {}, config: {}, location };
  if (!isPlainObject(entry)) {
    throw new TsdbtError('a test must be a name or a mapping', {
      code: 'schema-invalid',
      location,
      hint: "write `- unique` or `- accepted_values: {values: ['a', 'b']}`",
    });
  }
  let testName: string;
  let body: Record<string, unknown>;
  if (typeof entry.test_name === 'string') {
    testName = entry.test_name;
    body = { ...entry };
    delete body.test_name;
  } else {
    const keys = Object.keys(entry);
    if (keys.length !== 1) {
      throw new TsdbtError(`a test entry must have exactly one key (the test's name), found: ${keys.join(', ')}`, {
        code: 'schema-invalid',
        location,
        hint: 'indent the arguments under the test name, e.g. `- accepted_values:` then `values: [...]` on the next lines',
      });
    }
    testName = keys[0] as string;
    const value = entry[testName];
    if (value !== null && value !== undefined && !isPlainObject(value)) {
      throw new TsdbtError(`the arguments of test '${testName}' must be a mapping`, { code: 'schema-invalid', location, hint: `e.g. - ${testName}: {config: {severity: warn}}` });
    }
    body = { ...((value as Record<string, unknown> | null) ?? {}) };
  }
  const config: Record<string, unknown> = isPlainObject(body.config) ? { ...body.config } : {};
  delete body.config;
  const customName = typeof body.name === 'string' ? body.name : null;
  delete body.name;
  let args: Record<string, unknown> = {};
  if (isPlainObject(body.arguments)) {
    args = { ...body.arguments };
    delete body.arguments;
  }
  for (const [key, value] of Object.entries(body)) {
    if (TEST_CONFIG_KEYS.has(key)) config[key] = value;
    else args[key] = value;
  }
  return { testName, args, config, customName, location };
}
