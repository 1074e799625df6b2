// The tzinfo protocol (`PyTzinfo`, which pytz zones in pylib/pytz/zones.ts extend) and the fixed-offset
// `datetime.timezone`.
import { strRepr } from '../../engine/py-repr.js';
import { renderError } from '../../engine/values.js';
import { pyType, typeError } from '../args/index.js';
import { DAY_US } from './calendar.js';
import { formatOffset } from './format.js';
import { PyTimedelta } from './timedelta.js';

/**
 * What a tzinfo needs of a datetime: datetime.ts's PyDatetime, which imports this file, so this
 * one names it by its shape (a zone's info() reads the fields of the PyDatetime it is given).
 */
export interface ShiftableDatetime {
  shift(us: bigint): this;
}
type DatetimeClass = abstract new (...args: never[]) => ShiftableDatetime;
/**
 * PyDatetime registers itself here when its file loads: that file imports this one, so this
 * one cannot import it, and no datetime can exist before it is loaded.
 */
let datetimeClass: DatetimeClass | null = null;
export function registerDatetimeClass(cls: DatetimeClass): void {
  datetimeClass = cls;
}
const isDatetime = (v: unknown): v is ShiftableDatetime => datetimeClass !== null && v instanceof datetimeClass;

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
  abstract info(dt: ShiftableDatetime | null): TzInfoResult | null;

  /** Converts `dt` (UTC wall time, tzinfo = this) to local time in this zone. */
  fromutc(dt: ShiftableDatetime): ShiftableDatetime {
    if (!isDatetime(dt)) typeError('fromutc: argument must be a datetime');
    const info = this.info(dt);
    if (!info) throw renderError('fromutc: non-None utcoffset() result required');
    return dt.shift(BigInt(info.offsetUs));
  }
  utcoffset(dt: unknown = null): PyTimedelta | null {
    const info = this.info(isDatetime(dt) ? dt : null);
    return info ? PyTimedelta.ofMicroseconds(info.offsetUs) : null;
  }
  dst(dt: unknown = null): PyTimedelta | null {
    const info = this.info(isDatetime(dt) ? dt : null);
    return info && info.dstUs !== null ? PyTimedelta.ofMicroseconds(info.dstUs) : null;
  }
  tzname(dt: unknown = null): string | null {
    return this.info(isDatetime(dt) ? dt : null)?.name ?? null;
  }
  /** What str() of the tzinfo shows (each kind of zone writes its own). */
  abstract toString(): string;
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

  info(_dt: ShiftableDatetime | null): TzInfoResult {
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

/** A `tzinfo=` argument: None or a tzinfo. */
export function tzArg(v: unknown): PyTzinfo | null {
  if (v === undefined || v === null) return null;
  if (v instanceof PyTzinfo) return v;
  return typeError(`tzinfo argument must be None or of a tzinfo subclass, not type '${pyType(v)}'`);
}
