// Parsing text into datetimes: strptime and the fromisoformat() grammar.
import { strRepr } from '../../engine/py-repr.js';
import { renderError } from '../../engine/values.js';
import { pyType, typeError } from '../args/index.js';
import { DAY_NAMES, MONTH_NAMES, checkDate, checkTime, epochDays, isoWeekStart, weekdayOf } from './calendar.js';
import { PyDatetime } from './datetime.js';
import { PyTimezone, type PyTzinfo } from './tzinfo.js';

// ---------------------------------------------------------------------------------------
// strptime

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

export function strptime(text: string, format: string): PyDatetime {
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
// ISO parsing

export function parseIsoDate(text: string): [number, number] | null {
  const m = /^(\d{4})(?:-(\d\d)-(\d\d)|(\d\d)(\d\d))/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2] ?? m[4]), Number(m[3] ?? m[5])];
  checkDate(y, mo, d);
  return [epochDays(y, mo, d), m[0].length];
}

export function parseIsoTime(text: string): [number, PyTzinfo | null] | null {
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

export function fromIsoformat(text: unknown): PyDatetime {
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
