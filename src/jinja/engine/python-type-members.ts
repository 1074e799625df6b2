// The public members Python's builtin types have (CPython 3.12, `[n for n in dir(str) if not
// n.startswith('_')]` and so on). A template reading one of these names of a str, list, dict,
// set, int, float or bool (None has none) that tsdbt's tables do not serve has hit a gap in tsdbt, not a mistake
// of the project: dbt would have found the method, so the parse render must not let the name
// pass as dbt's parse-time Undefined would (see member.ts `noAttr`).
import { isPlainObject, isTuple } from './values.js';

const words = (s: string): ReadonlySet<string> => new Set(s.split(/\s+/).filter(Boolean));

const STR = words(`capitalize casefold center count encode endswith expandtabs find format format_map index
  isalnum isalpha isascii isdecimal isdigit isidentifier islower isnumeric isprintable isspace istitle isupper
  join ljust lower lstrip maketrans partition removeprefix removesuffix replace rfind rindex rjust rpartition
  rsplit rstrip split splitlines startswith strip swapcase title translate upper zfill`);
const LIST = words('append clear copy count extend index insert pop remove reverse sort');
const TUPLE = words('count index');
const DICT = words('clear copy fromkeys get items keys pop popitem setdefault update values');
const SET = words(`add clear copy difference difference_update discard intersection intersection_update
  isdisjoint issubset issuperset pop remove symmetric_difference symmetric_difference_update union update`);
const INT = words('as_integer_ratio bit_count bit_length conjugate denominator from_bytes imag is_integer numerator real to_bytes');
const FLOAT = words('as_integer_ratio conjugate fromhex hex imag is_integer real');

function membersOf(obj: unknown): ReadonlySet<string> | undefined {
  if (typeof obj === 'string') return STR;
  if (typeof obj === 'boolean') return INT;
  if (typeof obj === 'number') return Number.isInteger(obj) ? INT : FLOAT;
  if (Array.isArray(obj)) return isTuple(obj) ? TUPLE : LIST;
  if (obj instanceof Set) return SET;
  if (isPlainObject(obj)) return DICT;
  return undefined;
}

/** True when Python's type of `obj` (a str, list, tuple, dict, set, int, float or bool) has a member `name`. */
export function pythonTypeHas(obj: unknown, name: string): boolean {
  return membersOf(obj)?.has(name) ?? false;
}
