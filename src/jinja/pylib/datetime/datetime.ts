// Python's `datetime.datetime`.
import { type PyFloat, makeFloat, renderError } from '../../engine/values.js';
import { intArg, isKeywords, pyArgs, typeError } from '../args/index.js';
import { BIG_DAY_US, MAX_DAYS, MIN_DAYS, ORDINAL_EPOCH, checkDate, checkTime, civil, epochDays, splitUs, weekdayOf } from './calendar.js';
import { PyDate } from './date.js';
import { formatOffset, formatTime, strftime } from './format.js';
import { PyTime } from './time.js';
import { PyTimedelta, registerTimedeltaAddend } from './timedelta.js';
import { PyTimezone, PyTzinfo, type TzInfoResult, registerDatetimeClass, tzArg } from './tzinfo.js';
import { PyOrdered } from './ordered.js';
import { extraMicroseconds } from '../../../time/micro-date.js';

type DateMethod = (() => PyDate) & { getTime(): number };

/**
 * Python's `datetime.datetime`: wall-clock fields plus an optional tzinfo. The TypeScript
 * constructor takes an instant (`Date`) and a tzinfo (`'UTC'` or a PyTzinfo): aware values
 * show that instant in the zone, naive ones (`tzinfo` null) show the Date's UTC fields.
 */
export class PyDatetime extends PyOrdered {
  static {
    Object.defineProperty(this, 'name', { value: 'datetime.datetime' });
    registerDatetimeClass(this);
    registerTimedeltaAddend(this);
  }
  #days = 0;
  #us = 0;
  #tz: PyTzinfo | null = null;

  constructor(date: Date, tzinfo: string | PyTzinfo | null = null) {
    super();
    const ms = date.getTime();
    if (Number.isNaN(ms)) throw renderError('Invalid datetime');
    const dayMs = Math.floor(ms / 86_400_000);
    this.#days = dayMs;
    this.#us = (ms - dayMs * 86_400_000) * 1000 + extraMicroseconds(date);
    if (tzinfo === null) return;
    const tz = typeof tzinfo === 'string' ? (/^(utc|z)$/i.test(tzinfo) ? PyTimezone.utc : typeError(`unknown timezone '${tzinfo}'`)) : tzinfo;
    this.#tz = tz;
    // A tzinfo gives back the datetime it shifted: a PyDatetime (tzinfo.ts knows it by its shape).
    const local = tz.fromutc(this) as PyDatetime;
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
    return tz ? (tz.fromutc(utc) as PyDatetime) : utc;
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
  protected override compareTo(o: unknown, ordering: boolean): number | undefined {
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
  override toString(): string {
    return this.isoformat(' ');
  }
  /** In JSON (manifest.json's config, e.g. a microbatch `begin`), ISO 8601 as dbt's artifacts write a datetime. */
  toJSON(): string {
    return this.isoformat();
  }
}
