// agate's data types as templates see them: `column.data_type` and `table.column_types` are
// DataType objects, not names, with agate's serialising methods (dbt-profiler's print_profile_schema
// writes each cell with `column.data_type.jsonify(value)`). What each does is agate's
// (agate/data_types/*.py) and dbt's `Integer` (dbt.clients.agate_helper): `jsonify` gives None for
// None, a float for Number, the value itself for Boolean and Integer, `isoformat()` for Date and
// DateTime, and the text (`str(d)`) for the rest; `csvify` is the text, `isoformat()` for dates.
// One object per type, so `a.data_type == b.data_type` holds for columns of one type; it renders as
// its type's name (agate's repr is `<agate.data_types.number.Number object at 0x...>`).
import { PyFloat, pyStr } from '../../engine/index.js';
import type { AgateTypeName } from './values.js';

/** agate's `DEFAULT_NULL_VALUES`: the texts a type reads as None. */
const NULL_VALUES = Object.freeze(['', 'na', 'n/a', 'none', 'null', '.']);

function isoformat(d: unknown): unknown {
  const format = (d as { isoformat?: unknown } | null)?.isoformat;
  return typeof format === 'function' ? (format as () => unknown).call(d) : pyStr(d);
}

/** One agate data type: its name and agate's serialising methods. */
export class DataType {
  readonly null_values: readonly string[] = NULL_VALUES;

  constructor(readonly typeName: AgateTypeName) {
    Object.freeze(this);
  }

  /** The value for JSON, as agate's `DataType.jsonify(d)`. */
  jsonify(d: unknown): unknown {
    if (d === null || d === undefined) return null;
    switch (this.typeName) {
      case 'Number':
        return new PyFloat(Number(d));
      case 'Boolean':
      case 'Integer':
        return d;
      case 'Date':
      case 'DateTime':
        return isoformat(d);
      default:
        return pyStr(d);
    }
  }

  /** The value for CSV, as agate's `DataType.csvify(d)`. */
  csvify(d: unknown): unknown {
    if (d === null || d === undefined) return null;
    return this.typeName === 'Date' || this.typeName === 'DateTime' ? isoformat(d) : pyStr(d);
  }

  toString(): string {
    return this.typeName;
  }

  toJSON(): string {
    return this.typeName;
  }
}

const TYPES: Readonly<Record<AgateTypeName, DataType>> = Object.freeze({
  Text: new DataType('Text'),
  Number: new DataType('Number'),
  Integer: new DataType('Integer'),
  Boolean: new DataType('Boolean'),
  Date: new DataType('Date'),
  DateTime: new DataType('DateTime'),
  TimeDelta: new DataType('TimeDelta'),
});

/** The DataType of a type name (one object per name). */
export function dataType(name: AgateTypeName): DataType {
  return TYPES[name];
}
