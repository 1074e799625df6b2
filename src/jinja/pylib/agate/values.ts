// Query results as templates see them: agate type names from the warehouse's type names (or the
// values), and driver values (bigint, Date, decimal text, JSON) converted to template values.
import { pyJson } from '../../engine/index.js';
import { PyDatetime } from '../datetime/index.js';
import { dateWithFraction } from '../../../time/micro-date.js';
import type { AgateTypeName, DialectRules } from '../../../adapters/adapter.js';

/** agate's type names (`Integer` is dbt's addition for integral columns). */
export type { AgateTypeName };

/** How a dialect's type names read as agate types (DialectRules, from the adapter). */
export type AgateTypeRules = Pick<DialectRules, 'agateType' | 'timeZoneAware'>;

// ---- Types and values from query results ----

/** The agate type of a column from the warehouse's type name, as its dialect reads it; null when there is none. */
export function agateTypeOf(dataType: string | null | undefined, rules: AgateTypeRules): AgateTypeName | null {
  if (dataType === null || dataType === undefined || dataType.trim() === '') return null;
  return rules.agateType(dataType);
}

function isContainer(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !(v instanceof Date) && !(v instanceof PyDatetime) && !(v instanceof Uint8Array);
}

/** The agate type of a column with no type name, from its values (as agate's type tester does). */
export function inferType(values: readonly unknown[]): AgateTypeName {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length === 0) return 'Text';
  if (present.every((v) => typeof v === 'boolean')) return 'Boolean';
  if (present.every((v) => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v)))) return 'Integer';
  if (present.every((v) => typeof v === 'bigint' || typeof v === 'number')) return 'Number';
  if (present.every((v) => v instanceof Date || v instanceof PyDatetime)) return 'DateTime';
  return 'Text';
}

/** `sign digits e exponent` with no leading or trailing zeros: equal for equal decimal values. */
function canonicalDecimal(text: string): string | null {
  const m = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return null;
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  if (int === '' && frac === '') return null;
  let digits = (int + frac).replace(/^0+/, '');
  if (digits === '') return '0';
  let exp = Number(m[4] ?? 0) - frac.length;
  const trailing = /0+$/.exec(digits);
  if (trailing) {
    exp += trailing[0].length;
    digits = digits.slice(0, -trailing[0].length);
  }
  return `${m[1] === '-' ? '-' : ''}${digits}e${exp}`;
}

/** A decimal string as a number when the number has exactly its value; else the string. */
export function decimalToNumber(text: string): number | string {
  const s = text.trim();
  const special = s.toLowerCase().replace(/^\+/, '');
  if (special === 'nan' || special === '-nan') return NaN;
  if (special === 'infinity' || special === 'inf') return Infinity;
  if (special === '-infinity' || special === '-inf') return -Infinity;
  const canonical = canonicalDecimal(s);
  if (canonical === null) return text;
  const n = Number(s);
  return Number.isFinite(n) && canonicalDecimal(String(n)) === canonical ? n : text;
}

const DATETIME_TEXT = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(\.\d+)?$/;

/** A cell as templates see it. */
export function cellValue(value: unknown, type: AgateTypeName, aware: boolean): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return new PyDatetime(value, aware ? 'UTC' : null);
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : String(value);
  if (typeof value === 'string') {
    if (type === 'Number' || type === 'Integer') return decimalToNumber(value);
    if (type === 'DateTime') {
      const m = DATETIME_TEXT.exec(value);
      if (m) {
        const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
        date.setUTCFullYear(Number(m[1]));
        return new PyDatetime(dateWithFraction(date.getTime(), m[7]), aware ? 'UTC' : null);
      }
    }
    return value;
  }
  if (isContainer(value)) {
    try {
      return pyJson(value);
    } catch {
      return String(value);
    }
  }
  return value;
}
