// Python's `datetime.date`.
import { renderError, tuple } from '../../engine/values.js';
import { intArg, pyArgs } from '../args/index.js';
import { MAX_DAYS, MIN_DAYS, ORDINAL_EPOCH, checkDate, civil, epochDays, isoCalendarOf, pad, weekdayOf } from './calendar.js';
import { strftime } from './format.js';
import { PyTimedelta, registerTimedeltaAddend } from './timedelta.js';
import { PyOrdered } from './ordered.js';

/** Python's `datetime.date`. */
export class PyDate extends PyOrdered {
  static {
    Object.defineProperty(this, 'name', { value: 'datetime.date' });
    registerTimedeltaAddend(this);
  }
  readonly #days: number;

  constructor(year: number, month: number, day: number) {
    super();
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
  protected override compareTo(o: unknown): number | undefined {
    if (!(o instanceof PyDate)) return undefined;
    return Math.sign(this.#days - o.#days);
  }
  __str__(): string {
    return this.isoformat();
  }
  __repr__(): string {
    const { year, month, day } = civil(this.#days);
    return `datetime.date(${year}, ${month}, ${day})`;
  }
  override toString(): string {
    return this.isoformat();
  }
  /** In JSON (manifest.json's config), ISO 8601 as dbt's artifacts write a date. */
  toJSON(): string {
    return this.isoformat();
  }
}
