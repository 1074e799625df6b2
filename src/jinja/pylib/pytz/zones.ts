// pytz's tzinfo classes: `pytz.utc`, `pytz.FixedOffset(minutes)` and the zones of
// `pytz.timezone(name)` with their localized (offset, DST, abbreviation) variants.
import { strRepr } from '../../engine/py-repr.js';
import { renderError } from '../../engine/values.js';
import { pyArgs } from '../args/index.js';
import { PyDatetime, PyTimedelta, PyTzinfo, type TzInfoResult } from '../datetime/index.js';
import type { ZoneRules } from './rules.js';

const US = 1_000_000;

// ---------------------------------------------------------------------------------------
// tzinfo classes

function naiveRequired(dt: unknown, what = 'localize'): PyDatetime {
  if (!(dt instanceof PyDatetime)) throw renderError(`${what}() argument must be a datetime.datetime`);
  if (dt.tzinfo !== null) throw renderError('Not naive datetime (tzinfo is already set)');
  return dt;
}

function awareRequired(dt: unknown): PyDatetime {
  if (!(dt instanceof PyDatetime)) throw renderError('normalize() argument must be a datetime.datetime');
  if (dt.tzinfo === null) throw renderError('Naive time - no tzinfo set');
  return dt;
}

function formatDelta(seconds: number): string {
  return new PyTimedelta({ seconds }).toString();
}

/** Wall-clock microseconds of a datetime read as if it were UTC. */
function wallUs(dt: PyDatetime): bigint {
  return BigInt(dt.epochDays) * 86_400_000_000n + BigInt(dt.dayMicroseconds);
}

/** A zone with one offset at all times (`pytz.utc`, `pytz.FixedOffset`): localize attaches it as is. */
abstract class PytzSingleOffset extends PyTzinfo {
  localize(...args: unknown[]): PyDatetime {
    const dt = naiveRequired(pyArgs('localize', args, ['dt', 'is_dst'], 1).dt);
    return PyDatetime.fromParts(dt.epochDays, dt.dayMicroseconds, this);
  }
  normalize(...args: unknown[]): PyDatetime {
    return awareRequired(pyArgs('normalize', args, ['dt', 'is_dst'], 1).dt).astimezone(this);
  }
}

/** `pytz.utc` / `pytz.UTC`. */
export class PytzUtc extends PytzSingleOffset {
  static {
    Object.defineProperty(this, 'name', { value: 'UTC' });
  }
  readonly zone = 'UTC';
  info(_dt: PyDatetime | null): TzInfoResult {
    return { offsetUs: 0, dstUs: 0, name: 'UTC' };
  }
  override fromutc(dt: PyDatetime): PyDatetime {
    return PyDatetime.fromParts(dt.epochDays, dt.dayMicroseconds, this);
  }
  override __repr__(): string {
    return '<UTC>';
  }
  override toString(): string {
    return 'UTC';
  }
}

/** `pytz.FixedOffset(minutes)`. */
export class PytzFixedOffset extends PytzSingleOffset {
  static {
    Object.defineProperty(this, 'name', { value: 'pytz.FixedOffset' });
  }
  readonly zone = null;
  constructor(readonly minutes: number) {
    super();
  }
  info(_dt: PyDatetime | null): TzInfoResult {
    return { offsetUs: this.minutes * 60 * US, dstUs: 0, name: null };
  }
  override __repr__(): string {
    return `pytz.FixedOffset(${this.minutes})`;
  }
  override toString(): string {
    return this.__repr__();
  }
}

interface ZoneState {
  rules: ZoneRules;
  /** The localized variants, one per (offset, dst, name). */
  variants: Map<string, PytzZone>;
  isStatic: boolean;
}

/** A pytz zone (`pytz.timezone('Europe/Berlin')`) or one of its localized offsets. */
export class PytzZone extends PyTzinfo {
  static {
    Object.defineProperty(this, 'name', { value: 'DstTzInfo' });
  }
  readonly #state: ZoneState;
  readonly #offsetSec: number;
  readonly #dstSec: number;
  readonly #abbr: string;

  constructor(readonly zone: string, state: ZoneState, offsetSec: number, dstSec: number, abbr: string) {
    super();
    this.#state = state;
    this.#offsetSec = offsetSec;
    this.#dstSec = dstSec;
    this.#abbr = abbr;
  }

  /** The zone object `pytz.timezone(name)` returns: its first (LMT) offset, rounded to minutes like pytz. */
  static base(zone: string, rules: ZoneRules): PytzZone {
    const state: ZoneState = { rules, variants: new Map(), isStatic: false };
    const early = Date.UTC(1800, 0, 1);
    const first = rules.offsetAt(early);
    const now = Date.UTC(2024, 0, 1);
    const summer = Date.UTC(2024, 6, 1);
    state.isStatic = first === rules.offsetAt(now) && first === rules.offsetAt(summer);
    if (first % 60 !== 0) return new PytzZone(zone, state, Math.floor((first + 30) / 60) * 60, 0, 'LMT');
    return new PytzZone(zone, state, first, 0, rules.abbreviationAt(early, first));
  }

  #variant(offsetSec: number, dstSec: number, abbr: string): PytzZone {
    const key = `${offsetSec}|${dstSec}|${abbr}`;
    let v = this.#state.variants.get(key);
    if (!v) {
      v = new PytzZone(this.zone, this.#state, offsetSec, dstSec, abbr);
      this.#state.variants.set(key, v);
    }
    return v;
  }

  /** The localized variant in force at an instant. */
  #at(ms: number): PytzZone {
    const rules = this.#state.rules;
    const offset = rules.offsetAt(ms);
    return this.#variant(offset, offset - rules.standardOffsetAt(ms), rules.abbreviationAt(ms, offset));
  }

  #sameZone(tz: unknown): boolean {
    return tz instanceof PytzZone && tz.#state === this.#state;
  }

  #own(): TzInfoResult {
    return { offsetUs: this.#offsetSec * US, dstUs: this.#dstSec * US, name: this.#abbr };
  }

  /** Like pytz: a datetime carrying this object gets its offset; any other is localized first. */
  info(dt: PyDatetime | null): TzInfoResult | null {
    if (dt === null) return null;
    if (dt.tzinfo === this) return this.#own();
    const naive = dt.tzinfo === null ? dt : PyDatetime.fromParts(dt.epochDays, dt.dayMicroseconds, null);
    return (this.#localize(naive, false).tzinfo as PytzZone).#own();
  }

  override fromutc(dt: PyDatetime): PyDatetime {
    if (!(dt instanceof PyDatetime)) throw renderError('fromutc() argument must be a datetime.datetime');
    if (dt.tzinfo !== null && !this.#sameZone(dt.tzinfo)) throw renderError('fromutc: dt.tzinfo is not self');
    const ms = Number(wallUs(dt) / 1000n);
    const v = this.#at(ms);
    return PyDatetime.fromParts(dt.epochDays, dt.dayMicroseconds, v).shift(BigInt(v.#offsetSec) * 1_000_000n);
  }

  #localize(dt: PyDatetime, isDst: boolean | null): PyDatetime {
    const wall = wallUs(dt);
    const wallMs = Number(wall / 1000n);
    const rules = this.#state.rules;
    // Offsets in force around this wall time; each is a candidate if it maps back onto it.
    const candidates = new Map<number, number>();
    for (const probe of [wallMs - 86_400_000, wallMs, wallMs + 86_400_000]) {
      const offset = rules.offsetAt(probe);
      if (!candidates.has(offset)) candidates.set(offset, probe);
    }
    const valid: PytzZone[] = [];
    const all: PytzZone[] = [];
    for (const [offset, probe] of candidates) {
      const instant = wallMs - offset * 1000;
      const ok = rules.offsetAt(instant) === offset;
      const at = ok ? instant : probe;
      const v = this.#variant(offset, offset - rules.standardOffsetAt(at), rules.abbreviationAt(at, offset));
      all.push(v);
      if (ok) valid.push(v);
    }
    let chosen: PytzZone;
    if (valid.length === 1) {
      chosen = valid[0] as PytzZone;
    } else {
      const pool = valid.length ? valid : all;
      if (isDst === null) {
        throw renderError(`${valid.length ? 'AmbiguousTimeError' : 'NonExistentTimeError'}: ${dt.toString()}`);
      }
      const sorted = [...pool].sort((a, b) => a.#offsetSec - b.#offsetSec);
      chosen = (isDst ? sorted[sorted.length - 1] : sorted[0]) as PytzZone;
      const byDst = pool.filter((v) => (v.#dstSec !== 0) === isDst);
      if (byDst.length === 1) chosen = byDst[0] as PytzZone;
    }
    return PyDatetime.fromParts(dt.epochDays, dt.dayMicroseconds, chosen);
  }

  /** `tz.localize(naive_dt, is_dst=False)`: attaches the offset in force at that wall time. */
  localize(...args: unknown[]): PyDatetime {
    const a = pyArgs('localize', args, ['dt', 'is_dst'], 1);
    const isDst = a.is_dst === undefined ? false : a.is_dst === null ? null : Boolean(a.is_dst);
    return this.#localize(naiveRequired(a.dt), isDst);
  }

  /** `tz.normalize(dt)`: fixes the offset after arithmetic (or converts another zone's datetime). */
  normalize(...args: unknown[]): PyDatetime {
    const dt = awareRequired(pyArgs('normalize', args, ['dt', 'is_dst'], 1).dt);
    return PyDatetime.fromEpochMicroseconds(dt.epochMicroseconds, this);
  }

  override __repr__(): string {
    if (this.#state.isStatic) return `<StaticTzInfo ${strRepr(this.zone)}>`;
    const kind = this.#dstSec ? 'DST' : 'STD';
    return `<DstTzInfo ${strRepr(this.zone)} ${this.#abbr}${this.#offsetSec < 0 ? '-' : '+'}${formatDelta(Math.abs(this.#offsetSec))} ${kind}>`;
  }
  override toString(): string {
    return this.zone;
  }
}
