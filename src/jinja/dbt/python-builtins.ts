// Python builtins dbt exposes to templates besides Jinja's own: zip, tojson/fromjson,
// toyaml/fromyaml, set, local_md5, and the `modules` namespace (datetime, re, itertools).
import { createHash } from 'node:crypto';
import YAML from 'yaml';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { datetimeModule } from './py-datetime.js';

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
    return YAML.parse(text);
  } catch {
    return fallback;
  }
}

/** Python's `re` module over JS regular expressions (named groups `(?P<x>)` translated). */
function reModule() {
  const compile = (pattern: string, flags = 0): RegExp => {
    const js = pattern.replace(/\(\?P<(\w+)>/g, '(?<$1>').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
    let f = '';
    if (flags & 2) f += 'i';
    if (flags & 8) f += 'm';
    if (flags & 16) f += 's';
    return new RegExp(js, f);
  };
  const matchObject = (m: RegExpExecArray | null) =>
    m && {
      group: (i: number | string = 0) => (typeof i === 'number' ? m[i] : m.groups?.[i]) ?? null,
      groups: () => m.slice(1),
      groupdict: () => ({ ...(m.groups ?? {}) }),
      start: () => m.index,
      end: () => m.index + m[0].length,
    };
  const withFlag = (pattern: string | RegExp, flags: number, extra: string) => {
    const re = typeof pattern === 'string' ? compile(pattern, flags) : pattern;
    return new RegExp(re.source, [...new Set(re.flags + extra)].join(''));
  };
  return {
    IGNORECASE: 2, I: 2, MULTILINE: 8, M: 8, DOTALL: 16, S: 16,
    compile: (pattern: string, flags = 0) => {
      const re = compile(pattern, flags);
      return {
        pattern,
        match: (s: string) => matchObject(withFlag(re, 0, 'y').exec(s)),
        search: (s: string) => matchObject(re.exec(s)),
        findall: (s: string) => findall(re, s),
        sub: (repl: string, s: string) => s.replace(withFlag(re, 0, 'g'), pyReplacement(repl)),
      };
    },
    match: (pattern: string, s: string, flags = 0) => matchObject(withFlag(pattern, flags, 'y').exec(s)),
    search: (pattern: string, s: string, flags = 0) => matchObject(compile(pattern, flags).exec(s)),
    fullmatch: (pattern: string, s: string, flags = 0) => matchObject(compile(`^(?:${pattern})$`, flags).exec(s)),
    findall: (pattern: string, s: string, flags = 0) => findall(compile(pattern, flags), s),
    sub: (pattern: string, repl: string, s: string, count = 0, flags = 0) => {
      if (count > 0) {
        let n = 0;
        return s.replace(withFlag(pattern, flags, 'g'), (...args) => (n++ < count ? expand(repl, args) : String(args[0])));
      }
      return s.replace(withFlag(pattern, flags, 'g'), pyReplacement(repl));
    },
    split: (pattern: string, s: string) => s.split(compile(pattern)),
    escape: (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
  };
}

function findall(re: RegExp, s: string): unknown[] {
  const out: unknown[] = [];
  for (const m of s.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`))) {
    out.push(m.length > 2 ? m.slice(1) : m.length === 2 ? m[1] : m[0]);
  }
  return out;
}

/** Python replacement strings use `\1` and `\g<name>`; JS uses `$1` and `$<name>`. */
function pyReplacement(repl: string): string {
  return repl.replace(/\$/g, '$$$$').replace(/\\g<(\w+)>/g, (_m, g: string) => (/^\d+$/.test(g) ? `$${g}` : `$<${g}>`)).replace(/\\(\d+)/g, '$$$1');
}

function expand(repl: string, args: unknown[]): string {
  return repl.replace(/\\(\d+)/g, (_m, d: string) => String(args[Number(d)] ?? ''));
}

/** The `modules` object: `modules.datetime`, `modules.re`, `modules.itertools`. */
export function pythonModules(now: () => Date) {
  return {
    datetime: datetimeModule(now),
    re: reModule(),
    itertools: {
      chain: (...lists: unknown[][]) => lists.flat(),
      product: (...lists: unknown[][]) =>
        lists.reduce<unknown[][]>((acc, list) => acc.flatMap((prefix) => list.map((x) => [...prefix, x])), [[]]),
      combinations: (list: unknown[], r: number) => {
        const out: unknown[][] = [];
        const rec = (start: number, chosen: unknown[]) => {
          if (chosen.length === r) return void out.push(chosen);
          for (let i = start; i < list.length; i++) rec(i + 1, [...chosen, list[i]]);
        };
        rec(0, []);
        return out;
      },
    },
  };
}

/** Globals every dbt template sees that do not depend on the node. */
export function pythonBuiltins() {
  return {
    zip: (...lists: unknown[][]) => {
      const n = Math.min(...lists.map((l) => l.length));
      return Array.from({ length: n }, (_v, i) => lists.map((l) => l[i]));
    },
    tojson: (value: unknown, sortKeys = false) => pyJsonDumps(value, sortKeys),
    fromjson: fromJson,
    toyaml: (value: unknown) => YAML.stringify(value),
    fromyaml: fromYaml,
    set: (items: unknown[] = []) => [...new Set(items)],
    set_strict: (items: unknown[]) => [...new Set(items)],
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
