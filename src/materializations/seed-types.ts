// A seed column's type, inferred as dbt infers it (dbt_common's agate_helper.build_type_tester): a
// type is a candidate while every value of the column casts to it, and the first candidate left in
// agate's order wins: number (split here into integer, bigint and float), date, datetime, ISO 8601
// datetime, boolean, text. The casts are the ones agate runs:
// - date: `strptime('%Y-%m-%d')`, so `2024-1-5` is a date and the day must exist;
// - datetime: `strptime('%Y-%m-%d %H:%M:%S')`: one-digit hours pass (`2022-02-01 2:20:52`), a
//   fraction of a second or a missing second does not;
// - ISO datetime: `isodate.parse_datetime`: a `T` between date and time, optional fraction and zone.
// So `2022-09-19 05:50:07.000000` is text in dbt (neither cast takes it), and a column mixing dates
// and datetimes, or the two datetime spellings, is text too.
// - number: agate's Number cast (locale en_US) strips `%` and currency signs around the value and
//   drops group commas, so `38,148`, `$1,200.50`, `-$3` and `45%` are numbers, loaded as the
//   number they parse to (38148, 1200.50, -3, 45), not as written.
import type { LogicalType } from '../adapters/adapter.js';

const INTEGER = /^[-+]?\d+$/;
const FLOAT = /^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/;
const BOOLEAN = /^(true|false)$/i;
// agate's DEFAULT_CURRENCY_SYMBOLS, stripped from both ends in this order.
const CURRENCY_SYMBOLS = ['؋', '$', 'ƒ', '៛', '¥', '₡', '₱', '£', '€', '¢', '﷼', '₪', '₩', '₭', '₮', '₦', '฿', '₤', '₫'];
const INT32_MAX = 2147483647;

// Python's strptime field patterns (_strptime.TimeRE): %Y %m %d %H %M %S; a space matches `\s+`.
const Y = '(\\d{4})';
const M = '(1[0-2]|0[1-9]|[1-9])';
const D = '(3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])';
const STRP_DATE = new RegExp(`^${Y}-${M}-${D}$`);
const STRP_DATETIME = new RegExp(`^${Y}-${M}-${D}\\s+(2[0-3]|[0-1]\\d|\\d):([0-5]\\d|\\d):([0-5]\\d|\\d)$`);
// isodate.parse_datetime: `<date>T<time>`, the date extended or basic, the time hh[:mm[:ss]] or
// hh[mm[ss]], a fraction on its last part, then Z or an offset.
const ISO_DATETIME =
  /^(\d{4})-?(\d{2})-?(\d{2})T\d{2}(:\d{2}(:\d{2})?|\d{2}(\d{2})?)?([.,]\d+)?(Z|[+-]\d{2}(:?\d{2})?)?$/;

/** The inference's candidates, in agate's order; the two datetimes both load as `timestamp`. */
type Candidate = 'integer' | 'bigint' | 'float' | 'date' | 'datetime' | 'isodatetime' | 'boolean' | 'text';
const ORDER: readonly Candidate[] = ['integer', 'bigint', 'float', 'date', 'datetime', 'isodatetime', 'boolean', 'text'];
const LOADED_AS: Record<Candidate, LogicalType> = {
  integer: 'integer',
  bigint: 'bigint',
  float: 'float',
  date: 'date',
  datetime: 'timestamp',
  isodatetime: 'timestamp',
  boolean: 'boolean',
  text: 'text',
};

/** True when year-month-day names a day of the calendar (strptime refuses 2023-02-30). */
function realDay(year: string, month: string, day: string): boolean {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day.trim());
  const date = new Date(Date.UTC(2000, m - 1, d));
  date.setUTCFullYear(y);
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Python's `str.strip(chars)`: every leading and trailing character found in `chars`. */
function stripChars(value: string, chars: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && chars.includes(value[start] as string)) start++;
  while (end > start && chars.includes(value[end - 1] as string)) end--;
  return value.slice(start, end);
}

/**
 * The number agate's Number cast reads in a stripped value, as plain decimal text (`-$1,200.50` ->
 * `-1200.50`), or null when it reads none. Infinity and NaN, which Python's Decimal also takes, are
 * left to text here.
 */
export function agateNumber(value: string): string | null {
  let d = stripChars(value, '%');
  let negative = false;
  if (d.startsWith('-')) {
    d = d.slice(1);
    negative = true;
  }
  for (const symbol of CURRENCY_SYMBOLS) d = stripChars(d, symbol);
  d = d.replaceAll(',', '').trim().replace(/(?<=\d)_(?=\d)/g, '');
  if (!FLOAT.test(d)) return null;
  if (!negative) return d;
  return d.startsWith('-') ? d.slice(1) : `-${d.replace(/^\+/, '')}`;
}

function casts(type: Candidate, value: string, number: string | null): boolean {
  switch (type) {
    case 'integer':
      return number !== null && INTEGER.test(number) && Math.abs(Number(number)) <= INT32_MAX;
    case 'bigint':
      return number !== null && INTEGER.test(number) && number.replace(/^[-+]/, '').length <= 18;
    case 'float':
      return number !== null;
    case 'date': {
      const m = STRP_DATE.exec(value);
      return m !== null && realDay(m[1] as string, m[2] as string, m[3] as string);
    }
    case 'datetime': {
      const m = STRP_DATETIME.exec(value);
      return m !== null && realDay(m[1] as string, m[2] as string, m[3] as string);
    }
    case 'isodatetime': {
      const m = ISO_DATETIME.exec(value);
      return m !== null && realDay(m[1] as string, m[2] as string, m[3] as string);
    }
    case 'boolean':
      return BOOLEAN.test(value);
    case 'text':
      return true;
  }
}

/** The candidates of one column, narrowed value by value. */
export class SeedTypeTester {
  private candidates: Candidate[] | null = null;
  private formatted = false;

  /** Narrows by one non-null value (agate casts the value stripped). */
  see(raw: string): void {
    const value = raw.trim();
    const number = agateNumber(value);
    if (number !== null && number !== value) this.formatted = true;
    this.candidates = (this.candidates ?? ORDER).filter((type) => casts(type, value, number));
  }

  /** Whether the column is a number some of whose values are written otherwise than plainly (`38,148`). */
  formattedNumbers(): boolean {
    const first = this.candidates?.[0];
    return this.formatted && (first === 'integer' || first === 'bigint' || first === 'float');
  }

  /** The type to load the column as; `allNull` when no value was seen. */
  type(allNull: LogicalType): LogicalType {
    const first = this.candidates?.[0];
    return first === undefined ? allNull : LOADED_AS[first];
  }

  /** Whether the column is a timestamp read as ISO 8601 (`T`, maybe a fraction or zone). */
  isoTimestamp(): boolean {
    return this.candidates?.[0] === 'isodatetime';
  }
}
