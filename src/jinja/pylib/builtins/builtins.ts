// Python builtins dbt exposes to templates besides Jinja's own: zip, tojson/fromjson,
// toyaml/fromyaml, set, local_md5, validation, and the `modules` namespace (datetime, pytz, re, itertools).
import { createHash } from 'node:crypto';
import { TsdbtError } from '../../../errors/tsdbt-error.js';
import { datetimeModule } from '../datetime/index.js';
import { itertoolsModule, zip } from '../itertools/index.js';
import { pytzModule } from '../pytz/index.js';
import { reModule } from '../re/index.js';
import { iter } from '../../engine/py-ops.js';
import { PyFloat, pyJson } from '../../engine/index.js';
import { isPlainObject } from '../../engine/values.js';
import { pyYamlDump, pyYamlLoad } from './pyyaml.js';
import { callArgs, splitArgs } from '../args/index.js';

/**
 * dbt's tojson, Python's `json.dumps(value, sort_keys=...)`: `{"a": 1, "b": [1, 2]}`, with
 * json.dumps' default `ensure_ascii=True` (`"\u00e9"`) and Python's float text (`1.0`), as the
 * engine's `pyJson` writes leaves; other objects are walked by their own keys.
 */
export function pyJsonDumps(value: unknown, sortKeys = false): string {
  const walk = (v: unknown): string => {
    if (v === null || v === undefined) return 'null';
    if (Array.isArray(v)) return `[${v.map(walk).join(', ')}]`;
    if (v instanceof Date) return JSON.stringify(v.toISOString());
    if (typeof v === 'object' && !(v instanceof PyFloat)) {
      if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return walk((v as { toJSON(): unknown }).toJSON());
      const keys = Object.keys(v).filter((k) => k !== '__keywords');
      if (sortKeys) keys.sort();
      return `{${keys.map((k) => `${pyJson(k)}: ${walk((v as Record<string, unknown>)[k])}`).join(', ')}}`;
    }
    return pyJson(v);
  };
  return walk(value);
}

/** A Python type a template names (`list`, `dict`, `str`...), as the test for its values; null for another callable. */
function typeTest(fn: (...a: unknown[]) => unknown): ((v: unknown) => boolean) | null {
  const tests: Record<string, (v: unknown) => boolean> = {
    list: (v) => Array.isArray(v),
    dict: (v) => isPlainObject(v),
    str: (v) => typeof v === 'string',
    int: (v) => typeof v === 'number' && Number.isInteger(v),
    float: (v) => typeof v === 'number' || v instanceof PyFloat,
    bool: (v) => typeof v === 'boolean',
  };
  return tests[fn.name] ?? null;
}

/**
 * dbt's `validation.any(*args)` (providers.py): a validator for `config.get(name, validator=...)`
 * that accepts a value equal to one of `args` or of a type among them, and otherwise raises dbt's
 * `Expected value "x" to be one of a,b`. Written `validation.any[list, basestring]`, as
 * dbt-clickhouse's macros do, the subscript of a function is undefined, which validates nothing
 * (dbt's undefined is callable), as here.
 */
function validateAny(...args: unknown[]): (value: unknown) => void {
  return (value: unknown) => {
    for (const arg of args) {
      if (typeof arg === 'function') {
        const test = typeTest(arg as (...a: unknown[]) => unknown);
        if (test === null || test(value)) return;
      } else if (arg === value) return;
    }
    throw new TsdbtError(`Expected value "${String(value)}" to be one of ${args.map((a) => (typeof a === 'function' ? `<class '${a.name}'>` : String(a))).join(',')}`, { code: 'compiler-error' });
  };
}

function fromJson(text: string, fallback: unknown = null): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}

function fromYaml(text: string, fallback: unknown = null): unknown {
  try {
    return pyYamlLoad(text);
  } catch {
    return fallback;
  }
}

/**
 * The `modules` object: `modules.datetime`, `modules.pytz`, `modules.re`, `modules.itertools`.
 * `onItertoolsCall`: told before each call of an itertools function (dbt 1.11 deprecates them).
 */
export function pythonModules(now: () => Date, onItertoolsCall?: () => void) {
  return {
    datetime: datetimeModule(now),
    pytz: pytzModule(),
    re: reModule(),
    itertools: onItertoolsCall ? announcingCalls(itertoolsModule(), onItertoolsCall) : itertoolsModule(),
  };
}

/** `module` with each function calling `before` first (its own members, `chain.from_iterable`, kept). */
function announcingCalls<M extends Record<string, unknown>>(module: M, before: () => void): M {
  const wrapped: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(module)) {
    if (typeof member !== 'function') {
      wrapped[name] = member;
      continue;
    }
    const fn = member as (...args: unknown[]) => unknown;
    wrapped[name] = Object.assign((...args: unknown[]) => {
      before();
      return fn(...args);
    }, announcingCalls({ ...fn }, before));
  }
  return wrapped as M;
}

/** Globals every dbt template sees that do not depend on the node. */
export function pythonBuiltins() {
  return {
    // Lazy-aware, so `zip(modules.itertools.count(), items)` stops at the shortest.
    // dbt's zip / set / tojson / ... return `default` (None) where Python raises; the *_strict
    // forms raise.
    zip: (...values: unknown[]) => {
      const [pos, kw] = splitArgs(values);
      try {
        return zip(...pos);
      } catch {
        return kw.default ?? null;
      }
    },
    zip_strict: (...values: unknown[]) => zip(...splitArgs(values)[0]),
    tojson: (...values: unknown[]) => {
      const a = callArgs(values, ['value', 'default', 'sort_keys']);
      try {
        return pyJsonDumps(a.value, Boolean(a.sort_keys));
      } catch {
        return a.default ?? null;
      }
    },
    fromjson: (...values: unknown[]) => {
      const a = callArgs(values, ['string', 'default']);
      return fromJson(String(a.string), a.default ?? null);
    },
    toyaml: (...values: unknown[]) => {
      const a = callArgs(values, ['value', 'default', 'sort_keys']);
      try {
        return pyYamlDump(a.value, Boolean(a.sort_keys));
      } catch {
        return a.default ?? null;
      }
    },
    fromyaml: (...values: unknown[]) => {
      const a = callArgs(values, ['value', 'default']);
      return fromYaml(String(a.value), a.default ?? null);
    },
    // A Python set: unordered equality (`set(a) != set(b)`), membership, iteration, len.
    set: (...values: unknown[]) => {
      const a = callArgs(values, ['value', 'default']);
      try {
        return new Set(iter(a.value ?? []));
      } catch {
        return a.default ?? null;
      }
    },
    set_strict: (...values: unknown[]) => new Set(iter(callArgs(values, ['value']).value)),
    validation: { any: validateAny },
    local_md5: (...values: unknown[]) => createHash('md5').update(String(callArgs(values, ['value']).value)).digest('hex'),
    try_or_compiler_error: (message: string, fn: (...a: unknown[]) => unknown, ...args: unknown[]) => {
      try {
        return fn(...args);
      } catch {
        throw new TsdbtError(message, { code: 'compiler-error' });
      }
    },
  };
}
