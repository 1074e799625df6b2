// `modules.pytz` for templates, on the platform's time-zone database (Intl / ICU): zones from
// `pytz.timezone(name)` with `localize()`, `normalize()`, `.zone`; `pytz.utc`; `all_timezones`.
// Like pytz, a zone object attached directly (`datetime(..., tzinfo=tz)`, `replace(tzinfo=tz)`)
// carries the zone's first (LMT) offset; `localize()`, `astimezone()` and `now(tz)` pick the
// offset in force, and arithmetic keeps the offset until `normalize()`.
import { strRepr } from '../engine/py-repr.js';
import { renderError } from '../engine/values.js';
import { PyDatetime, PyTimedelta, PyTzinfo, pyArgs, type TzInfoResult } from './py-datetime.js';

const US = 1_000_000;

// ---------------------------------------------------------------------------------------
// Zone rules from Intl

/** Locales tried, in order, for a zone abbreviation (ICU only has them for some regions). */
const ABBREVIATION_LOCALES = ['en-US', 'en-GB', 'en-AU', 'en-NZ', 'en-IN', 'en-ZA', 'en-IE', 'en-HK', 'ja-JP'];

/** Abbreviations (by UTC offset in seconds) where the tz database and ICU's names differ; null = numeric. */
const ABBREVIATIONS: Record<string, Record<number, string | null>> = {};
function abbreviations(zones: string[], table: Record<number, string | null>): void {
  for (const z of zones) ABBREVIATIONS[z] = table;
}
abbreviations(['Asia/Shanghai', 'Asia/Chongqing', 'Asia/Chungking', 'Asia/Harbin', 'PRC', 'Asia/Taipei', 'ROC', 'Asia/Macau', 'Asia/Macao'], { 28800: 'CST' });
abbreviations(['Asia/Seoul', 'ROK', 'Asia/Pyongyang'], { 32400: 'KST' });
abbreviations(['Asia/Karachi'], { 18000: 'PKT' });
abbreviations(['Asia/Manila'], { 28800: 'PST' });
abbreviations(['Asia/Jakarta', 'Asia/Pontianak'], { 25200: 'WIB' });
abbreviations(['Asia/Makassar', 'Asia/Ujung_Pandang'], { 28800: 'WITA' });
abbreviations(['Asia/Jayapura'], { 32400: 'WIT' });
abbreviations(['Asia/Jerusalem', 'Asia/Tel_Aviv', 'Israel'], { 7200: 'IST', 10800: 'IDT' });
abbreviations(['Europe/Moscow', 'Europe/Kirov', 'Europe/Simferopol', 'Europe/Volgograd', 'W-SU'], { 10800: 'MSK' });
abbreviations(['America/St_Johns', 'Canada/Newfoundland'], { [-12600]: 'NST', [-9000]: 'NDT' });
abbreviations(['America/Havana', 'Cuba'], { [-18000]: 'CST', [-14400]: 'CDT' });
abbreviations(['America/Adak', 'America/Atka', 'US/Aleutian'], { [-36000]: 'HST', [-32400]: 'HDT' });
abbreviations(['America/Dawson', 'America/Whitehorse', 'America/Hermosillo', 'America/Mazatlan', 'Canada/Yukon', 'Mexico/BajaSur'], { [-25200]: 'MST' });
abbreviations(['Pacific/Guam', 'Pacific/Saipan'], { 36000: 'ChST' });
abbreviations(['Pacific/Midway', 'Pacific/Pago_Pago', 'Pacific/Samoa', 'US/Samoa'], { [-39600]: 'SST' });
abbreviations(['Europe/Guernsey', 'Europe/Isle_of_Man', 'Europe/Jersey', 'GB', 'GB-Eire'], { 0: 'GMT', 3600: 'BST' });
abbreviations(['GMT', 'Etc/GMT', 'Etc/GMT0', 'Etc/GMT+0', 'Etc/GMT-0', 'GMT0', 'GMT+0', 'GMT-0', 'Greenwich', 'Etc/Greenwich'], { 0: 'GMT' });
abbreviations(['Asia/Dubai', 'Asia/Muscat', 'Asia/Colombo', 'Antarctica/Casey', 'Antarctica/Troll', 'Australia/Eucla', 'Australia/Lord_Howe', 'Australia/LHI', 'Pacific/Chatham', 'NZ-CHAT'], {});
const NUMERIC_ONLY = new Set(['Asia/Dubai', 'Asia/Muscat', 'Asia/Colombo', 'Antarctica/Casey', 'Antarctica/Troll', 'Australia/Eucla', 'Australia/Lord_Howe', 'Australia/LHI', 'Pacific/Chatham', 'NZ-CHAT']);

/** `+03`, `-0330`: the tz database's name for zones without an abbreviation. */
function numericName(offsetSec: number): string {
  const sign = offsetSec < 0 ? '-' : '+';
  const abs = Math.abs(offsetSec);
  const hh = Math.floor(abs / 3600);
  const mm = Math.floor((abs % 3600) / 60);
  return `${sign}${String(hh).padStart(2, '0')}${mm ? String(mm).padStart(2, '0') : ''}`;
}

/** Offsets and names of one IANA zone, read from Intl. */
class ZoneRules {
  private readonly parts: Intl.DateTimeFormat;
  private readonly names = new Map<string, Intl.DateTimeFormat>();
  private readonly offsetCache = new Map<number, number>();

  constructor(readonly id: string) {
    this.parts = new Intl.DateTimeFormat('en-US', {
      timeZone: id, hourCycle: 'h23', era: 'short',
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  }

  /** UTC offset in seconds at an instant (milliseconds since 1970). */
  offsetAt(ms: number): number {
    const sec = Math.floor(ms / 1000);
    const cached = this.offsetCache.get(sec);
    if (cached !== undefined) return cached;
    const p: Record<string, string> = {};
    for (const part of this.parts.formatToParts(sec * 1000)) p[part.type] = part.value;
    let year = Number(p.year);
    if (p.era === 'BC' || p.era === 'B') year = 1 - year;
    const t = new Date(0);
    t.setUTCFullYear(year, Number(p.month) - 1, Number(p.day));
    t.setUTCHours(Number(p.hour), Number(p.minute), Number(p.second));
    const offset = Math.round((t.getTime() - sec * 1000) / 1000);
    if (this.offsetCache.size > 4096) this.offsetCache.clear();
    this.offsetCache.set(sec, offset);
    return offset;
  }

  /** Standard (non-DST) offset around an instant: the smaller of January's and July's. */
  standardOffsetAt(ms: number): number {
    const year = new Date(ms).getUTCFullYear();
    const jan = new Date(0);
    jan.setUTCFullYear(year, 0, 1);
    const jul = new Date(0);
    jul.setUTCFullYear(year, 6, 1);
    return Math.min(this.offsetAt(jan.getTime()), this.offsetAt(jul.getTime()));
  }

  /** The zone's abbreviation at an instant (`CET`, `EDT`, `+03`). */
  abbreviationAt(ms: number, offsetSec: number): string {
    const table = ABBREVIATIONS[this.id];
    if (table && table[offsetSec] !== undefined) return table[offsetSec] ?? numericName(offsetSec);
    if (NUMERIC_ONLY.has(this.id)) return numericName(offsetSec);
    for (const locale of ABBREVIATION_LOCALES) {
      let fmt = this.names.get(locale);
      if (!fmt) {
        fmt = new Intl.DateTimeFormat(locale, { timeZone: this.id, timeZoneName: 'short' });
        this.names.set(locale, fmt);
      }
      const name = fmt.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? '';
      if (!/^[A-Z][A-Za-z]{1,5}$/.test(name)) continue;
      if ((name === 'GMT' || name === 'UTC') && offsetSec !== 0) continue;
      return name;
    }
    return numericName(offsetSec);
  }
}

// ---------------------------------------------------------------------------------------
// Zone names

/** Names pytz knows that ICU lists under another (older or newer) spelling, or not at all. */
const EXTRA_NAMES = [
  'UTC', 'GMT', 'UCT', 'Universal', 'Zulu', 'Greenwich', 'GMT0', 'GMT+0', 'GMT-0',
  'Etc/UTC', 'Etc/UCT', 'Etc/Universal', 'Etc/Zulu', 'Etc/GMT', 'Etc/GMT0', 'Etc/GMT+0', 'Etc/GMT-0', 'Etc/Greenwich',
  ...Array.from({ length: 12 }, (_v, i) => `Etc/GMT+${i + 1}`),
  ...Array.from({ length: 14 }, (_v, i) => `Etc/GMT-${i + 1}`),
  'EST', 'MST', 'HST', 'EST5EDT', 'CST6CDT', 'MST7MDT', 'PST8PDT', 'CET', 'EET', 'MET', 'WET',
  'US/Eastern', 'US/Central', 'US/Mountain', 'US/Pacific', 'US/Alaska', 'US/Hawaii', 'US/Arizona', 'US/Aleutian',
  'US/East-Indiana', 'US/Indiana-Starke', 'US/Michigan', 'US/Samoa',
  'Canada/Atlantic', 'Canada/Central', 'Canada/Eastern', 'Canada/Mountain', 'Canada/Newfoundland', 'Canada/Pacific',
  'Canada/Saskatchewan', 'Canada/Yukon', 'Mexico/BajaNorte', 'Mexico/BajaSur', 'Mexico/General',
  'Brazil/Acre', 'Brazil/DeNoronha', 'Brazil/East', 'Brazil/West', 'Chile/Continental', 'Chile/EasterIsland',
  'Australia/ACT', 'Australia/NSW', 'Australia/North', 'Australia/Queensland', 'Australia/South', 'Australia/Tasmania',
  'Australia/Victoria', 'Australia/West', 'Australia/Canberra', 'Australia/LHI', 'Australia/Yancowinna',
  'Asia/Kolkata', 'Asia/Calcutta', 'Asia/Ho_Chi_Minh', 'Asia/Saigon', 'Asia/Kathmandu', 'Asia/Katmandu', 'Asia/Yangon',
  'Asia/Rangoon', 'Asia/Dhaka', 'Asia/Dacca', 'Asia/Thimphu', 'Asia/Ulaanbaatar', 'Asia/Macau', 'Asia/Tel_Aviv',
  'Asia/Istanbul', 'Asia/Chongqing', 'Asia/Harbin', 'Asia/Ujung_Pandang', 'Europe/Kyiv', 'Europe/Kiev', 'Europe/Belfast',
  'Africa/Asmara', 'Africa/Asmera', 'Africa/Timbuktu', 'America/Argentina/Buenos_Aires', 'America/Buenos_Aires',
  'America/Indiana/Indianapolis', 'America/Indianapolis', 'America/Kentucky/Louisville', 'America/Louisville',
  'America/Nuuk', 'America/Godthab', 'America/Atka', 'America/Fort_Wayne', 'America/Knox_IN', 'America/Shiprock',
  'Atlantic/Faroe', 'Atlantic/Faeroe', 'Pacific/Pohnpei', 'Pacific/Ponape', 'Pacific/Chuuk', 'Pacific/Truk',
  'Pacific/Kanton', 'Pacific/Enderbury', 'Pacific/Samoa', 'Pacific/Yap',
  'GB', 'GB-Eire', 'NZ', 'NZ-CHAT', 'Japan', 'Singapore', 'Hongkong', 'Israel', 'Turkey', 'Egypt', 'Iran', 'Poland',
  'Portugal', 'PRC', 'ROC', 'ROK', 'Cuba', 'Jamaica', 'Navajo', 'Iceland', 'Libya', 'Eire', 'Kwajalein', 'W-SU',
];

const UTC_NAMES = new Set(['utc', 'etc/utc', 'uct', 'etc/uct', 'universal', 'etc/universal', 'zulu', 'etc/zulu']);

function validZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

let allNames: string[] | undefined;
let byLowerName: Map<string, string> | undefined;

/** Every zone name (pytz's `all_timezones`), sorted. */
function allTimezones(): string[] {
  if (!allNames) {
    const names = new Set<string>(Intl.supportedValuesOf('timeZone'));
    for (const n of EXTRA_NAMES) if (!names.has(n) && validZone(n)) names.add(n);
    allNames = [...names].sort();
    byLowerName = new Map(allNames.map((n) => [n.toLowerCase(), n]));
  }
  return allNames;
}

/** pytz's `common_timezones`: current Region/City names plus UTC and GMT (no legacy aliases). */
function commonTimezones(): string[] {
  const legacy = /^(US|Canada|Mexico|Brazil|Chile|Etc)\/|^[^/]+$/;
  return allTimezones().filter((n) => !legacy.test(n) || n === 'UTC' || n === 'GMT' || n.startsWith('US/'));
}

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

/** `pytz.utc` / `pytz.UTC`. */
export class PytzUtc extends PyTzinfo {
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
  localize(...args: unknown[]): PyDatetime {
    const dt = naiveRequired(pyArgs('localize', args, ['dt', 'is_dst'], 1).dt);
    return PyDatetime.fromParts(dt.epochDays, dt.dayMicroseconds, this);
  }
  normalize(...args: unknown[]): PyDatetime {
    return awareRequired(pyArgs('normalize', args, ['dt', 'is_dst'], 1).dt).astimezone(this);
  }
  override __repr__(): string {
    return '<UTC>';
  }
  override toString(): string {
    return 'UTC';
  }
}

/** `pytz.FixedOffset(minutes)`. */
export class PytzFixedOffset extends PyTzinfo {
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
  localize(...args: unknown[]): PyDatetime {
    const dt = naiveRequired(pyArgs('localize', args, ['dt', 'is_dst'], 1).dt);
    return PyDatetime.fromParts(dt.epochDays, dt.dayMicroseconds, this);
  }
  normalize(...args: unknown[]): PyDatetime {
    return awareRequired(pyArgs('normalize', args, ['dt', 'is_dst'], 1).dt).astimezone(this);
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

// ---------------------------------------------------------------------------------------
// The module

const UTC = new PytzUtc();
const zoneCache = new Map<string, PyTzinfo>();

/** `pytz.timezone(name)`: case-insensitive; unknown names raise UnknownTimeZoneError. */
export function pytzTimezone(name: unknown): PyTzinfo {
  if (typeof name !== 'string') throw renderError(`UnknownTimeZoneError: ${String(name)}`);
  const lower = name.toLowerCase();
  if (UTC_NAMES.has(lower)) return UTC;
  let tz = zoneCache.get(lower);
  if (tz) return tz;
  allTimezones();
  const canonical = byLowerName?.get(lower) ?? (validZone(name) && /^[A-Za-z]/.test(name) ? name : undefined);
  if (canonical === undefined) throw renderError(`UnknownTimeZoneError: ${strRepr(name)}`);
  tz = PytzZone.base(canonical, new ZoneRules(canonical));
  zoneCache.set(lower, tz);
  return tz;
}

/** `modules.pytz` as templates see it. */
export function pytzModule() {
  return {
    timezone: pytzTimezone,
    utc: UTC,
    UTC,
    FixedOffset: (minutes: unknown) => {
      if (typeof minutes !== 'number' || !Number.isInteger(minutes)) throw renderError('FixedOffset() requires an integer number of minutes');
      if (minutes === 0) return UTC;
      if (Math.abs(minutes) >= 1440) throw renderError('absolute offset is too large');
      return new PytzFixedOffset(minutes);
    },
    get all_timezones(): string[] {
      return [...allTimezones()];
    },
    get all_timezones_set(): Set<string> {
      return new Set(allTimezones());
    },
    get common_timezones(): string[] {
      return commonTimezones();
    },
    get common_timezones_set(): Set<string> {
      return new Set(commonTimezones());
    },
    ZERO: new PyTimedelta(),
    HOUR: new PyTimedelta({ hours: 1 }),
  };
}
