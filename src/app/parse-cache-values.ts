// Python values in what partial_parse.bin keeps (a date var or `modules.datetime` value put in a
// config, a PyYAML date in a property file, an integral float `1.0`): v8's serializer writes an
// object of a class as a plain object (a PyDate, whose fields are private, as `{}`; a PyFloat as a
// Number). The cache writes each as a tagged plain object and reads it back as the same class.
// While this process has made no such value (pythonValuesMade), nothing is looked for.
import { PyFloat, pythonValuesMade } from '../jinja/engine/values.js';
import { PyDate, PyDatetime, PyTime, PyTimedelta, PyTimezone, type PyTzinfo } from '../jinja/pylib/datetime/index.js';
import { pytzTimezone } from '../jinja/pylib/pytz/index.js';

/** The key of a tagged value: `{ [TAG]: kind, v: data }` (a plain object with this key of its own is tagged 'dict'). */
const TAG = '\u0000py';

/** A value of a class the cache cannot write (the parse is then not cached). */
export class UncacheableValue extends Error {}

/** Whether values may need encoding: only once a Python value has been made in this process. */
export function mayHoldPythonValues(): boolean {
  return pythonValuesMade.count > 0;
}

/**
 * `value` with every Python value in it tagged (objects and arrays holding one are copied, the
 * rest kept as they are; `encoded.any` is set when something was); throws UncacheableValue for an
 * object of another class.
 */
export function encodePythonValues<T>(value: T, encoded: { any: boolean }): T {
  return encode(value, new Map(), encoded, 0) as T;
}

function encode(value: unknown, copies: Map<object, unknown>, encoded: { any: boolean }, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const known = copies.get(value);
  if (known !== undefined) return known;
  if (depth > MAX_DEPTH) return value;
  let out: unknown;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item !== 'object' || item === null) continue;
      const e = encode(item, copies, encoded, depth + 1);
      if (e !== item) (copy ??= value.slice())[i] = e;
    }
    if (!copy) return value;
    out = copy;
  } else {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      out = { [TAG]: classTag(value), v: classData(value) };
    } else {
      let copy: Record<string, unknown> | undefined;
      for (const key in value) {
        const item = (value as Record<string, unknown>)[key];
        if (typeof item !== 'object' || item === null) continue;
        const e = encode(item, copies, encoded, depth + 1);
        if (e !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = e;
      }
      if (Object.prototype.hasOwnProperty.call(value, TAG)) out = { [TAG]: 'dict', v: copy ?? value };
      else if (!copy) return value;
      else out = copy;
    }
  }
  encoded.any = true;
  copies.set(value, out);
  return out;
}
/** Deeper than this, nothing is looked for (a guard, never reached by a real manifest, which has no cycles). */
const MAX_DEPTH = 200;

function classTag(value: object): string {
  if (value instanceof PyFloat) return 'float';
  if (value instanceof PyDate) return 'date';
  if (value instanceof PyDatetime) return 'datetime';
  if (value instanceof PyTime) return 'time';
  if (value instanceof PyTimedelta) return 'timedelta';
  return 'tzinfo';
}

function classData(value: object): unknown {
  if (value instanceof PyFloat) return Number(value);
  if (value instanceof PyDate) return value.epochDays;
  if (value instanceof PyDatetime) return [value.epochDays, value.dayMicroseconds, tzData(value.tzinfo)];
  if (value instanceof PyTime) return [value.hour, value.minute, value.second, value.microsecond, tzData(value.tzinfo)];
  if (value instanceof PyTimedelta) return value.totalMicroseconds;
  return tzData(value);
}

/** A tzinfo: a `datetime.timezone` by its offset and name, a pytz zone as `pytz.timezone(name)` gives it. */
function tzData(tz: unknown): unknown {
  if (tz === null) return null;
  if (tz instanceof PyTimezone) {
    const fields = tz as unknown as { offsetUs: number; label: string | null };
    return ['timezone', fields.offsetUs, fields.label];
  }
  const zone = (tz as { zone?: unknown }).zone;
  if (typeof zone === 'string' && pytzTimezone(zone) === tz) return ['pytz', zone];
  const name = (Object.getPrototypeOf(tz) as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'object';
  throw new UncacheableValue(`a value of class ${name}`);
}

/**
 * Turns the tagged values in `value` (as read back from v8's deserializer: fresh objects, changed
 * in place) back into their classes; gives back the value (itself, unless it is a tagged one).
 */
export function revivePythonValues(value: unknown): unknown {
  return revive(value, new Set(), 0);
}

function revive(value: unknown, seen: Set<object>, depth: number): unknown {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  if (!Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const tag = Object.prototype.hasOwnProperty.call(record, TAG) ? record[TAG] : undefined;
    if (tag !== undefined) {
      if (tag !== 'dict') return classValue(tag as string, record.v);
      value = record.v;
    }
  }
  // An object shared in the chunk is met again, its values already revived.
  if (typeof value !== 'object' || value === null || seen.has(value)) return value;
  seen.add(value);
  const items = value as Record<string, unknown>;
  for (const key in items) {
    const item = items[key];
    if (typeof item === 'object' && item !== null) items[key] = revive(item, seen, depth + 1);
  }
  return value;
}

function classValue(tag: string, data: unknown): unknown {
  switch (tag) {
    case 'float':
      return new PyFloat(data);
    case 'date':
      return PyDate.fromEpochDays(data as number);
    case 'datetime': {
      const [days, us, tz] = data as [number, number, unknown];
      return PyDatetime.fromParts(days, us, tzValue(tz));
    }
    case 'time': {
      const [h, m, s, us, tz] = data as [number, number, number, number, unknown];
      return new PyTime(h, m, s, us, tzValue(tz));
    }
    case 'timedelta':
      return PyTimedelta.ofMicroseconds(data as bigint);
    default:
      return tzValue(data);
  }
}

function tzValue(data: unknown): PyTzinfo | null {
  if (data === null) return null;
  const [kind, a, b] = data as [string, unknown, unknown];
  return kind === 'timezone' ? PyTimezone.of(a as number, b as string | null) : pytzTimezone(a);
}
