// Python's `datetime.timedelta`, and `timedelta(...)` as templates call it.
import { PyFloat, makeFloat, renderError } from '../../engine/values.js';
import { numArg, pyArgs } from '../args/index.js';
import { BIG_DAY_US, DAY_US, floorDiv, pad, roundHalfEven } from './calendar.js';
import { PyOrdered } from './ordered.js';

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
export const MAX_TD_DAYS = 999_999_999;

/** Something `timedelta + x` hands to `x.__add__` (date and datetime). */
interface TimedeltaAddend {
  __add__(o: unknown): unknown;
}
type AddendClass = abstract new (...args: never[]) => TimedeltaAddend;
/**
 * PyDate and PyDatetime register here when their files load: they import this file, so it
 * cannot import them, and no instance of theirs can exist before they are loaded.
 */
const addendClasses: AddendClass[] = [];
export function registerTimedeltaAddend(cls: AddendClass): void {
  addendClasses.push(cls);
}

/** Python's `datetime.timedelta`: exact microseconds, normalized like Python (days, seconds, microseconds). */
export class PyTimedelta extends PyOrdered {
  static {
    Object.defineProperty(this, 'name', { value: 'datetime.timedelta' });
  }
  readonly #total: bigint;

  constructor(parts: TimedeltaParts = {}) {
    super();
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
    if (addendClasses.some((cls) => o instanceof cls)) return (o as TimedeltaAddend).__add__(this);
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
  protected override compareTo(o: unknown): number | undefined {
    if (!(o instanceof PyTimedelta)) return undefined;
    return this.#total < o.#total ? -1 : this.#total > o.#total ? 1 : 0;
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
  override toString(): string {
    const days = this.days;
    const secs = this.seconds;
    const us = this.microseconds;
    let hms = `${Math.floor(secs / 3600)}:${pad(Math.floor((secs % 3600) / 60))}:${pad(secs % 60)}`;
    if (us) hms += `.${pad(us, 6)}`;
    return days ? `${days} day${Math.abs(days) === 1 ? '' : 's'}, ${hms}` : hms;
  }
}

/** `timedelta(days=0, seconds=0, microseconds=0, milliseconds=0, minutes=0, hours=0, weeks=0)` */
export function timedelta(...args: unknown[]): PyTimedelta {
  const a = pyArgs('timedelta', args, TIMEDELTA_PARAMS);
  return new PyTimedelta(a);
}
