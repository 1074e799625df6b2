// Python's `datetime.time`.
import { intArg, pyArgs } from '../args/index.js';
import { checkTime, epochDays } from './calendar.js';
import { formatOffset, formatTime, strftime } from './format.js';
import { PyTimedelta } from './timedelta.js';
import { type PyTzinfo, type TzInfoResult, tzArg } from './tzinfo.js';
import { PyOrdered } from './ordered.js';

/** Python's `datetime.time`. */
export class PyTime extends PyOrdered {
  static {
    Object.defineProperty(this, 'name', { value: 'datetime.time' });
  }
  readonly #us: number;
  readonly #tz: PyTzinfo | null;

  constructor(hour = 0, minute = 0, second = 0, microsecond = 0, tzinfo: PyTzinfo | null = null) {
    super();
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
  protected override compareTo(o: unknown): number | undefined {
    if (!(o instanceof PyTime)) return undefined;
    return Math.sign(this.#us - (this.#info()?.offsetUs ?? 0) - (o.#us - (o.#info()?.offsetUs ?? 0)));
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
  override toString(): string {
    return this.isoformat();
  }
}
