// ClickHouse's DialectRules: its type names (`Nullable(...)` / `LowCardinality(...)` wrappers,
// `Int8`..`UInt256`, `Float32`, `Decimal64`, `Date32`, `DateTime64`, `Array` / `Map` / `Tuple`)
// and the error codes of a refused value, over the standard rules (../default-rules.ts).
import type { AgateTypeName } from '../adapter.js';
import { CLICKHOUSE_COLUMN_TYPES } from './clickhouse-column.js';
import { databaseErrorCode, dialectRules, standardAgateType } from '../default-rules.js';

/** Strips `Nullable(...)` / `LowCardinality(...)` wrappers (the type comes lower-cased). */
function baseType(type: string): string {
  let t = type;
  for (;;) {
    const m = /^(?:nullable|lowcardinality)\((.*)\)$/.exec(t);
    if (!m || m[1] === undefined) return t;
    t = m[1].trim();
  }
}

function agateType(type: string): AgateTypeName {
  const t = baseType(type);
  if (/^(?:array|map|tuple|nested|json|object)\b/.test(t)) return 'Text';
  if (/^u?int(?:8|16|32|64|128|256)(?![a-z0-9_ ])/.test(t)) return 'Integer';
  if (/^(?:decimal(?:32|64|128|256)|float(?:32|64)|bfloat16)(?![a-z0-9_])/.test(t)) return 'Number';
  if (t === 'date32') return 'Date';
  if (/^datetime64\b/.test(t)) return 'DateTime';
  return standardAgateType(t);
}

/**
 * ClickHouse's codes for a value it cannot store or read: CANNOT_PARSE_TEXT (6),
 * CANNOT_PARSE_QUOTED_STRING (26), CANNOT_PARSE_INPUT_ASSERTION_FAILED (27), CANNOT_PARSE_DATE (38),
 * CANNOT_PARSE_DATETIME (41), TYPE_MISMATCH (53), ARGUMENT_OUT_OF_BOUND (69), CANNOT_CONVERT_TYPE
 * (70), CANNOT_PARSE_NUMBER (72), INCORRECT_DATA (117).
 */
const DATA_ERROR_CODES = new Set(['6', '26', '27', '38', '41', '53', '69', '70', '72', '117']);

export const clickhouseRules = dialectRules({
  // dbt-clickhouse's ClickHouseColumn (clickhouse-column.ts).
  columnTypes: CLICKHOUSE_COLUMN_TYPES,
  agateType,
  // dbt-clickhouse's get_catalog_results_sql: `if(engine not in ('MaterializedView', 'View'), 'table', 'view')`.
  catalogTableType: (type) => (type === 'view' || type === 'materialized_view' ? 'view' : 'table'),
  isDataError: (err) => {
    const code = /^clickhouse-(\d+)$/.exec(databaseErrorCode(err) ?? '');
    return code !== null && DATA_ERROR_CODES.has(code[1] as string);
  },
});
