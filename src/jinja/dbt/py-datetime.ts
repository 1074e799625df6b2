// Python's `datetime` module for templates: `date`, `time`, `datetime`, `timedelta`,
// `timezone` and the tzinfo protocol that pytz zones (py-pytz.ts) plug into. Where Python
// would use the machine's local zone (naive `now()`, `fromtimestamp()`, `astimezone()`),
// UTC is used. Arithmetic and comparisons are Python's data-model methods (`__add__`,
// `__sub__`, `__lt__`, `__eq__`...; `undefined` means NotImplemented) so the engine's
// operators can dispatch to them; `plus()`/`minus()` remain for TypeScript callers.
import { strRepr } from '../engine/py-repr.js';
import { PyFloat, makeFloat, renderError, tuple } from '../engine/values.js';
import { isKeywords } from './keywords.js';

// ---------------------------------------------------------------------------------------
// Calling convention helpers

/** Splits a template call's arguments into positional ones and the keyword object. */
export function splitArgs(args: unknown[]): [unknown[], Record<string, unknown>] {
  const last = args[args.length - 1];
  if (isKeywords(last)) {
    const { __keywords: _k, ...kw } = last;
    return [args.slice(0, -1), kw];
  }
  return [args, {}];
}

/** Binds a Python-style call to parameter names (missing ones are `undefined`; None is `null`). */
export function pyArgs(fn: string, args: unknown[], params: readonly string[], required = 0): Record<string, unknown> {
  const [pos, kw] = splitArgs(args);
  if (pos.length > params.length) {
    throw renderError(`${fn}() takes at most ${params.length} argument${params.length === 1 ? '' : 's'} (${pos.length} given)`);
  }
  const out: Record<string, unknown> = {};
  pos.forEach((v, i) => {
    out[params[i] as string] = v;
  });
  for (const k of Object.keys(kw)) {
    if (!params.includes(k)) throw renderError(`${fn}() got an unexpected keyword argument '${k}'`);
    if (out[k] !== undefined) throw renderError(`${fn}() got multiple values for argument '${k}'`);
    out[k] = kw[k];
  }
  for (let i = 0; i < required; i++) {
    if (out[params[i] as string] === undefined) {
      throw renderError(`${fn}() missing required argument '${params[i]}' (pos ${i + 1})`);
    }
  }
  return out;
}

function typeError(message: string): never {
  throw renderError(message);
}

function pyType(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'list';
  const name = (v as { constructor?: { name?: string } }).constructor?.name;
  return name && name !== 'Object' ? name : 'dict';
}

/** An integer argument (bool counts, like Python); `dflt` when missing or None is not allowed. */
function intArg(name: string, v: unknown, dflt?: number): number {
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (v instanceof PyFloat) typeError(`'float' object cannot be interpreted as an integer`);
  if (v === undefined) typeError(`missing required argument '${name}'`);
  return typeError(`'${pyType(v)}' object cannot be interpreted as an integer`);
}

function numArg(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Number) return v.valueOf();
  return typeError(`unsupported type for timedelta component: ${pyType(v)}`);
}

function tzArg(v: unknown): PyTzinfo | null {
  if (v === undefined || v === null) return null;
  if (v instanceof PyTzinfo) return v;
  return typeError(`tzinfo argument must be None or of a tzinfo subclass, not type '${pyType(v)}'`);
}

// ---------------------------------------------------------------------------------------
// Calendar arithmetic on "epoch days" (days since 1970-01-01) and microseconds of the day

const DAY_US = 86_400_000_000;
const BIG_DAY_US = 86_400_000_000n;
const ORDINAL_EPOCH = 719_163; // date(1970, 1, 1).toordinal()
const MIN_DAYS = -719_162; // 0001-01-01
const MAX_DAYS = 2_932_896; // 9999-12-31

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

const isLeap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Epoch days of a proleptic Gregorian date (years 0-99 included, unlike Date.UTC). */
function epochDays(y: number, m: number, d: number): number {
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  return Math.round(t.getTime() / 86_400_000);
}

function civil(days: number): { year: number; month: number; day: number } {
  const t = new Date(days * 86_400_000);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday). */
const weekdayOf = (days: number) => (((days + 3) % 7) + 7) % 7;

function isoCalendarOf(days: number): [number, number, number] {
  const wd = weekdayOf(days);
  const thursday = days - wd + 3;
  const isoYear = civil(thursday).year;
  const week = Math.floor((thursday - epochDays(isoYear, 1, 1)) / 7) + 1;
  return [isoYear, week, wd + 1];
}

function isoWeekStart(isoYear: number, week: number, isoWeekday: number): number {
  const jan4 = epochDays(isoYear, 1, 4);
  return jan4 - weekdayOf(jan4) + (week - 1) * 7 + (isoWeekday - 1);
}

function checkDate(year: number, month: number, day: number): void {
  if (year < 1 || year > 9999) throw renderError(`year ${year} is out of range`);
  if (month < 1 || month > 12) throw renderError('month must be in 1..12');
  if (day < 1 || day > daysInMonth(year, month)) throw renderError('day is out of range for month');
}

function checkTime(hour: number, minute: number, second: number, microsecond: number): void {
  if (hour < 0 || hour > 23) throw renderError('hour must be in 0..23');
  if (minute < 0 || minute > 59) throw renderError('minute must be in 0..59');
  if (second < 0 || second > 59) throw renderError('second must be in 0..59');
  if (microsecond < 0 || microsecond > 999_999) throw renderError('microsecond must be in 0..999999');
}

const floorDiv = (a: bigint, b: bigint) => (a / b) - ((a % b !== 0n && (a < 0n) !== (b < 0n)) ? 1n : 0n);

/** Splits total microseconds into epoch days and microseconds of the day. */
function splitUs(total: bigint): [number, number] {
  const days = floorDiv(total, BIG_DAY_US);
  return [Number(days), Number(total - days * BIG_DAY_US)];
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** `+HH:MM[:SS[.ffffff]]` (or `+HHMM[SS]` without separator) for an offset in microseconds. */
function formatOffset(offsetUs: number, sep: string): string {
  const sign = offsetUs < 0 ? '-' : '+';
  let rest = Math.abs(offsetUs);
  const hh = Math.floor(rest / 3_600_000_000);
  rest -= hh * 3_600_000_000;
  const mm = Math.floor(rest / 60_000_000);
  rest -= mm * 60_000_000;
  const ss = Math.floor(rest / 1_000_000);
  const us = rest - ss * 1_000_000;
  let out = `${sign}${pad(hh)}${sep}${pad(mm)}`;
  if (ss || us) out += `${sep}${pad(ss)}`;
  if (us) out += `.${pad(us, 6)}`;
  return out;
}

// ---------------------------------------------------------------------------------------
// strftime / strptime

interface Moment {
  days: number;
  us: number;
  /** UTC offset in microseconds, or null for naive values. */
  offsetUs: number | null;
  tzname: string | null;
}

function strftime(t: Moment, format: string): string {
  const { year, month, day } = civil(t.days);
  const hour = Math.floor(t.us / 3_600_000_000);
  const minute = Math.floor(t.us / 60_000_000) % 60;
  const second = Math.floor(t.us / 1_000_000) % 60;
  const micro = t.us % 1_000_000;
  const wd = weekdayOf(t.days);
  const yday = t.days - epochDays(year, 1, 1);
  const iso = () => isoCalendarOf(t.days);
  const num = (n: number, width: number, flag: string) =>
    flag === '-' ? String(n) : flag === '_' ? String(n).padStart(width, ' ') : pad(n, width);
  const one = (code: string, flag: string): string => {
    switch (code) {
      case 'a': return (DAY_NAMES[wd] as string).slice(0, 3);
      case 'A': return DAY_NAMES[wd] as string;
      case 'w': return String((wd + 1) % 7);
      case 'u': return String(wd + 1);
      case 'd': return num(day, 2, flag);
      case 'e': return num(day, 2, flag || '_');
      case 'b': case 'h': return (MONTH_NAMES[month - 1] as string).slice(0, 3);
      case 'B': return MONTH_NAMES[month - 1] as string;
      case 'm': return num(month, 2, flag);
      case 'y': return num(year % 100, 2, flag);
      case 'Y': return String(year);
      case 'C': return num(Math.floor(year / 100), 2, flag);
      case 'G': return String(iso()[0]);
      case 'g': return num(iso()[0] % 100, 2, flag);
      case 'V': return num(iso()[1], 2, flag);
      case 'H': return num(hour, 2, flag);
      case 'k': return num(hour, 2, flag || '_');
      case 'I': return num(((hour + 11) % 12) + 1, 2, flag);
      case 'l': return num(((hour + 11) % 12) + 1, 2, flag || '_');
      case 'p': return hour < 12 ? 'AM' : 'PM';
      case 'P': return hour < 12 ? 'am' : 'pm';
      case 'M': return num(minute, 2, flag);
      case 'S': return num(second, 2, flag);
      case 'f': return pad(micro, 6);
      case 'j': return num(yday + 1, 3, flag);
      case 'U': return num(Math.floor((yday + 7 - ((wd + 1) % 7)) / 7), 2, flag);
      case 'W': return num(Math.floor((yday + 7 - wd) / 7), 2, flag);
      case 'z': return t.offsetUs === null ? '' : formatOffset(t.offsetUs, '');
      case ':z': return t.offsetUs === null ? '' : formatOffset(t.offsetUs, ':');
      case 'Z': return t.tzname ?? '';
      case 's': {
        const epochUs = t.days * DAY_US + t.us - (t.offsetUs ?? 0);
        return String(Math.floor(epochUs / 1_000_000));
      }
      case 'c': return `${one('a', '')} ${one('b', '')} ${one('e', '')} ${one('T', '')} ${year}`;
      case 'x': case 'D': return `${one('m', '')}/${one('d', '')}/${one('y', '')}`;
      case 'X': case 'T': return `${one('H', '')}:${one('M', '')}:${one('S', '')}`;
      case 'F': return `${year}-${one('m', '')}-${one('d', '')}`;
      case 'R': return `${one('H', '')}:${one('M', '')}`;
      case 'r': return `${one('I', '')}:${one('M', '')}:${one('S', '')} ${one('p', '')}`;
      case 'n': return '\n';
      case 't': return '\t';
      case '%': return '%';
      default: return `%${flag}${code}`;
    }
  };
  return format.replace(/%([-_^#0]?)(:z|[a-zA-Z%])/g, (_m, flag: string, code: string) => {
    const out = one(code, flag === '^' || flag === '#' || flag === '0' ? '' : flag);
    return flag === '^' ? out.toUpperCase() : out;
  });
}

const STRPTIME_PATTERNS: Record<string, string> = {
  d: '3[01]|[12]\\d|0[1-9]|[1-9]| [1-9]',
  m: '1[0-2]|0[1-9]|[1-9]',
  y: '\\d\\d',
  Y: '\\d\\d\\d\\d',
  H: '2[0-3]|[0-1]\\d|\\d',
  I: '1[0-2]|0[1-9]|[1-9]',
  M: '[0-5]\\d|\\d',
  S: '6[0-1]|[0-5]\\d|\\d',
  f: '\\d{1,6}',
  j: '36[0-6]|3[0-5]\\d|[12]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9]',
  p: 'am|pm',
  b: MONTH_NAMES.map((n) => n.slice(0, 3)).join('|'),
  B: MONTH_NAMES.join('|'),
  a: DAY_NAMES.map((n) => n.slice(0, 3)).join('|'),
  A: DAY_NAMES.join('|'),
  w: '[0-6]',
  u: '[1-7]',
  U: '5[0-3]|[0-4]\\d|\\d',
  W: '5[0-3]|[0-4]\\d|\\d',
  G: '\\d\\d\\d\\d',
  V: '5[0-3]|0[1-9]|[1-4]\\d|\\d',
  z: '[+-]\\d\\d:?[0-5]\\d(?::?[0-5]\\d(?:\\.\\d{1,6})?)?|Z',
  Z: 'utc|gmt',
  '%': '%',
};
STRPTIME_PATTERNS.h = STRPTIME_PATTERNS.b as string;
const STRPTIME_EXPAND: Record<string, string> = { c: '%a %b %d %H:%M:%S %Y', x: '%m/%d/%y', X: '%H:%M:%S' };

function parseOffset(text: string): number {
  if (/^z$/i.test(text)) return 0;
  const m = /^([+-])(\d\d):?(\d\d)(?::?(\d\d)(?:\.(\d{1,6}))?)?$/.exec(text);
  if (!m) throw renderError(`Invalid format string`);
  const us = ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4] ?? 0)) * 1_000_000 + Number((m[5] ?? '').padEnd(6, '0') || 0);
  return m[1] === '-' ? -us : us;
}

function strptime(text: string, format: string): PyDatetime {
  if (typeof text !== 'string' || typeof format !== 'string') {
    typeError(`strptime() argument 1 must be str, not ${pyType(typeof text !== 'string' ? text : format)}`);
  }
  const fmt = format.replace(/%([cxX])/g, (_m, c: string) => STRPTIME_EXPAND[c] as string);
  const keys: string[] = [];
  let source = '';
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i] as string;
    if (ch === '%') {
      const code = fmt[i + 1];
      const pattern = code === undefined ? undefined : STRPTIME_PATTERNS[code];
      if (pattern === undefined) {
        throw renderError(code === undefined ? `stray % in format '${format}'` : `'${code}' is a bad directive in format '${format}'`);
      }
      i++;
      if (code === '%') {
        source += '%';
        continue;
      }
      keys.push(code as string);
      source += `(${pattern})`;
    } else if (/\s/.test(ch)) {
      while (i + 1 < fmt.length && /\s/.test(fmt[i + 1] as string)) i++;
      source += '\\s+';
    } else {
      source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  const m = new RegExp(`^(?:${source})`, 'i').exec(text);
  if (!m) throw renderError(`time data ${strRepr(text)} does not match format ${strRepr(format)}`);
  if (m[0].length !== text.length) throw renderError(`unconverted data remains: ${text.slice(m[0].length)}`);
  const found: Record<string, string> = {};
  keys.forEach((k, i) => {
    found[k] = m[i + 1] as string;
  });
  const monthIndex = (name: string) => MONTH_NAMES.findIndex((n) => n.toLowerCase().startsWith(name.toLowerCase().slice(0, 3))) + 1;
  const dayIndex = (name: string) => DAY_NAMES.findIndex((n) => n.toLowerCase().startsWith(name.toLowerCase().slice(0, 3)));
  let year = 1900;
  let month = 1;
  let day = 1;
  if (found.Y !== undefined) year = Number(found.Y);
  else if (found.y !== undefined) year = Number(found.y) + (Number(found.y) <= 68 ? 2000 : 1900);
  if (found.m !== undefined) month = Number(found.m);
  else if (found.B !== undefined) month = monthIndex(found.B);
  else if (found.b !== undefined) month = monthIndex(found.b);
  if (found.d !== undefined) day = Number(found.d.trim());
  let hour = 0;
  if (found.H !== undefined) hour = Number(found.H);
  else if (found.I !== undefined) {
    hour = Number(found.I) % 12;
    if ((found.p ?? '').toLowerCase() === 'pm') hour += 12;
  }
  const minute = Number(found.M ?? 0);
  const second = Math.min(Number(found.S ?? 0), 59);
  const micro = Number((found.f ?? '0').padEnd(6, '0'));
  let weekday: number | undefined; // 0 = Monday
  if (found.A !== undefined) weekday = dayIndex(found.A);
  else if (found.a !== undefined) weekday = dayIndex(found.a);
  else if (found.u !== undefined) weekday = Number(found.u) - 1;
  else if (found.w !== undefined) weekday = (Number(found.w) + 6) % 7;
  let days: number | undefined;
  const haveDate = found.m !== undefined || found.b !== undefined || found.B !== undefined || found.d !== undefined;
  if (found.j !== undefined && !haveDate) {
    days = epochDays(year, 1, 1) + Number(found.j) - 1;
  } else if (found.G !== undefined || found.V !== undefined) {
    if (found.G === undefined || found.V === undefined || weekday === undefined) {
      throw renderError('ISO year directive \'%G\' must be used with the ISO week directive \'%V\' and a weekday directive');
    }
    days = isoWeekStart(Number(found.G), Number(found.V), weekday + 1);
  } else if ((found.U !== undefined || found.W !== undefined) && weekday !== undefined && !haveDate) {
    const jan1 = epochDays(year, 1, 1);
    const jan1wd = weekdayOf(jan1);
    if (found.W !== undefined) days = jan1 + ((7 - jan1wd) % 7) + 7 * (Number(found.W) - 1) + weekday;
    else days = jan1 + ((6 - jan1wd + 7) % 7) + 7 * (Number(found.U) - 1) + ((weekday + 1) % 7);
  }
  if (days === undefined) {
    checkDate(year, month, day);
    days = epochDays(year, month, day);
  }
  const us = ((hour * 60 + minute) * 60 + second) * 1_000_000 + micro;
  const tz = found.z !== undefined ? PyTimezone.of(parseOffset(found.z)) : null;
  return PyDatetime.fromParts(days, us, tz);
}

// ---------------------------------------------------------------------------------------
// timedelta

export interface TimedeltaParts {
  weeks?: number;
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
  milliseconds?: number;
  microseconds?: number;
}

const TIMEDELTA_PARAMS = ['days', 'seconds', 'microseconds', 'milliseconds', 'minutes', 'hours', 'weeks'] as const;
const TD_UNITS: Record<(typeof TIMEDELTA_PARAMS)[number], number> = {
  days: DAY_US, seconds: 1e6, microseconds: 1, milliseconds: 1e3, minutes: 6e7, hours: 3.6e9, weeks: 7 * DAY_US,
};
const MAX_TD_DAYS = 999_999_999;

/** Python's `datetime.timedelta`: exact microseconds, normalized like Python (days, seconds, microseconds). */
export class PyTimedelta {
  static {
    Object.defineProperty(this, 'name', { value: 'datetime.timedelta' });
  }
  readonly #total: bigint;

  constructor(parts: TimedeltaParts = {}) {
    let total = 0n;
    let frac = 0;
    for (const key of TIMEDELTA_PARAMS) {
      const v = parts[key];
      if (v === undefined || v === null) continue;
      const n = numArg(v);
      const unit = TD_UNITS[key];
      const whole = Math.trunc(n);
      total += BigInt(whole) * BigInt(unit);
      frac += (n - whole) * unit;
    }
    this.#total = PyTimedelta.#check(total + BigInt(roundHalfEven(frac)));
  }

  static #check(total: bigint): bigint {
    const days = floorDiv(total, BIG_DAY_US);
    if (days > BigInt(MAX_TD_DAYS) || days < BigInt(-MAX_TD_DAYS)) {
      throw renderError(`days=${days}; must have magnitude <= ${MAX_TD_DAYS}`);
    }
    return total;
  }

  /** A timedelta of exactly `total` microseconds. */
  static ofMicroseconds(total: bigint | number): PyTimedelta {
    const t = typeof total === 'bigint' ? total : BigInt(Math.round(total));
    const days = floorDiv(t, BIG_DAY_US);
    return new PyTimedelta({ days: Number(days), microseconds: Number(t - days * BIG_DAY_US) });
  }

  /** Total microseconds (exact). */
  get totalMicroseconds(): bigint {
    return this.#total;
  }
  /** Whole milliseconds (kept for TypeScript callers). */
  get ms(): number {
    return Number(this.#total) / 1000;
  }
  get days(): number {
    return Number(floorDiv(this.#total, BIG_DAY_US));
  }
  get seconds(): number {
    return Math.floor(Number(this.#total - BigInt(this.days) * BIG_DAY_US) / 1e6);
  }
  get microseconds(): number {
    return Number(this.#total % 1_000_000n + (this.#total < 0n && this.#total % 1_000_000n !== 0n ? 1_000_000n : 0n));
  }
  total_seconds(): number | PyFloat {
    return makeFloat(Number(this.#total) / 1e6);
  }

  __add__(o: unknown): unknown {
    if (o instanceof PyTimedelta) return PyTimedelta.ofMicroseconds(this.#total + o.#total);
    if (o instanceof PyDatetime || o instanceof PyDate) return o.__add__(this);
    return undefined;
  }
  __radd__(o: unknown): unknown {
    return this.__add__(o);
  }
  __sub__(o: unknown): unknown {
    return o instanceof PyTimedelta ? PyTimedelta.ofMicroseconds(this.#total - o.#total) : undefined;
  }
  __neg__(): PyTimedelta {
    return PyTimedelta.ofMicroseconds(-this.#total);
  }
  __pos__(): PyTimedelta {
    return this;
  }
  __abs__(): PyTimedelta {
    return this.#total < 0n ? this.__neg__() : this;
  }
  __mul__(o: unknown): unknown {
    if (typeof o === 'boolean') o = o ? 1 : 0;
    if (typeof o === 'number' && Number.isInteger(o)) return PyTimedelta.ofMicroseconds(this.#total * BigInt(o));
    if (typeof o === 'number' || o instanceof PyFloat) {
      return PyTimedelta.ofMicroseconds(BigInt(roundHalfEven(Number(this.#total) * Number(o))));
    }
    return undefined;
  }
  __rmul__(o: unknown): unknown {
    return this.__mul__(o);
  }
  __truediv__(o: unknown): unknown {
    if (o instanceof PyTimedelta) {
      if (o.#total === 0n) throw renderError('division by zero');
      return makeFloat(Number(this.#total) / Number(o.#total));
    }
    if (typeof o === 'number' || o instanceof PyFloat) {
      if (Number(o) === 0) throw renderError('division by zero');
      return PyTimedelta.ofMicroseconds(BigInt(roundHalfEven(Number(this.#total) / Number(o))));
    }
    return undefined;
  }
  __floordiv__(o: unknown): unknown {
    if (o instanceof PyTimedelta) {
      if (o.#total === 0n) throw renderError('integer division or modulo by zero');
      return Number(floorDiv(this.#total, o.#total));
    }
    if (typeof o === 'number' && Number.isInteger(o)) {
      if (o === 0) throw renderError('integer division or modulo by zero');
      return PyTimedelta.ofMicroseconds(floorDiv(this.#total, BigInt(o)));
    }
    return undefined;
  }
  __mod__(o: unknown): unknown {
    if (!(o instanceof PyTimedelta)) return undefined;
    if (o.#total === 0n) throw renderError('integer division or modulo by zero');
    return PyTimedelta.ofMicroseconds(this.#total - floorDiv(this.#total, o.#total) * o.#total);
  }
  #cmp(o: unknown): number | undefined {
    if (!(o instanceof PyTimedelta)) return undefined;
    return this.#total < o.#total ? -1 : this.#total > o.#total ? 1 : 0;
  }
  __eq__(o: unknown): boolean {
    return this.#cmp(o) === 0;
  }
  __ne__(o: unknown): boolean {
    return this.#cmp(o) !== 0;
  }
  __lt__(o: unknown): boolean | undefined {
    const c = this.#cmp(o);
    return c === undefined ? undefined : c < 0;
  }
  __le__(o: unknown): boolean | undefined {
    const c = this.#cmp(o);
    return c === undefined ? undefined : c <= 0;
  }
  __gt__(o: unknown): boolean | undefined {
    const c = this.#cmp(o);
    return c === undefined ? undefined : c > 0;
  }
  __ge__(o: unknown): boolean | undefined {
    const c = this.#cmp(o);
    return c === undefined ? undefined : c >= 0;
  }
  __bool__(): boolean {
    return this.#total !== 0n;
  }
  __str__(): string {
    return this.toString();
  }
  __repr__(): string {
    const parts: string[] = [];
    if (this.days) parts.push(`days=${this.days}`);
    if (this.seconds) parts.push(`seconds=${this.seconds}`);
    if (this.microseconds) parts.push(`microseconds=${this.microseconds}`);
    return `datetime.timedelta(${parts.length ? parts.join(', ') : '0'})`;
  }
  toString(): string {
    const days = this.days;
    const secs = this.seconds;
    const us = this.microseconds;
    let hms = `${Math.floor(secs / 3600)}:${pad(Math.floor((secs % 3600) / 60))}:${pad(secs % 60)}`;
    if (us) hms += `.${pad(us, 6)}`;
    return days ? `${days} day${Math.abs(days) === 1 ? '' : 's'}, ${hms}` : hms;
  }
}

// ---------------------------------------------------------------------------------------
// tzinfo

/** What a tzinfo says about one datetime: UTC offset and DST part in microseconds, and a name. */
export interface TzInfoResult {
  offsetUs: number;
  dstUs: number | null;
  name: string | null;
}

/**
 * Python's `datetime.tzinfo`: subclasses answer `info(dt)` for a datetime whose tzinfo is this
 * object (or a naive datetime, read as local time in this zone), and `fromutc(dt)`.
 */
export abstract class PyTzinfo {
  abstract info(dt: PyDatetime | null): TzInfoResult | null;

  /** Converts `dt` (UTC wall time, tzinfo = this) to local time in this zone. */
  fromutc(dt: PyDatetime): PyDatetime {
    if (!(dt instanceof PyDatetime)) typeError('fromutc: argument must be a datetime');
    const info = this.info(dt);
    if (!info) throw renderError('fromutc: non-None utcoffset() result required');
    return dt.shift(BigInt(info.offsetUs));
  }
  utcoffset(dt: unknown = null): PyTimedelta | null {
    const info = this.info(dt instanceof PyDatetime ? dt : null);
    return info ? PyTimedelta.ofMicroseconds(info.offsetUs) : null;
  }
  dst(dt: unknown = null): PyTimedelta | null {
    const info = this.info(dt instanceof PyDatetime ? dt : null);
    return info && info.dstUs !== null ? PyTimedelta.ofMicroseconds(info.dstUs) : null;
  }
  tzname(dt: unknown = null): string | null {
    return this.info(dt instanceof PyDatetime ? dt : null)?.name ?? null;
  }
  __str__(): string {
    return this.toString();
  }
  __repr__(): string {
    return this.toString();
  }
}

/** Python's `datetime.timezone`: a fixed offset with an optional name. */
export class PyTimezone extends PyTzinfo {
  static {
    Object.defineProperty(this, 'name', { value: 'datetime.timezone' });
  }
  static readonly utc = new PyTimezone(0, null);

  private constructor(
    private readonly offsetUs: number,
    private readonly label: string | null,
  ) {
    super();
  }

  /** `timezone(offset, name=None)`; the zero offset without a name is `timezone.utc`. */
  static of(offsetUs: number, name: string | null = null): PyTimezone {
    if (Math.abs(offsetUs) >= DAY_US) {
      throw renderError('offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24).');
    }
    if (offsetUs === 0 && name === null && PyTimezone.utc) return PyTimezone.utc;
    return new PyTimezone(offsetUs, name);
  }

  info(_dt: PyDatetime | null): TzInfoResult {
    return { offsetUs: this.offsetUs, dstUs: null, name: this.label ?? this.defaultName() };
  }
  private defaultName(): string {
    return this.offsetUs === 0 ? 'UTC' : `UTC${formatOffset(this.offsetUs, ':')}`;
  }
  __eq__(o: unknown): boolean {
    return o instanceof PyTimezone && o.offsetUs === this.offsetUs;
  }
  override __repr__(): string {
    if (this === PyTimezone.utc) return 'datetime.timezone.utc';
    const td = PyTimedelta.ofMicroseconds(this.offsetUs).__repr__();
    return this.label === null ? `datetime.timezone(${td})` : `datetime.timezone(${td}, ${strRepr(this.label)})`;
  }
  override toString(): string {
    return this.label ?? this.defaultName();
  }
}

// ---------------------------------------------------------------------------------------
// date

/** Python's `datetime.date`. */
export class PyDate {
  static {
    Object.defineProperty(this, 'name', { value: 'datetime.date' });
  }
  readonly #days: number;

  constructor(year: number, month: number, day: number) {
    checkDate(year, month, day);
    this.#days = epochDays(year, month, day);
  }

  static fromEpochDays(days: number): PyDate {
    if (days < MIN_DAYS || days > MAX_DAYS) throw renderError('date value out of range');
    const { year, month, day } = civil(days);
    return new PyDate(year, month, day);
  }

  /** Days since 1970-01-01. */
  get epochDays(): number {
    return this.#days;
  }
  get year(): number {
    return civil(this.#days).year;
  }
  get month(): number {
    return civil(this.#days).month;
  }
  get day(): number {
    return civil(this.#days).day;
  }
  weekday(): number {
    return weekdayOf(this.#days);
  }
  isoweekday(): number {
    return weekdayOf(this.#days) + 1;
  }
  isocalendar(): unknown[] {
    const [year, week, weekday] = isoCalendarOf(this.#days);
    return Object.assign(tuple([year, week, weekday]), { year, week, weekday });
  }
  toordinal(): number {
    return this.#days + ORDINAL_EPOCH;
  }
  isoformat(): string {
    const { year, month, day } = civil(this.#days);
    return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  }
  strftime(format: string): string {
    return strftime({ days: this.#days, us: 0, offsetUs: null, tzname: null }, String(format));
  }
  ctime(): string {
    return this.strftime('%a %b %e %H:%M:%S %Y');
  }
  replace(...args: unknown[]): PyDate {
    const a = pyArgs('replace', args, ['year', 'month', 'day']);
    const { year, month, day } = civil(this.#days);
    return new PyDate(intArg('year', a.year, year), intArg('month', a.month, month), intArg('day', a.day, day));
  }
  __format__(spec: string): string {
    return spec ? this.strftime(spec) : this.toString();
  }
  __add__(o: unknown): unknown {
    if (!(o instanceof PyTimedelta)) return undefined;
    return PyDate.fromEpochDays(this.#days + o.days);
  }
  __radd__(o: unknown): unknown {
    return this.__add__(o);
  }
  __sub__(o: unknown): unknown {
    if (o instanceof PyTimedelta) return PyDate.fromEpochDays(this.#days - o.days);
    if (o instanceof PyDate) return new PyTimedelta({ days: this.#days - o.#days });
    return undefined;
  }
  #cmp(o: unknown): number | undefined {
    if (!(o instanceof PyDate)) return undefined;
    return Math.sign(this.#days - o.#days);
  }
  __eq__(o: unknown): boolean {
    return this.#cmp(o) === 0;
  }
  __ne__(o: unknown): boolean {
    return this.#cmp(o) !== 0;
  }
  __lt__(o: unknown): boolean | undefined {
    const c = this.#cmp(o);
    return c === undefined ? undefined : c < 0;
  }
  __le__(o: unknown): boolean | undefined {
    const c = this.#cmp(o);
    return c === undefined ? undefined : c <= 0;
  }
  __gt__(o: unknown): boolean | undefined {
    const c = this.#cmp(o);
    return c === undefined ? undefined : c > 0;
  }
  __ge__(o: unknown): boolean | undefined {
    const c = this.#cmp(o);
    return c === undefined ? undefined : c >= 0;
  }
  __str__(): string {
    return this.isoformat();
  }
  __repr__(): string {
    const { year, month, day } = civil(this.#days);
    return `datetime.date(${year}, ${month}, ${day})`;
  }
  toString(): string {
    return this.isoformat();
  }
}

// ---------------------------------------------------------------------------------------
// time

/** Python's `datetime.time`. */
export class PyTime {
  static {
    Object.defineProperty(this, 'name', { value: 'datetime.time' });
  }
  readonly #us: number;
  readonly #tz: PyTzinfo | null;

  constructor(hour = 0, minute = 0, second = 0, microsecond = 0, tzinfo: PyTzinfo | null = null) {
    checkTime(hour, minute, second, microsecond);
    this.#us = ((hour * 60 + minute) * 60 + second) * 1_000_000 + microsecond;
    this.#tz = tzinfo;
  }

  /** Microseconds since midnight. */
  get dayMicroseconds(): number {
    return this.#us;
  }
  get hour(): number {
    return Math.floor(this.#us / 3_600_000_000);
  }
  get minute(): number {
    return Math.floor(this.#us / 60_000_000) % 60;
  }
  get second(): number {
    return Math.floor(this.#us / 1_000_000) % 60;
  }
  get microsecond(): number {
    return this.#us % 1_000_000;
  }
  get tzinfo(): PyTzinfo | null {
    return this.#tz;
  }
  get fold(): number {
    return 0;
  }
  #info(): TzInfoResult | null {
    return this.#tz ? this.#tz.info(null) : null;
  }
  utcoffset(): PyTimedelta | null {
    const i = this.#info();
    return i ? PyTimedelta.ofMicroseconds(i.offsetUs) : null;
  }
  tzname(): string | null {
    return this.#info()?.name ?? null;
  }
  isoformat(...args: unknown[]): string {
    const a = pyArgs('isoformat', args, ['timespec']);
    const i = this.#info();
    return formatTime(this.#us, String(a.timespec ?? 'auto')) + (i ? formatOffset(i.offsetUs, ':') : '');
  }
  strftime(format: string): string {
    const i = this.#info();
    return strftime({ days: epochDays(1900, 1, 1), us: this.#us, offsetUs: i?.offsetUs ?? null, tzname: i?.name ?? null }, String(format));
  }
  replace(...args: unknown[]): PyTime {
    const a = pyArgs('replace', args, ['hour', 'minute', 'second', 'microsecond', 'tzinfo']);
    return new PyTime(
      intArg('hour', a.hour, this.hour), intArg('minute', a.minute, this.minute), intArg('second', a.second, this.second),
      intArg('microsecond', a.microsecond, this.microsecond), a.tzinfo === undefined ? this.#tz : tzArg(a.tzinfo),
    );
  }
  __format__(spec: string): string {
    return spec ? this.strftime(spec) : this.toString();
  }
  #cmp(o: unknown): number | undefined {
    if (!(o instanceof PyTime)) return undefined;
    return Math.sign(this.#us - (this.#info()?.offsetUs ?? 0) - (o.#us - (o.#info()?.offsetUs ?? 0)));
  }
  __eq__(o: unknown): boolean {
    return this.#cmp(o) === 0;
  }
  __ne__(o: unknown): boolean {
    return this.#cmp(o) !== 0;
  }
  __lt__(o: unknown): boolean | undefined {
    const c = this.#cmp(o);
    return c === undefined ? undefined : c < 0;
  }
  __le__(o: unknown): boolean | undefined {
    const c = this.#cmp(o);
    return c === undefined ? undefined : c <= 0;
  }
  __gt__(o: unknown): boolean | undefined {
    const c = this.#cmp(o);
    return c === undefined ? undefined : c > 0;
  }
  __ge__(o: unknown): boolean | undefined {
    const c = this.#cmp(o);
    return c === undefined ? undefined : c >= 0;
  }
  __str__(): string {
    return this.isoformat();
  }
  __repr__(): string {
    const parts = [this.hour, this.minute];
    if (this.second || this.microsecond) parts.push(this.second);
    if (this.microsecond) parts.push(this.microsecond);
    return `datetime.time(${parts.join(', ')}${this.#tz ? `, tzinfo=${this.#tz.__repr__()}` : ''})`;
  }
  toString(): string {
    return this.isoformat();
  }
}

function formatTime(us: number, timespec: string): string {
  const hh = pad(Math.floor(us / 3_600_000_000));
  const mm = pad(Math.floor(us / 60_000_000) % 60);
  const ss = pad(Math.floor(us / 1_000_000) % 60);
  const micro = us % 1_000_000;
  switch (timespec) {
    case 'auto': return micro ? `${hh}:${mm}:${ss}.${pad(micro, 6)}` : `${hh}:${mm}:${ss}`;
    case 'hours': return hh;
    case 'minutes': return `${hh}:${mm}`;
    case 'seconds': return `${hh}:${mm}:${ss}`;
    case 'milliseconds': return `${hh}:${mm}:${ss}.${pad(Math.floor(micro / 1000), 3)}`;
    case 'microseconds': return `${hh}:${mm}:${ss}.${pad(micro, 6)}`;
    default: throw renderError('Unknown timespec value');
  }
}

// ---------------------------------------------------------------------------------------
// datetime

type DateMethod = (() => PyDate) & { getTime(): number };

/**
 * Python's `datetime.datetime`: wall-clock fields plus an optional tzinfo. The TypeScript
 * constructor takes an instant (`Date`) and a tzinfo (`'UTC'` or a PyTzinfo): aware values
 * show that instant in the zone, naive ones (`tzinfo` null) show the Date's UTC fields.
 */
export class PyDatetime {
  static {
    Object.defineProperty(this, 'name', { value: 'datetime.datetime' });
  }
  #days = 0;
  #us = 0;
  #tz: PyTzinfo | null = null;

  constructor(date: Date, tzinfo: string | PyTzinfo | null = null) {
    const ms = date.getTime();
    if (Number.isNaN(ms)) throw renderError('Invalid datetime');
    const dayMs = Math.floor(ms / 86_400_000);
    this.#days = dayMs;
    this.#us = (ms - dayMs * 86_400_000) * 1000;
    if (tzinfo === null) return;
    const tz = typeof tzinfo === 'string' ? (/^(utc|z)$/i.test(tzinfo) ? PyTimezone.utc : typeError(`unknown timezone '${tzinfo}'`)) : tzinfo;
    this.#tz = tz;
    const local = tz.fromutc(this);
    this.#days = local.#days;
    this.#us = local.#us;
    this.#tz = local.#tz;
  }

  /** A datetime from epoch days, microseconds of the day and a tzinfo (no conversion). */
  static fromParts(days: number, us: number, tz: PyTzinfo | null = null): PyDatetime {
    if (days < MIN_DAYS || days > MAX_DAYS) throw renderError('date value out of range');
    const dt = new PyDatetime(new Date(0));
    dt.#days = days;
    dt.#us = us;
    dt.#tz = tz;
    return dt;
  }

  /** `datetime(year, month, day, hour=0, minute=0, second=0, microsecond=0, tzinfo=None)` */
  static create(...args: unknown[]): PyDatetime {
    const a = pyArgs('datetime', args, ['year', 'month', 'day', 'hour', 'minute', 'second', 'microsecond', 'tzinfo', 'fold'], 3);
    const [year, month, day] = [intArg('year', a.year), intArg('month', a.month), intArg('day', a.day)];
    const [hour, minute, second, micro] = [
      intArg('hour', a.hour, 0), intArg('minute', a.minute, 0), intArg('second', a.second, 0), intArg('microsecond', a.microsecond, 0),
    ];
    checkDate(year, month, day);
    checkTime(hour, minute, second, micro);
    return PyDatetime.fromParts(epochDays(year, month, day), ((hour * 60 + minute) * 60 + second) * 1_000_000 + micro, tzArg(a.tzinfo));
  }

  /** The datetime at `epochUs` (microseconds since 1970 UTC), naive UTC or converted into `tz`. */
  static fromEpochMicroseconds(epochUs: bigint, tz: PyTzinfo | null): PyDatetime {
    const [days, us] = splitUs(epochUs);
    const utc = PyDatetime.fromParts(days, us, tz);
    return tz ? tz.fromutc(utc) : utc;
  }

  /** This value moved by `deltaUs` microseconds of wall-clock time, same tzinfo. */
  shift(deltaUs: bigint, tz: PyTzinfo | null = this.#tz): PyDatetime {
    const [days, us] = splitUs(BigInt(this.#days) * BIG_DAY_US + BigInt(this.#us) + deltaUs);
    return PyDatetime.fromParts(days, us, tz);
  }

  #info(): TzInfoResult | null {
    return this.#tz ? this.#tz.info(this) : null;
  }
  /** Microseconds since 1970-01-01 UTC (naive values read as UTC). */
  get epochMicroseconds(): bigint {
    return BigInt(this.#days) * BIG_DAY_US + BigInt(this.#us) - BigInt(this.#info()?.offsetUs ?? 0);
  }
  /** Epoch days of the wall-clock date. */
  get epochDays(): number {
    return this.#days;
  }
  /** Microseconds since midnight of the wall-clock time. */
  get dayMicroseconds(): number {
    return this.#us;
  }
  /** The instant as a JavaScript Date (naive values read as UTC). */
  toJsDate(): Date {
    return new Date(Number(this.epochMicroseconds / 1000n));
  }

  get year(): number {
    return civil(this.#days).year;
  }
  get month(): number {
    return civil(this.#days).month;
  }
  get day(): number {
    return civil(this.#days).day;
  }
  get hour(): number {
    return Math.floor(this.#us / 3_600_000_000);
  }
  get minute(): number {
    return Math.floor(this.#us / 60_000_000) % 60;
  }
  get second(): number {
    return Math.floor(this.#us / 1_000_000) % 60;
  }
  get microsecond(): number {
    return this.#us % 1_000_000;
  }
  get tzinfo(): PyTzinfo | null {
    return this.#tz;
  }
  get fold(): number {
    return 0;
  }
  /**
   * `dt.date()` in templates. The returned function also has `getTime()` (the instant in
   * milliseconds) for TypeScript callers written when `date` was a JavaScript Date.
   */
  get date(): DateMethod {
    const fn = (() => PyDate.fromEpochDays(this.#days)) as DateMethod;
    fn.getTime = () => Number(this.epochMicroseconds / 1000n);
    return fn;
  }
  time(): PyTime {
    return new PyTime(this.hour, this.minute, this.second, this.microsecond);
  }
  timetz(): PyTime {
    return new PyTime(this.hour, this.minute, this.second, this.microsecond, this.#tz);
  }
  utcoffset(): PyTimedelta | null {
    const i = this.#info();
    return i ? PyTimedelta.ofMicroseconds(i.offsetUs) : null;
  }
  dst(): PyTimedelta | null {
    const i = this.#info();
    return i && i.dstUs !== null ? PyTimedelta.ofMicroseconds(i.dstUs) : null;
  }
  tzname(): string | null {
    return this.#info()?.name ?? null;
  }
  /** POSIX timestamp (naive values read as UTC). */
  timestamp(): number | PyFloat {
    return makeFloat(Number(this.epochMicroseconds) / 1e6);
  }
  weekday(): number {
    return weekdayOf(this.#days);
  }
  isoweekday(): number {
    return weekdayOf(this.#days) + 1;
  }
  isocalendar(): unknown[] {
    return PyDate.fromEpochDays(this.#days).isocalendar();
  }
  toordinal(): number {
    return this.#days + ORDINAL_EPOCH;
  }
  isoformat(...args: unknown[]): string {
    const a = pyArgs('isoformat', args, ['sep', 'timespec']);
    const sep = a.sep === undefined ? 'T' : String(a.sep);
    const i = this.#info();
    return `${PyDate.fromEpochDays(this.#days).isoformat()}${sep}${formatTime(this.#us, String(a.timespec ?? 'auto'))}${i ? formatOffset(i.offsetUs, ':') : ''}`;
  }
  strftime(format: string): string {
    const i = this.#info();
    return strftime({ days: this.#days, us: this.#us, offsetUs: i?.offsetUs ?? null, tzname: i?.name ?? null }, String(format));
  }
  ctime(): string {
    return this.strftime('%a %b %e %H:%M:%S %Y');
  }
  __format__(spec: string): string {
    return spec ? this.strftime(spec) : this.toString();
  }
  /** `dt.replace(hour=0, tzinfo=None)`; also accepts the old `{hour: 0}` object form. */
  replace(...args: unknown[]): PyDatetime {
    const first = args[0];
    const legacy = args.length === 1 && first !== null && typeof first === 'object' && !isKeywords(first) && !(first instanceof PyTzinfo);
    const a = legacy
      ? (first as Record<string, unknown>)
      : pyArgs('replace', args, ['year', 'month', 'day', 'hour', 'minute', 'second', 'microsecond', 'tzinfo', 'fold']);
    const { year, month, day } = civil(this.#days);
    return PyDatetime.create(
      intArg('year', a.year, year), intArg('month', a.month, month), intArg('day', a.day, day),
      intArg('hour', a.hour, this.hour), intArg('minute', a.minute, this.minute), intArg('second', a.second, this.second),
      intArg('microsecond', a.microsecond, this.microsecond), a.tzinfo === undefined ? this.#tz : tzArg(a.tzinfo),
    );
  }
  /** `dt.astimezone(tz)`: the same instant in `tz` (UTC when omitted; naive values read as UTC). */
  astimezone(tz: unknown = null): PyDatetime {
    const target = tz === null || tz === undefined ? PyTimezone.utc : tzArg(tz);
    if (target === null) return this;
    if (target === this.#tz) return this;
    return PyDatetime.fromEpochMicroseconds(this.epochMicroseconds, target);
  }
  __add__(o: unknown): unknown {
    if (!(o instanceof PyTimedelta)) return undefined;
    return this.shift(o.totalMicroseconds);
  }
  __radd__(o: unknown): unknown {
    return this.__add__(o);
  }
  __sub__(o: unknown): unknown {
    if (o instanceof PyTimedelta) return this.shift(-o.totalMicroseconds);
    if (o instanceof PyDatetime) {
      const mine = this.#info();
      const theirs = o.#info();
      if ((mine === null) !== (theirs === null)) throw renderError("can't subtract offset-naive and offset-aware datetimes");
      return PyTimedelta.ofMicroseconds(this.epochMicroseconds - o.epochMicroseconds);
    }
    return undefined;
  }
  /** Legacy helpers for TypeScript callers: `dt.plus(td)`, `dt.minus(td | dt)`. */
  plus(delta: PyTimedelta): PyDatetime {
    return this.shift(delta.totalMicroseconds);
  }
  minus(delta: PyTimedelta | PyDatetime): PyDatetime | PyTimedelta {
    return this.__sub__(delta) as PyDatetime | PyTimedelta;
  }
  #cmp(o: unknown, ordering: boolean): number | undefined {
    if (!(o instanceof PyDatetime)) return undefined;
    const mine = this.#info();
    const theirs = o.#info();
    if ((mine === null) !== (theirs === null)) {
      if (ordering) throw renderError("can't compare offset-naive and offset-aware datetimes");
      return 1;
    }
    const a = this.epochMicroseconds;
    const b = o.epochMicroseconds;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  __eq__(o: unknown): boolean {
    return this.#cmp(o, false) === 0;
  }
  __ne__(o: unknown): boolean {
    return this.#cmp(o, false) !== 0;
  }
  __lt__(o: unknown): boolean | undefined {
    const c = this.#cmp(o, true);
    return c === undefined ? undefined : c < 0;
  }
  __le__(o: unknown): boolean | undefined {
    const c = this.#cmp(o, true);
    return c === undefined ? undefined : c <= 0;
  }
  __gt__(o: unknown): boolean | undefined {
    const c = this.#cmp(o, true);
    return c === undefined ? undefined : c > 0;
  }
  __ge__(o: unknown): boolean | undefined {
    const c = this.#cmp(o, true);
    return c === undefined ? undefined : c >= 0;
  }
  __str__(): string {
    return this.toString();
  }
  __repr__(): string {
    const { year, month, day } = civil(this.#days);
    const parts = [year, month, day, this.hour, this.minute];
    if (this.second || this.microsecond) parts.push(this.second);
    if (this.microsecond) parts.push(this.microsecond);
    return `datetime.datetime(${parts.join(', ')}${this.#tz ? `, tzinfo=${this.#tz.__repr__()}` : ''})`;
  }
  toString(): string {
    return this.isoformat(' ');
  }
}

// ---------------------------------------------------------------------------------------
// ISO parsing

function parseIsoDate(text: string): [number, number] | null {
  const m = /^(\d{4})(?:-(\d\d)-(\d\d)|(\d\d)(\d\d))/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2] ?? m[4]), Number(m[3] ?? m[5])];
  checkDate(y, mo, d);
  return [epochDays(y, mo, d), m[0].length];
}

function parseIsoTime(text: string): [number, PyTzinfo | null] | null {
  const m = /^(\d\d)(?::?(\d\d)(?::?(\d\d)(?:[.,](\d+))?)?)?(Z|[+-]\d\d(?::?\d\d(?::?\d\d(?:[.,]\d{1,6})?)?)?)?$/.exec(text);
  if (!m) return null;
  const [h, mi, s] = [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
  const micro = Number((m[4] ?? '').slice(0, 6).padEnd(6, '0') || 0);
  checkTime(h, mi, s, micro);
  let tz: PyTzinfo | null = null;
  if (m[5]) {
    const off = m[5] === 'Z' ? 0 : parseOffset(m[5].length === 3 ? `${m[5]}00` : m[5].replace(',', '.'));
    tz = PyTimezone.of(off);
  }
  return [((h * 60 + mi) * 60 + s) * 1_000_000 + micro, tz];
}

function fromIsoformat(text: unknown): PyDatetime {
  if (typeof text !== 'string') typeError(`fromisoformat: argument must be str`);
  const bad = () => renderError(`Invalid isoformat string: ${strRepr(text)}`);
  const date = parseIsoDate(text);
  if (!date) throw bad();
  const [days, len] = date;
  if (len === text.length) return PyDatetime.fromParts(days, 0, null);
  const time = parseIsoTime(text.slice(len + 1));
  if (!time) throw bad();
  return PyDatetime.fromParts(days, time[0], time[1]);
}

// ---------------------------------------------------------------------------------------
// The module

type Callable = (...args: unknown[]) => unknown;

function nowUs(now: () => Date): bigint {
  return BigInt(now().getTime()) * 1000n;
}

function timestampUs(seconds: unknown): bigint {
  const n = numArg(seconds);
  if (!Number.isFinite(n)) throw renderError('cannot convert float NaN to integer');
  return BigInt(roundHalfEven(n * 1e6));
}

/** `timedelta(days=0, seconds=0, microseconds=0, milliseconds=0, minutes=0, hours=0, weeks=0)` */
export function timedelta(...args: unknown[]): PyTimedelta {
  const a = pyArgs('timedelta', args, TIMEDELTA_PARAMS);
  return new PyTimedelta(a as TimedeltaParts);
}

/** `modules.datetime` as templates see it; `now` is the clock (tests pin it). */
export function datetimeModule(now: () => Date) {
  const timezone = Object.assign(
    (...args: unknown[]) => {
      const a = pyArgs('timezone', args, ['offset', 'name'], 1);
      if (!(a.offset instanceof PyTimedelta)) typeError(`timezone() argument 1 must be datetime.timedelta, not ${pyType(a.offset)}`);
      if (a.name !== undefined && a.name !== null && typeof a.name !== 'string') typeError('timezone() argument 2 must be str');
      return PyTimezone.of(Number(a.offset.totalMicroseconds), (a.name as string | undefined) ?? null);
    },
    { utc: PyTimezone.utc, min: PyTimezone.of(-(DAY_US - 60_000_000)), max: PyTimezone.of(DAY_US - 60_000_000) },
  );
  const datetime = Object.assign((...args: unknown[]) => PyDatetime.create(...args), {
    now: (...args: unknown[]) => PyDatetime.fromEpochMicroseconds(nowUs(now), tzArg(pyArgs('now', args, ['tz']).tz)),
    utcnow: () => PyDatetime.fromEpochMicroseconds(nowUs(now), null),
    today: () => PyDatetime.fromEpochMicroseconds(nowUs(now), null),
    fromtimestamp: (...args: unknown[]) => {
      const a = pyArgs('fromtimestamp', args, ['timestamp', 'tz'], 1);
      return PyDatetime.fromEpochMicroseconds(timestampUs(a.timestamp), tzArg(a.tz));
    },
    utcfromtimestamp: (seconds: unknown) => PyDatetime.fromEpochMicroseconds(timestampUs(seconds), null),
    fromisoformat: (text: unknown) => fromIsoformat(text),
    strptime: (text: unknown, format: unknown) => strptime(text as string, format as string),
    fromordinal: (n: unknown) => PyDatetime.fromParts(intArg('ordinal', n) - ORDINAL_EPOCH, 0, null),
    combine: (...args: unknown[]) => {
      const a = pyArgs('combine', args, ['date', 'time', 'tzinfo'], 2);
      if (!(a.date instanceof PyDate || a.date instanceof PyDatetime)) typeError('combine() argument 1 must be datetime.date');
      if (!(a.time instanceof PyTime)) typeError('combine() argument 2 must be datetime.time');
      const days = a.date instanceof PyDate ? a.date.epochDays : a.date.epochDays;
      return PyDatetime.fromParts(days, a.time.dayMicroseconds, a.tzinfo === undefined ? a.time.tzinfo : tzArg(a.tzinfo));
    },
    min: PyDatetime.fromParts(MIN_DAYS, 0, null),
    max: PyDatetime.fromParts(MAX_DAYS, DAY_US - 1, null),
    resolution: PyTimedelta.ofMicroseconds(1),
  });
  const date = Object.assign(
    (...args: unknown[]) => {
      const a = pyArgs('date', args, ['year', 'month', 'day'], 3);
      return new PyDate(intArg('year', a.year), intArg('month', a.month), intArg('day', a.day));
    },
    {
      today: () => PyDate.fromEpochDays(PyDatetime.fromEpochMicroseconds(nowUs(now), null).epochDays),
      fromtimestamp: (seconds: unknown) => PyDate.fromEpochDays(PyDatetime.fromEpochMicroseconds(timestampUs(seconds), null).epochDays),
      fromisoformat: (text: unknown) => {
        const parsed = typeof text === 'string' ? parseIsoDate(text) : null;
        if (!parsed || parsed[1] !== (text as string).length) throw renderError(`Invalid isoformat string: ${strRepr(String(text))}`);
        return PyDate.fromEpochDays(parsed[0]);
      },
      fromordinal: (n: unknown) => PyDate.fromEpochDays(intArg('ordinal', n) - ORDINAL_EPOCH),
      min: PyDate.fromEpochDays(MIN_DAYS),
      max: PyDate.fromEpochDays(MAX_DAYS),
      resolution: new PyTimedelta({ days: 1 }),
    },
  );
  const time = Object.assign(
    (...args: unknown[]) => {
      const a = pyArgs('time', args, ['hour', 'minute', 'second', 'microsecond', 'tzinfo', 'fold']);
      return new PyTime(
        intArg('hour', a.hour, 0), intArg('minute', a.minute, 0), intArg('second', a.second, 0),
        intArg('microsecond', a.microsecond, 0), tzArg(a.tzinfo),
      );
    },
    {
      fromisoformat: (text: unknown) => {
        const parsed = typeof text === 'string' ? parseIsoTime(text.replace(/^T/, '')) : null;
        if (!parsed) throw renderError(`Invalid isoformat string: ${strRepr(String(text))}`);
        const us = parsed[0];
        return new PyTime(Math.floor(us / 3_600_000_000), Math.floor(us / 60_000_000) % 60, Math.floor(us / 1_000_000) % 60, us % 1_000_000, parsed[1]);
      },
      min: new PyTime(),
      max: new PyTime(23, 59, 59, 999_999),
    },
  );
  const td = Object.assign((...args: unknown[]) => timedelta(...args), {
    min: new PyTimedelta({ days: -MAX_TD_DAYS }),
    max: PyTimedelta.ofMicroseconds(BigInt(MAX_TD_DAYS) * BIG_DAY_US + BIG_DAY_US - 1n),
    resolution: PyTimedelta.ofMicroseconds(1),
  });
  return {
    datetime: datetime as typeof datetime & Callable,
    date,
    time,
    timedelta: td,
    timezone,
    UTC: PyTimezone.utc,
    MINYEAR: 1,
    MAXYEAR: 9999,
  };
}
