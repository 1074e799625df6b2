// A model's `deprecation_date`, read as dbt reads it (unparsed.py normalize_date): a date, or a date
// and time with an optional UTC offset; without an offset it is in the system time zone. Kept as
// dbt writes it to manifest.json: Python's isoformat() of the zone-aware datetime.
import { isPyTimestamp } from '../jinja/pyyaml-timestamps.js';

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** The ISO text (`2024-06-30T00:00:00+02:00`), or null when `value` is not a date dbt reads. */
export function normalizeDeprecationDate(value: unknown): string | null {
  // PyYAML's datetime.date / datetime (a plain `2024-06-30`): read as its str(), as dbt reads either.
  if (isPyTimestamp(value)) return normalizeDeprecationDate(String(value));
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : isoFormat(value, 0, 0);
  if (typeof value !== 'string') return null;
  const m = DATE_TIME.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  const micros = Number((m[7] ?? '').padEnd(6, '0') || 0);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const zone = m[8];
  let offsetMinutes: number;
  let epoch: number;
  if (zone === undefined) {
    // Naive: the system time zone, as Python's astimezone() reads it.
    const local = new Date(year, month - 1, day, hour, minute, second, Math.floor(micros / 1000));
    if (local.getDate() !== day) return null;
    offsetMinutes = -local.getTimezoneOffset();
    epoch = local.getTime();
  } else {
    offsetMinutes = zone.toUpperCase() === 'Z' ? 0 : zoneMinutes(zone);
    epoch = Date.UTC(year, month - 1, day, hour, minute, second, Math.floor(micros / 1000)) - offsetMinutes * 60_000;
    if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return null;
  }
  return isoFormat(new Date(epoch), offsetMinutes, micros % 1000);
}

function zoneMinutes(zone: string): number {
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
  return zone.startsWith('-') ? -minutes : minutes;
}

/** Python's datetime.isoformat() of `instant` shown at `offsetMinutes` (microseconds only when not 0). */
function isoFormat(instant: Date, offsetMinutes: number, extraMicros: number): string {
  const shown = new Date(instant.getTime() + offsetMinutes * 60_000);
  const two = (n: number) => String(n).padStart(2, '0');
  const micros = shown.getUTCMilliseconds() * 1000 + extraMicros;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return (
    `${String(shown.getUTCFullYear()).padStart(4, '0')}-${two(shown.getUTCMonth() + 1)}-${two(shown.getUTCDate())}` +
    `T${two(shown.getUTCHours())}:${two(shown.getUTCMinutes())}:${two(shown.getUTCSeconds())}` +
    (micros ? `.${String(micros).padStart(6, '0')}` : '') +
    `${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`
  );
}
