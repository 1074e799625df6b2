// `modules.pytz` for templates, on the platform's time-zone database (Intl / ICU): zones from
// `pytz.timezone(name)` with `localize()`, `normalize()`, `.zone`; `pytz.utc`; `all_timezones`.
// Like pytz, a zone object attached directly (`datetime(..., tzinfo=tz)`, `replace(tzinfo=tz)`)
// carries the zone's first (LMT) offset; `localize()`, `astimezone()` and `now(tz)` pick the
// offset in force, and arithmetic keeps the offset until `normalize()`.
//
// This file is the module object; zone rules are in rules.ts, zone names in names.ts, and the
// tzinfo classes in zones.ts; index.ts is the entry.
import { strRepr } from '../../engine/py-repr.js';
import { renderError } from '../../engine/values.js';
import { lazyMembers, PyTimedelta, type PyTzinfo } from '../datetime/index.js';
import { allTimezones, canonicalZoneName, commonTimezones, UTC_NAMES } from './names.js';
import { ZoneRules } from './rules.js';
import { PytzFixedOffset, PytzUtc, PytzZone } from './zones.js';

// ---------------------------------------------------------------------------------------
// The module

/** `pytz.utc`, one object as in pytz. */
export const PYTZ_UTC = new PytzUtc();
const UTC = PYTZ_UTC;
const zoneCache = new Map<string, PyTzinfo>();

/** `pytz.timezone(name)`: case-insensitive; unknown names raise UnknownTimeZoneError. */
export function pytzTimezone(name: unknown): PyTzinfo {
  if (typeof name !== 'string') throw renderError(`UnknownTimeZoneError: ${String(name)}`);
  const lower = name.toLowerCase();
  if (UTC_NAMES.has(lower)) return UTC;
  let tz = zoneCache.get(lower);
  if (tz) return tz;
  const canonical = canonicalZoneName(name);
  if (canonical === undefined) throw renderError(`UnknownTimeZoneError: ${strRepr(name)}`);
  tz = PytzZone.base(canonical, new ZoneRules(canonical));
  zoneCache.set(lower, tz);
  return tz;
}

/** `modules.pytz` as templates see it. */
export function pytzModule() {
  const pytz = {
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
    ZERO: undefined as unknown,
    HOUR: undefined as unknown,
  };
  // Python values, made when first read (lazyMembers).
  lazyMembers(pytz, { ZERO: () => new PyTimedelta(), HOUR: () => new PyTimedelta({ hours: 1 }) });
  return pytz;
}
