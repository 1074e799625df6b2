// `modules.datetime` as templates see it: the callable `datetime`, `date`, `time`, `timedelta`
// and `timezone` with their class methods and constants.
import { strRepr } from '../../engine/py-repr.js';
import { renderError } from '../../engine/values.js';
import { intArg, numArg, pyArgs, pyType, typeError } from '../args/index.js';
import { BIG_DAY_US, DAY_US, MAX_DAYS, MIN_DAYS, ORDINAL_EPOCH, roundHalfEven } from './calendar.js';
import { PyDate } from './date.js';
import { PyDatetime } from './datetime.js';
import { fromIsoformat, parseIsoDate, parseIsoTime, strptime } from './parse.js';
import { PyTime } from './time.js';
import { MAX_TD_DAYS, PyTimedelta, timedelta } from './timedelta.js';
import { PyTimezone, tzArg } from './tzinfo.js';


function nowUs(now: () => Date): bigint {
  return BigInt(now().getTime()) * 1000n;
}

type Method = (...args: unknown[]) => unknown;

/**
 * Instance methods read from the class, as Python's method descriptors: `datetime.strftime(dt, fmt)`
 * is `dt.strftime(fmt)` (templates call `modules.datetime.datetime.strftime(yesterday, "%Y-%m-%d")`).
 * `receiver` gives the object whose method runs, or undefined for a first argument the class's
 * methods do not apply to, which is refused with Python's words.
 */
function unboundMethods(typeName: string, names: readonly string[], receiver: (self: unknown, name: string) => object | undefined): Record<string, Method> {
  const methods: Record<string, Method> = {};
  const shortName = typeName.replace(/^datetime\./, '');
  for (const name of names) {
    methods[name] = (...args: unknown[]) => {
      if (args.length === 0) typeError(`unbound method ${shortName}.${name}() needs an argument`);
      const [self, ...rest] = args;
      const target = receiver(self, name);
      if (target === undefined) typeError(`descriptor '${name}' for '${typeName}' objects doesn't apply to a '${pyType(self)}' object`);
      return (target as Record<string, Method>)[name]!(...rest);
    };
  }
  return methods;
}

/** `date`'s methods that `datetime` inherits: read from either class they are date's, taking both. */
const DATE_INHERITED = ['weekday', 'isoweekday', 'isocalendar', 'toordinal', 'strftime', '__format__'] as const;
const DATE_METHODS = [...DATE_INHERITED, 'isoformat', 'ctime', 'replace'] as const;
const DATETIME_OWN = ['isoformat', 'ctime', 'replace', 'date', 'time', 'timetz', 'utcoffset', 'dst', 'tzname', 'timestamp', 'astimezone'] as const;
const TIME_METHODS = ['utcoffset', 'tzname', 'isoformat', 'strftime', 'replace', '__format__'] as const;
/** `date`'s methods given a datetime (a subclass in Python): these read only its date. */
const DATE_ONLY = new Set(['isoformat', 'ctime', 'replace']);

const ofClass = (cls: abstract new (...args: never[]) => object) => (self: unknown) => (self instanceof cls ? self : undefined);
const dateReceiver = (self: unknown, name: string): object | undefined => {
  if (self instanceof PyDatetime) return DATE_ONLY.has(name) ? self.date() : self;
  return self instanceof PyDate ? self : undefined;
};

function timestampUs(seconds: unknown): bigint {
  const n = numArg(seconds);
  if (!Number.isFinite(n)) throw renderError('cannot convert float NaN to integer');
  return BigInt(roundHalfEven(n * 1e6));
}

/** A member's place, kept in the key order, until lazyMembers makes it a getter. */
const LAZY: unknown = undefined;

/**
 * Makes each of `members` (already a key of `target`, so its place in the key order is kept) a
 * value made on its first read and kept: the classes' constants (`datetime.min`, `date.max`,
 * `timedelta.resolution`...) are Python values, and while a process has made none the parse
 * cache does not look for such values in the 30,000 nodes it writes (app/parse-cache-values.ts
 * mayHoldPythonValues), which every parse did when each render session made them.
 */
export function lazyMembers(target: object, members: Record<string, () => unknown>): void {
  for (const [name, make] of Object.entries(members)) {
    let value: unknown;
    let made = false;
    Object.defineProperty(target, name, {
      enumerable: true,
      configurable: true,
      get: () => {
        if (!made) {
          value = make();
          made = true;
        }
        return value;
      },
    });
  }
}

/** `modules.datetime` as templates see it; `now` is the clock (tests pin it). */
export function datetimeModule(now: () => Date) {
  const timezone = Object.assign(
    (...args: unknown[]) => {
      const a = pyArgs('timezone', args, ['offset', 'name'], 1);
      if (!(a.offset instanceof PyTimedelta)) typeError(`timezone() argument 1 must be datetime.timedelta, not ${pyType(a.offset)}`);
      if (a.name !== undefined && a.name !== null && typeof a.name !== 'string') typeError('timezone() argument 2 must be str');
      return PyTimezone.of(Number(a.offset.totalMicroseconds), a.name ?? null);
    },
    { utc: PyTimezone.utc, min: PyTimezone.of(-(DAY_US - 60_000_000)), max: PyTimezone.of(DAY_US - 60_000_000) },
  );
  const datetime = Object.assign((...args: unknown[]) => PyDatetime.create(...args), unboundMethods('datetime.date', DATE_INHERITED, dateReceiver), unboundMethods('datetime.datetime', DATETIME_OWN, ofClass(PyDatetime)), {
    now: (...args: unknown[]) => PyDatetime.fromEpochMicroseconds(nowUs(now), tzArg(pyArgs('now', args, ['tz']).tz)),
    utcnow: () => PyDatetime.fromEpochMicroseconds(nowUs(now), null),
    today: () => PyDatetime.fromEpochMicroseconds(nowUs(now), null),
    fromtimestamp: (...args: unknown[]) => {
      const a = pyArgs('fromtimestamp', args, ['timestamp', 'tz'], 1);
      return PyDatetime.fromEpochMicroseconds(timestampUs(a.timestamp), tzArg(a.tz));
    },
    utcfromtimestamp: (seconds: unknown) => PyDatetime.fromEpochMicroseconds(timestampUs(seconds), null),
    fromisoformat: (text: unknown) => fromIsoformat(text),
    strptime: (text: unknown, format: unknown) => strptime(text as string, format as string),
    fromordinal: (n: unknown) => PyDatetime.fromParts(intArg('ordinal', n) - ORDINAL_EPOCH, 0, null),
    combine: (...args: unknown[]) => {
      const a = pyArgs('combine', args, ['date', 'time', 'tzinfo'], 2);
      if (!(a.date instanceof PyDate || a.date instanceof PyDatetime)) typeError('combine() argument 1 must be datetime.date');
      if (!(a.time instanceof PyTime)) typeError('combine() argument 2 must be datetime.time');
      const days = a.date instanceof PyDate ? a.date.epochDays : a.date.epochDays;
      return PyDatetime.fromParts(days, a.time.dayMicroseconds, a.tzinfo === undefined ? a.time.tzinfo : tzArg(a.tzinfo));
    },
    min: LAZY,
    max: LAZY,
    resolution: LAZY,
  });
  lazyMembers(datetime, { min: () => PyDatetime.fromParts(MIN_DAYS, 0, null), max: () => PyDatetime.fromParts(MAX_DAYS, DAY_US - 1, null), resolution: () => PyTimedelta.ofMicroseconds(1) });
  const date = Object.assign(
    (...args: unknown[]) => {
      const a = pyArgs('date', args, ['year', 'month', 'day'], 3);
      return new PyDate(intArg('year', a.year), intArg('month', a.month), intArg('day', a.day));
    },
    unboundMethods('datetime.date', DATE_METHODS, dateReceiver),
    {
      today: () => PyDate.fromEpochDays(PyDatetime.fromEpochMicroseconds(nowUs(now), null).epochDays),
      fromtimestamp: (seconds: unknown) => PyDate.fromEpochDays(PyDatetime.fromEpochMicroseconds(timestampUs(seconds), null).epochDays),
      fromisoformat: (text: unknown) => {
        const parsed = typeof text === 'string' ? parseIsoDate(text) : null;
        if (!parsed || parsed[1] !== (text as string).length) throw renderError(`Invalid isoformat string: ${strRepr(String(text))}`);
        return PyDate.fromEpochDays(parsed[0]);
      },
      fromordinal: (n: unknown) => PyDate.fromEpochDays(intArg('ordinal', n) - ORDINAL_EPOCH),
      min: LAZY,
      max: LAZY,
      resolution: LAZY,
    },
  );
  lazyMembers(date, { min: () => PyDate.fromEpochDays(MIN_DAYS), max: () => PyDate.fromEpochDays(MAX_DAYS), resolution: () => new PyTimedelta({ days: 1 }) });
  const time = Object.assign(
    (...args: unknown[]) => {
      const a = pyArgs('time', args, ['hour', 'minute', 'second', 'microsecond', 'tzinfo', 'fold']);
      return new PyTime(
        intArg('hour', a.hour, 0), intArg('minute', a.minute, 0), intArg('second', a.second, 0),
        intArg('microsecond', a.microsecond, 0), tzArg(a.tzinfo),
      );
    },
    unboundMethods('datetime.time', TIME_METHODS, ofClass(PyTime)),
    {
      fromisoformat: (text: unknown) => {
        const parsed = typeof text === 'string' ? parseIsoTime(text.replace(/^T/, '')) : null;
        if (!parsed) throw renderError(`Invalid isoformat string: ${strRepr(String(text))}`);
        const us = parsed[0];
        return new PyTime(Math.floor(us / 3_600_000_000), Math.floor(us / 60_000_000) % 60, Math.floor(us / 1_000_000) % 60, us % 1_000_000, parsed[1]);
      },
      min: LAZY,
      max: LAZY,
    },
  );
  lazyMembers(time, { min: () => new PyTime(), max: () => new PyTime(23, 59, 59, 999_999) });
  const td = Object.assign((...args: unknown[]) => timedelta(...args), unboundMethods('datetime.timedelta', ['total_seconds'], ofClass(PyTimedelta)), {
    min: LAZY,
    max: LAZY,
    resolution: LAZY,
  });
  lazyMembers(td, { min: () => new PyTimedelta({ days: -MAX_TD_DAYS }), max: () => PyTimedelta.ofMicroseconds(BigInt(MAX_TD_DAYS) * BIG_DAY_US + BIG_DAY_US - 1n), resolution: () => PyTimedelta.ofMicroseconds(1) });
  return {
    datetime,
    date,
    time,
    timedelta: td,
    timezone,
    UTC: PyTimezone.utc,
    MINYEAR: 1,
    MAXYEAR: 9999,
  };
}
