// Formatting dates and times as text: strftime, isoformat's time part and UTC offsets.
import { renderError } from '../../engine/values.js';
import { DAY_NAMES, DAY_US, MONTH_NAMES, civil, epochDays, isoCalendarOf, pad, weekdayOf } from './calendar.js';

/** `+HH:MM[:SS[.ffffff]]` (or `+HHMM[SS]` without separator) for an offset in microseconds. */
export function formatOffset(offsetUs: number, sep: string): string {
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
// strftime

export interface Moment {
  days: number;
  us: number;
  /** UTC offset in microseconds, or null for naive values. */
  offsetUs: number | null;
  tzname: string | null;
}

export function strftime(t: Moment, format: string): string {
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

/** The time part of `isoformat()` for `us` microseconds since midnight and a `timespec`. */
export function formatTime(us: number, timespec: string): string {
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
