// A data test's summary row (failures, should_warn, should_error) read as dbt's TestRunner reads it
// (task/test.py execute_data_test): exactly one row of three columns, then TestResultData.validate:
// `failures` must be an integer (agate hands numerics over as floats, so a whole float passes, as in
// jsonschema's Draft 7), should_warn / should_error become booleans (strtobool for text).
import { TsdbtError, type SourceLocation } from '../errors/tsdbt-error.js';
import type { ManifestNode } from '../manifest/types.js';

export interface TestSummary {
  failures: number;
  status: 'pass' | 'warn' | 'fail';
}

/** The test's status from its summary query's columns and rows, as dbt computes it. */
export function testSummaryOutcome(names: readonly string[], rows: readonly (readonly unknown[])[], node: ManifestNode, location?: SourceLocation): TestSummary {
  if (rows.length !== 1) throw internal(node, `Returned ${rows.length} rows, but expected 1 row`, location);
  if (names.length !== 3) throw internal(node, `Returned ${names.length} columns, but expected 3 columns`, location);
  const values = rows[0] ?? [];
  const result = Object.fromEntries(names.map((n, i) => [n.toLowerCase(), values[i]]));
  const failures = testResultFailures(result.failures, node, location);
  const shouldWarn = testResultBool(result.should_warn);
  const shouldError = testResultBool(result.should_error);
  const severity = String(node.config.severity ?? 'error').toUpperCase();
  // dbt's build_test_run_result: a passing test reports 0 failures, however many rows it found.
  if (severity === 'ERROR' && shouldError) return { failures, status: 'fail' };
  if (shouldWarn) return { failures, status: 'warn' };
  return { failures: 0, status: 'pass' };
}

/**
 * dbt's TestResultData `failures: int`: a NULL (a `fail_calc` such as `sum(...)` over no failing
 * rows), a fraction or text fails the test with jsonschema's "None is not of type 'integer'".
 */
export function testResultFailures(value: unknown, node: ManifestNode, location?: SourceLocation): number {
  const number = typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (typeof value !== 'boolean' && Number.isInteger(number)) return number;
  const failCalc = String(node.config.fail_calc ?? 'count(*)');
  throw new TsdbtError(`${pythonRepr(value)} is not of type 'integer'\n\nFailed validating 'type' in schema['properties']['failures']`, {
    code: 'test-failures-not-integer',
    location,
    hint:
      value === null || value === undefined
        ? `the test's fail_calc (${failCalc}) returned NULL; an aggregate such as sum() is NULL over no rows, so wrap it: coalesce(${failCalc}, 0)`
        : `the test's fail_calc (${failCalc}) must return a whole number of failures`,
  });
}

/**
 * dbt's TestResultData.convert_bool_type for should_warn / should_error: text as Python's strtobool
 * reads it (anything else is dbt's BooleanError), any other value as Python's bool().
 */
export function testResultBool(value: unknown): boolean {
  if (typeof value !== 'string') return Boolean(value);
  const text = value.toLowerCase();
  if (['y', 'yes', 't', 'true', 'on', '1'].includes(text)) return true;
  if (['n', 'no', 'f', 'false', 'off', '0'].includes(text)) return false;
  throw new TsdbtError(`Macro 'get_test_sql' returns '${value}'.  It is not type 'bool' and cannot not be converted reliably to a bool.`, {
    code: 'test-result-not-boolean',
    hint: "return should_warn and should_error as booleans (or 'true'/'false', 1/0) from the test's summary query",
  });
}

function internal(node: ManifestNode, what: string, location?: SourceLocation): TsdbtError {
  return new TsdbtError(`dbt internally failed to execute ${node.unique_id}: ${what}`, {
    code: 'materialization-return',
    location,
    hint: "the test's summary query (statement('main') of a test materialization, or get_test_sql) must return one row: failures, should_warn, should_error",
  });
}

/** How Python prints the value jsonschema rejected: None, True, 'text', 2.5. */
function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return Number.isFinite(Number(value)) && value.trim() !== '' ? String(Number(value)) : `'${value}'`;
  return String(value);
}
