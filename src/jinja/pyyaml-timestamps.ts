// PyYAML's timestamps (its SafeLoader's YAML 1.1 resolver and construct_yaml_timestamp): a plain
// `2022-11-17` is a datetime.date and `2022-11-17 10:30:00` (or `T`, a fraction, `Z`/`+02:00`) a
// datetime.datetime, aware with a fixed-offset timezone when it has a zone. dbt reads `--vars` and
// `--args` with it, so `--args '{date: 1970-11-20}'` gives a macro a date, not the string
// (HungNguyen501/dbt-clickhouse's `get_date` compares it with '1970-11-20'). Quoted values stay strings.
import type { ScalarTag, SchemaOptions } from 'yaml';
import { PyDate, PyDatetime, PyTimezone } from './pylib/datetime/index.js';

type Tags = Exclude<Extract<SchemaOptions['customTags'], readonly unknown[]>, null>;

/** resolver.py's timestamp pattern. */
export const PY_TIMESTAMP = /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/;
/** constructor.py's timestamp_regexp. */
const PARTS = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)?$/;

/** SafeConstructor.construct_yaml_timestamp of a text PY_TIMESTAMP matched. */
export function pyTimestamp(text: string): PyDate | PyDatetime {
  const m = PARTS.exec(text) as RegExpExecArray;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (m[4] === undefined) return new PyDate(year, month, day);
  const micro = Number(((m[7] ?? '').slice(0, 6) + '000000').slice(0, 6));
  let tz: PyTimezone | null = null;
  if (m[8] === 'Z') tz = PyTimezone.of(0);
  else if (m[8] !== undefined) {
    const minutes = Number(m[10]) * 60 + Number(m[11] ?? 0);
    tz = PyTimezone.of((m[9] === '-' ? -1 : 1) * minutes * 60_000_000);
  }
  return PyDatetime.create(year, month, day, Number(m[4]), Number(m[5]), Number(m[6]), micro, tz);
}

/** A value PyYAML's timestamp resolver makes (a datetime.date or datetime.datetime). */
export function isPyTimestamp(value: unknown): value is PyDate | PyDatetime {
  return value instanceof PyDate || value instanceof PyDatetime;
}

const TIMESTAMP_TAG: ScalarTag = {
  tag: 'tag:yaml.org,2002:timestamp',
  default: true,
  test: PY_TIMESTAMP,
  identify: isPyTimestamp,
  resolve: (text: string) => pyTimestamp(text),
  stringify: ({ value }) => String(value),
};

/** The schema's tags plus PyYAML's implicit timestamp: the `yaml` package's `customTags`. */
export function pyTimestamps(tags: Tags): Tags {
  return [...tags.filter((tag) => typeof tag === 'string' || tag.tag !== TIMESTAMP_TAG.tag), TIMESTAMP_TAG];
}
