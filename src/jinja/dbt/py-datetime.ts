// A small Python-`datetime` look-alike for templates: `run_started_at.strftime('%Y')`,
// `modules.datetime.datetime.now()`, `.isoformat()`, `timedelta`. Times are UTC.

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

/** Python's `timedelta`, enough for `now() - timedelta(days=1)` style arithmetic via `.minus()`. */
export class PyTimedelta {
  readonly ms: number;
  constructor(opts: { days?: number; hours?: number; minutes?: number; seconds?: number; weeks?: number } = {}) {
    const o = opts;
    this.ms =
      ((o.weeks ?? 0) * 7 * 86400 + (o.days ?? 0) * 86400 + (o.hours ?? 0) * 3600 + (o.minutes ?? 0) * 60 + (o.seconds ?? 0)) *
      1000;
  }
  total_seconds(): number {
    return this.ms / 1000;
  }
  get days(): number {
    return Math.floor(this.ms / 86400000);
  }
  toString(): string {
    const total = Math.floor(this.ms / 1000);
    const days = Math.floor(total / 86400);
    const rest = total - days * 86400;
    const hms = `${Math.floor(rest / 3600)}:${pad(Math.floor((rest % 3600) / 60))}:${pad(rest % 60)}`;
    return days ? `${days} day${days === 1 ? '' : 's'}, ${hms}` : hms;
  }
}

/** Python's `datetime.datetime` (naive UTC, or aware UTC when `tz` is set). */
export class PyDatetime {
  readonly date: Date;
  readonly tzinfo: string | null;
  constructor(date: Date, tzinfo: string | null = null) {
    this.date = date;
    this.tzinfo = tzinfo;
  }
  get year(): number {
    return this.date.getUTCFullYear();
  }
  get month(): number {
    return this.date.getUTCMonth() + 1;
  }
  get day(): number {
    return this.date.getUTCDate();
  }
  get hour(): number {
    return this.date.getUTCHours();
  }
  get minute(): number {
    return this.date.getUTCMinutes();
  }
  get second(): number {
    return this.date.getUTCSeconds();
  }
  get microsecond(): number {
    return this.date.getUTCMilliseconds() * 1000;
  }
  timestamp(): number {
    return this.date.getTime() / 1000;
  }
  isoformat(sep = 'T'): string {
    const base = `${this.year}-${pad(this.month)}-${pad(this.day)}${sep}${pad(this.hour)}:${pad(this.minute)}:${pad(this.second)}`;
    const micro = this.microsecond ? `.${pad(this.microsecond, 6)}` : '';
    return `${base}${micro}${this.tzinfo ? '+00:00' : ''}`;
  }
  strftime(format: string): string {
    return format.replace(/%([a-zA-Z%])/g, (_m, code: string) => {
      switch (code) {
        case 'Y': return String(this.year);
        case 'y': return pad(this.year % 100);
        case 'm': return pad(this.month);
        case 'd': return pad(this.day);
        case 'H': return pad(this.hour);
        case 'I': return pad(((this.hour + 11) % 12) + 1);
        case 'p': return this.hour < 12 ? 'AM' : 'PM';
        case 'M': return pad(this.minute);
        case 'S': return pad(this.second);
        case 'f': return pad(this.microsecond, 6);
        case 'j': return pad(Math.floor((Date.UTC(this.year, this.month - 1, this.day) - Date.UTC(this.year, 0, 1)) / 86400000) + 1, 3);
        case 'A': return DAY_NAMES[this.date.getUTCDay()] ?? '';
        case 'a': return (DAY_NAMES[this.date.getUTCDay()] ?? '').slice(0, 3);
        case 'B': return MONTH_NAMES[this.month - 1] ?? '';
        case 'b': return (MONTH_NAMES[this.month - 1] ?? '').slice(0, 3);
        case 'w': return String(this.date.getUTCDay());
        case 'z': return this.tzinfo ? '+0000' : '';
        case 'Z': return this.tzinfo ? 'UTC' : '';
        case '%': return '%';
        default: return `%${code}`;
      }
    });
  }
  /** `dt.replace(hour=0, minute=0)` */
  replace(parts: Partial<Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'microsecond', number>> = {}): PyDatetime {
    const d = new Date(
      Date.UTC(
        parts.year ?? this.year,
        (parts.month ?? this.month) - 1,
        parts.day ?? this.day,
        parts.hour ?? this.hour,
        parts.minute ?? this.minute,
        parts.second ?? this.second,
        Math.floor((parts.microsecond ?? this.microsecond) / 1000),
      ),
    );
    return new PyDatetime(d, this.tzinfo);
  }
  astimezone(_tz?: unknown): PyDatetime {
    return new PyDatetime(this.date, 'UTC');
  }
  plus(delta: PyTimedelta): PyDatetime {
    return new PyDatetime(new Date(this.date.getTime() + delta.ms), this.tzinfo);
  }
  minus(delta: PyTimedelta | PyDatetime): PyDatetime | PyTimedelta {
    if (delta instanceof PyDatetime) return new PyTimedelta({ seconds: (this.date.getTime() - delta.date.getTime()) / 1000 });
    return new PyDatetime(new Date(this.date.getTime() - delta.ms), this.tzinfo);
  }
  toString(): string {
    return this.isoformat(' ');
  }
}

/** `modules.datetime` as templates see it. */
export function datetimeModule(now: () => Date) {
  const datetime = {
    now: () => new PyDatetime(now()),
    utcnow: () => new PyDatetime(now()),
    today: () => new PyDatetime(now()),
    fromisoformat: (text: string) => new PyDatetime(new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`)),
    strptime: (text: string, _format: string) => new PyDatetime(new Date(/[zZ]$/.test(text) ? text : `${text.replace(' ', 'T')}Z`)),
    fromtimestamp: (seconds: number) => new PyDatetime(new Date(seconds * 1000)),
  };
  return {
    datetime,
    date: { today: () => new PyDatetime(now()) },
    timedelta: (opts: ConstructorParameters<typeof PyTimedelta>[0] & { __keywords?: boolean } = {}) => new PyTimedelta(opts),
    timezone: { utc: 'UTC' },
  };
}
