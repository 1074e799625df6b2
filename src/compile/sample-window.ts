// `--sample` (dbt 1.10's sample mode, run and build): the time window that refs and sources with an
// `event_time` are filtered to while models and snapshots build, so a development or CI build reads
// a recent slice instead of the whole history. dbt's two forms (dbt-core's SampleType and
// SampleWindow): a relative one, `"3 days"` (an integer and hour, day, month or year, plural or
// not: the window ends now and starts that far back, months and years clamped to the month's end
// as dateutil's relativedelta does), and a static one, `"{'start': '2024-07-01', 'end':
// '2024-07-08 18:00:00'}"` (YAML; times without a zone are UTC).
import YAML from 'yaml';
import { PYYAML_LOAD } from '../config/pyyaml-load.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { parseUtcTimestamp } from '../time/utc-text.js';
import type { EventTimeWindow } from './event-time-filter.js';
import { PyDatetime } from '../jinja/pylib/datetime/index.js';
import { PYTZ_UTC } from '../jinja/pylib/pytz/index.js';

const GRAINS = ['hour', 'day', 'month', 'year'] as const;
type Grain = (typeof GRAINS)[number];

function invalid(message: string): TsdbtError {
  return new TsdbtError(`--sample: ${message}`, {
    code: 'usage',
    hint: `give a relative window, e.g. --sample "3 days" (${GRAINS.map((g) => `${g}s`).join(', ')}), or a static one, e.g. --sample "{'start': '2024-07-01', 'end': '2024-07-08'}"`,
  });
}

/** `at` moved by `amount` of `grain`, as relativedelta: a month or year step keeps the day, clamped to the month's last day. */
export function offsetTimestamp(at: Date, grain: Grain, amount: number): Date {
  if (grain === 'hour') return new Date(at.getTime() + amount * 3_600_000);
  if (grain === 'day') return new Date(at.getTime() + amount * 86_400_000);
  const months = grain === 'month' ? amount : amount * 12;
  const target = new Date(at.getTime());
  const total = at.getUTCFullYear() * 12 + at.getUTCMonth() + months;
  const [year, month] = [Math.floor(total / 12), ((total % 12) + 12) % 12];
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  target.setUTCFullYear(year, month, Math.min(at.getUTCDate(), lastDay));
  return target;
}

function staticBound(value: unknown, key: 'start' | 'end'): Date {
  if (value instanceof Date) return value;
  if (typeof value !== 'string' && typeof value !== 'number') throw invalid(`the static window needs '${key}' (a date or timestamp)`);
  const text = String(value).trim();
  const date = parseUtcTimestamp(text);
  if (date === null) throw invalid(`'${key}' must be a date or timestamp, got '${text}'`);
  return date;
}

/** The window `--sample <text>` names, relative to `now`. */
export function parseSampleWindow(text: string, now: Date): EventTimeWindow {
  const spec = text.trim();
  if (spec.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = YAML.parse(spec, PYYAML_LOAD);
    } catch (err) {
      throw invalid(`'${spec}' is not a YAML mapping: ${(err as Error).message.split('\n')[0] ?? ''}`);
    }
    const window = (parsed ?? {}) as { start?: unknown; end?: unknown };
    const start = staticBound(window.start, 'start');
    const end = staticBound(window.end, 'end');
    if (start.getTime() >= end.getTime()) throw invalid(`the window's start (${start.toISOString()}) must come before its end (${end.toISOString()})`);
    return { start, end };
  }
  const words = spec.split(' ');
  if (words.length !== 2) throw invalid(`cannot load a window from '${text}': it must be of the form 'INTEGER GRAIN', e.g. '3 days'`);
  const [count, unit] = words as [string, string];
  if (!/^-?\d+$/.test(count)) throw invalid(`'${count}' is not an integer`);
  const grain = unit.toLowerCase().replace(/s$/, '');
  if (!(GRAINS as readonly string[]).includes(grain)) throw invalid(`'${unit}' is not a grain: use one of ${GRAINS.flatMap((g) => [g, `${g}s`]).join(', ')}`);
  return { start: offsetTimestamp(now, grain as Grain, -Number(count)), end: now };
}

/**
 * dbt's SampleWindow as templates see it (`flags.SAMPLE`, `invocation_args_dict.sample`): `start`
 * and `end` as pytz-UTC datetimes, and the text of dbt's attrs dataclass,
 * `SampleWindow(start=datetime.datetime(2025, 1, 2, 2, 3, tzinfo=<UTC>), end=...)`.
 */
export class SampleWindowValue {
  readonly start: PyDatetime;
  readonly end: PyDatetime;
  constructor(window: EventTimeWindow) {
    this.start = new PyDatetime(window.start, PYTZ_UTC);
    this.end = new PyDatetime(window.end, PYTZ_UTC);
  }
  __repr__(): string {
    return `SampleWindow(start=${this.start.__repr__()}, end=${this.end.__repr__()})`;
  }
  toString(): string {
    return this.__repr__();
  }
}
