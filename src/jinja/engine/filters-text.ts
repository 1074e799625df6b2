// Jinja2's string and scalar filters: lower/upper/trim/replace/default/string/int/float/abs/
// round/wordcount/indent/format/tojson/title/capitalize/center/truncate/escape...
import { percentFormat } from './py-format.js';
import { length, truthy } from './py-ops.js';
import { floatRepr, pyStr } from './py-repr.js';
import { strMethods } from './py-str-methods.js';
import { Namespace, PyFloat, Undef, isPlainObject, makeFloat, numberOf, renderError, tuple, typeName } from './values.js';

/** A filter: the filtered value, positional args, keyword args. */
export type FilterFn = (value: unknown, args: unknown[], kw: Record<string, unknown>) => unknown;

/** Positional-or-keyword argument `i`/`name` of a filter call. */
export function opt(args: unknown[], kw: Record<string, unknown>, i: number, name: string, dflt?: unknown): unknown {
  if (i < args.length) return args[i];
  if (name in kw) return kw[name];
  return dflt;
}

function jsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || (c > 0x7e && c < 0x10000)) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else if (c >= 0x10000) {
      const v = c - 0x10000;
      out += `\\u${(0xd800 + (v >> 10)).toString(16)}\\u${(0xdc00 + (v & 0x3ff)).toString(16)}`;
    } else out += ch;
  }
  return `${out}"`;
}

/** Python `json.dumps(value, indent=indent)` (ensure_ascii, `", "` / `": "` separators, keys unsorted). */
export function pyJson(value: unknown, indent: number | null = null, sortKeys = false, depth = 0): string {
  const nl = indent === null ? '' : `\n${' '.repeat(indent * (depth + 1))}`;
  const close = indent === null ? '' : `\n${' '.repeat(indent * depth)}`;
  const sep = indent === null ? ', ' : ',';
  if (value === null || value === undefined || value instanceof Undef) return 'null';
  if (typeof value === 'string') return jsonString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
    return Number.isInteger(value) ? String(value) : floatRepr(value);
  }
  if (value instanceof PyFloat) return floatRepr(value.valueOf());
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${nl}${value.map((v) => pyJson(v, indent, sortKeys, depth + 1)).join(sep + nl)}${close}]`;
  }
  if (value instanceof Date) return jsonString(value.toISOString());
  if (typeof value === 'object') {
    const toJSON = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof toJSON === 'function') return pyJson(toJSON.call(value), indent, sortKeys, depth);
    if (!isPlainObject(value) && !(value instanceof Namespace) && !(value instanceof Map)) {
      throw renderError(`Object of type ${typeName(value)} is not JSON serializable`);
    }
    const entries = value instanceof Map ? [...value.entries()].map(([k, v]) => [String(k), v] as const)
      : Object.keys(value).filter((k) => k !== '__keywords').map((k) => [k, (value as Record<string, unknown>)[k]] as const);
    if (sortKeys) entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    if (entries.length === 0) return '{}';
    const body = entries.map(([k, v]) => `${jsonString(k)}: ${pyJson(v, indent, sortKeys, depth + 1)}`);
    return `{${nl}${body.join(sep + nl)}${close}}`;
  }
  throw renderError(`Object of type ${typeName(value)} is not JSON serializable`);
}

function toInt(v: unknown, dflt: unknown, base: number): unknown {
  if (typeof v === 'string') {
    const s = v.trim().replace(/_/g, '');
    const asInt = base === 10 ? /^[-+]?\d+$/.test(s) ? Number(s) : NaN : parseInt(s.replace(/^0[xob]/i, ''), base);
    if (!Number.isNaN(asInt)) return asInt;
    const f = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s) ? Number(s) : NaN;
    return Number.isNaN(f) ? dflt : Math.trunc(f);
  }
  const n = numberOf(v);
  return n === undefined ? dflt : Math.trunc(n);
}

function toFloat(v: unknown, dflt: unknown): unknown {
  let n: number | undefined;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    n = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(s) ? Number(s) : s === 'inf' || s === '+inf' ? Infinity : s === '-inf' ? -Infinity : s === 'nan' ? NaN : undefined;
  } else n = numberOf(v);
  return n === undefined ? dflt : makeFloat(n);
}

function roundHalfEven(x: number, precision: number): number {
  const f = 10 ** precision;
  const y = x * f;
  const r = Math.round(y);
  const isHalf = Math.abs(y % 1) === 0.5;
  return (isHalf && r % 2 !== 0 ? r - 1 : r) / f;
}

function indent(value: unknown, args: unknown[], kw: Record<string, unknown>): string {
  const w = opt(args, kw, 0, 'width', 4);
  const first = truthy(opt(args, kw, 1, 'first', false));
  const blank = truthy(opt(args, kw, 2, 'blank', false));
  const pad = typeof w === 'string' ? w : ' '.repeat(numberOf(w) ?? 4);
  const lines = pyStr(value).split('\n');
  return lines
    .map((line, i) => ((i === 0 && !first) || (!blank && line.trim() === '') ? line : pad + line))
    .join('\n');
}

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

/** Text and scalar filters. */
export const textFilters: Record<string, FilterFn> = {
  lower: (v) => pyStr(v).toLowerCase(),
  upper: (v) => pyStr(v).toUpperCase(),
  capitalize: (v) => strMethods.capitalize!(pyStr(v), [], {}),
  trim: (v, a, k) => strMethods.strip!(pyStr(v), [opt(a, k, 0, 'chars', null)], {}),
  // Jinja2's do_replace: `str(s).replace(str(old), str(new), count)`, any value as old and new.
  replace: (v, a, k) => strMethods.replace!(pyStr(v), [pyStr(opt(a, k, 0, 'old', '')), pyStr(opt(a, k, 1, 'new', '')), opt(a, k, 2, 'count', -1)], {}),
  center: (v, a, k) => strMethods.center!(pyStr(v), [opt(a, k, 0, 'width', 80)], {}),
  default: (v, a, k) => {
    const dflt = opt(a, k, 0, 'default_value', '');
    const bool = truthy(opt(a, k, 1, 'boolean', false));
    if (v instanceof Undef || v === undefined || (bool && !truthy(v))) return dflt;
    return v;
  },
  string: (v) => pyStr(v),
  int: (v, a, k) => toInt(v, opt(a, k, 0, 'default', 0), (numberOf(opt(a, k, 1, 'base', 10)) ?? 10)),
  float: (v, a, k) => toFloat(v, opt(a, k, 0, 'default', new PyFloat(0))),
  abs: (v) => {
    if (v instanceof PyFloat) return new PyFloat(Math.abs(v.valueOf()));
    const n = numberOf(v);
    if (n === undefined) throw renderError(`bad operand type for abs(): '${typeName(v)}'`);
    return Math.abs(n);
  },
  round: (v, a, k) => {
    const precision = numberOf(opt(a, k, 0, 'precision', 0)) ?? 0;
    const method = String(opt(a, k, 1, 'method', 'common'));
    const n = numberOf(v) ?? 0;
    const f = 10 ** precision;
    if (!['common', 'ceil', 'floor'].includes(method)) throw renderError('method must be common, ceil or floor');
    const r = method === 'ceil' ? Math.ceil(n * f) / f : method === 'floor' ? Math.floor(n * f) / f
      : roundHalfEven(n, precision);
    if (method === 'common' && typeof v === 'number' && Number.isInteger(v)) return r;
    return makeFloat(r);
  },
  wordcount: (v) => (pyStr(v).match(/\w+/gu) ?? []).length,
  indent,
  format: (v, a, k) => percentFormat(pyStr(v), Object.keys(k).length ? k : tuple(a)),
  truncate: (v, a, k) => {
    const s = pyStr(v);
    const len = numberOf(opt(a, k, 0, 'length', 255)) ?? 255;
    const killwords = truthy(opt(a, k, 1, 'killwords', false));
    const end = String(opt(a, k, 2, 'end', '...'));
    const leeway = numberOf(opt(a, k, 3, 'leeway', 5)) ?? 5;
    if (s.length <= len + leeway) return s;
    if (killwords) return s.slice(0, len - end.length) + end;
    const cut = s.slice(0, len - end.length);
    const i = cut.lastIndexOf(' ');
    return (i >= 0 ? cut.slice(0, i) : cut) + end;
  },
  escape: (v) => pyStr(v).replace(/[&<>"']/g, (c) => HTML[c] as string),
  forceescape: (v) => pyStr(v).replace(/[&<>"']/g, (c) => HTML[c] as string),
  safe: (v) => v,
  striptags: (v) => pyStr(v).replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim(),
  length: (v) => length(v),
};
// dbt's filters: `as_text`/`as_bool`/`as_number`/`as_native` (dbt uses them to request native
// types; in text rendering they convert the value) and `is_list`.
textFilters.as_text = (v) => pyStr(v);
textFilters.as_bool = (v) => (typeof v === 'string' ? (v === 'True' || v === 'true' ? true : v === 'False' || v === 'false' ? false : v) : v);
textFilters.as_number = (v) => (typeof v === 'string' && /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(v.trim()) ? Number(v) : v);
textFilters.as_native = (v) => v;
textFilters.is_list = (v) => Array.isArray(v);
textFilters.d = textFilters.default!;
textFilters.e = textFilters.escape!;
textFilters.count = textFilters.length!;
