// Python builtins dbt exposes to templates besides Jinja's own: zip, tojson/fromjson,
// toyaml/fromyaml, set, local_md5, and the `modules` namespace (datetime, pytz, re, itertools).
import { createHash } from 'node:crypto';
import YAML, { Scalar } from 'yaml';
import { TsdbtError } from '../../../errors/tsdbt-error.js';
import { datetimeModule } from '../datetime/index.js';
import { itertoolsModule, zip } from '../itertools/index.js';
import { pytzModule } from '../pytz/index.js';
import { reModule } from '../re/index.js';
import { iter } from '../../engine/py-ops.js';
import { PyFloat } from '../../engine/index.js';
import { callArgs, splitArgs } from '../args/index.js';

/** Python `json.dumps` spacing: `{"a": 1, "b": [1, 2]}`; `sort_keys` optional. */
export function pyJsonDumps(value: unknown, sortKeys = false): string {
  const walk = (v: unknown): string => {
    if (v === null || v === undefined) return 'null';
    if (Array.isArray(v)) return `[${v.map(walk).join(', ')}]`;
    if (v instanceof Date) return JSON.stringify(v.toISOString());
    if (typeof v === 'object') {
      if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return walk((v as { toJSON(): unknown }).toJSON());
      const keys = Object.keys(v).filter((k) => k !== '__keywords');
      if (sortKeys) keys.sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}: ${walk((v as Record<string, unknown>)[k])}`).join(', ')}}`;
    }
    if (typeof v === 'number' && !Number.isFinite(v)) return v > 0 ? 'Infinity' : Number.isNaN(v) ? 'NaN' : '-Infinity';
    return JSON.stringify(v);
  };
  return walk(value);
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
    // dbt's fromyaml is PyYAML's safe_load: a key given twice keeps its last value (config/pyyaml-options.ts,
    // which this layer does not import).
    return YAML.parse(text, { uniqueKeys: false, merge: true });
  } catch {
    return fallback;
  }
}

/** The `modules` object: `modules.datetime`, `modules.pytz`, `modules.re`, `modules.itertools`. */
export function pythonModules(now: () => Date) {
  return {
    datetime: datetimeModule(now),
    pytz: pytzModule(),
    re: reModule(),
    itertools: itertoolsModule(),
  };
}

/** Globals every dbt template sees that do not depend on the node. */
/**
 * dbt's toyaml is PyYAML's `yaml.safe_dump(value, sort_keys=...)`: YAML 1.1 (a string that would
 * read back as a bool, a timestamp or a number is quoted), single quotes, a list under a key not
 * indented, block style.
 */
const PYYAML_SAFE_DUMP = { version: '1.1', indentSeq: false, singleQuote: true } as const;

/** A Python float keeps its fraction when dumped (`1.0`, as PyYAML writes it). */
function pyYamlScalars(_key: unknown, value: unknown): unknown {
  if (!(value instanceof PyFloat)) return value;
  const scalar = new Scalar(Number(value));
  scalar.minFractionDigits = 1;
  return scalar;
}

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
        return YAML.stringify(a.value, pyYamlScalars, { ...PYYAML_SAFE_DUMP, sortMapEntries: Boolean(a.sort_keys) });
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
    set_strict: (value: unknown) => new Set(iter(value)),
    local_md5: (text: string) => createHash('md5').update(String(text)).digest('hex'),
    try_or_compiler_error: (message: string, fn: (...a: unknown[]) => unknown, ...args: unknown[]) => {
      try {
        return fn(...args);
      } catch {
        throw new TsdbtError(message, { code: 'compiler-error' });
      }
    },
  };
}
