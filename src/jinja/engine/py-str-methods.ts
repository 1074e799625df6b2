// Python `str` methods callable on template strings: 'a.b'.replace('.', '_'), 'a  b'.split(),
// ','.join(items), '{}-{name}'.format(...), startswith(('a', 'b')), partition(), zfill()...
import { strFormat } from './py-format.js';
import { iter } from './py-ops.js';
import { maketrans, translate } from './py-str-translate.js';
import { Undef, nullProto, numberOf, renderError, tuple, typeName } from './values.js';

/** A Python method implementation: `self`, positional args, keyword args. */
export type PyMethod<T> = (self: T, args: unknown[], kw: Record<string, unknown>) => unknown;

function arg(args: unknown[], kw: Record<string, unknown>, i: number, name: string, dflt?: unknown): unknown {
  const v = i < args.length ? args[i] : name in kw ? kw[name] : dflt;
  return v instanceof Undef ? dflt : v;
}

function intArg(args: unknown[], kw: Record<string, unknown>, i: number, name: string, dflt: number): number {
  const v = arg(args, kw, i, name, dflt);
  if (v === null || v === undefined) return dflt;
  const n = numberOf(v);
  if (n === undefined) throw renderError(`'${typeName(v)}' object cannot be interpreted as an integer`);
  return n;
}

function strArg(v: unknown, method: string): string {
  if (typeof v !== 'string') throw renderError(`${method}() argument must be str, not ${typeName(v)}`);
  return v;
}

const WS = ' \t\n\r\x0b\x0c';

function stripChars(s: string, chars: unknown, left: boolean, right: boolean): string {
  const set = chars === null || chars === undefined ? WS : strArg(chars, 'strip');
  let a = 0;
  let b = s.length;
  if (left) while (a < b && set.includes(s[a] as string)) a++;
  if (right) while (b > a && set.includes(s[b - 1] as string)) b--;
  return s.slice(a, b);
}

/** Python str.split / rsplit. */
export function pySplit(s: string, sep: unknown, maxsplit: number, fromRight = false): string[] {
  if (sep === null || sep === undefined) {
    const words = s.split(/[ \t\n\r\x0b\x0c]+/).filter((w) => w !== '');
    if (maxsplit < 0 || words.length <= maxsplit + 1) return words;
    if (!fromRight) {
      const out: string[] = [];
      let rest = s.replace(/^[ \t\n\r\x0b\x0c]+/, '');
      for (let i = 0; i < maxsplit; i++) {
        const m = /[ \t\n\r\x0b\x0c]+/.exec(rest);
        if (!m) break;
        out.push(rest.slice(0, m.index));
        rest = rest.slice(m.index + m[0].length);
      }
      if (rest !== '') out.push(rest);
      return out;
    }
    const head = s.replace(/[ \t\n\r\x0b\x0c]+$/, '');
    const tail = words.slice(words.length - maxsplit);
    let cut = head.length;
    for (let i = tail.length - 1; i >= 0; i--) cut = head.lastIndexOf(tail[i] as string, cut - 1);
    return [head.slice(0, cut).replace(/[ \t\n\r\x0b\x0c]+$/, ''), ...tail];
  }
  const sepStr = strArg(sep, 'split');
  if (sepStr === '') throw renderError('empty separator');
  const parts = s.split(sepStr);
  if (maxsplit < 0 || parts.length <= maxsplit + 1) return parts;
  if (fromRight) {
    const keep = parts.length - maxsplit;
    return [parts.slice(0, keep).join(sepStr), ...parts.slice(keep)];
  }
  return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(sepStr)];
}

function title(s: string): string {
  let out = '';
  let prevCased = false;
  for (const ch of s) {
    const cased = ch.toLowerCase() !== ch.toUpperCase();
    out += cased ? (prevCased ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    prevCased = cased;
  }
  return out;
}

/** Python's istitle: cased runs start upper-case, and there is at least one cased character. */
function istitle(s: string): boolean {
  let cased = false;
  let prevCased = false;
  for (const ch of s) {
    const upper = ch !== ch.toLowerCase();
    const lower = ch !== ch.toUpperCase();
    if (upper && prevCased) return false;
    if (lower && !prevCased) return false;
    prevCased = upper || lower;
    cased ||= prevCased;
  }
  return cased;
}

function affix(self: string, args: unknown[], kw: Record<string, unknown>, end: boolean): boolean {
  const p = arg(args, kw, 0, end ? 'suffix' : 'prefix');
  const start = intArg(args, kw, 1, 'start', 0);
  const stop = intArg(args, kw, 2, 'end', self.length);
  const sub = self.slice(start < 0 ? self.length + start : start, stop < 0 ? self.length + stop : stop);
  const options = Array.isArray(p) ? p : [p];
  return options.some((o) => (end ? sub.endsWith(strArg(o, 'endswith')) : sub.startsWith(strArg(o, 'startswith'))));
}

function find(self: string, args: unknown[], kw: Record<string, unknown>, right: boolean): number {
  const sub = strArg(arg(args, kw, 0, 'sub'), 'find');
  const start = intArg(args, kw, 1, 'start', 0);
  const end = intArg(args, kw, 2, 'end', self.length);
  const s0 = start < 0 ? Math.max(0, self.length + start) : start;
  const e0 = end < 0 ? self.length + end : Math.min(end, self.length);
  const region = self.slice(0, e0);
  const i = right ? region.lastIndexOf(sub) : region.indexOf(sub, s0);
  return i >= s0 && i + sub.length <= e0 ? i : -1;
}

function pad(self: string, args: unknown[], kw: Record<string, unknown>, mode: 'l' | 'r' | 'c'): string {
  const width = intArg(args, kw, 0, 'width', 0);
  const fill = String(arg(args, kw, 1, 'fillchar', ' '));
  const n = width - self.length;
  if (n <= 0) return self;
  if (mode === 'l') return self + fill.repeat(n);
  if (mode === 'r') return fill.repeat(n) + self;
  const left = Math.floor(n / 2) + (n % 2 && width % 2 ? 1 : 0);
  return fill.repeat(left) + self + fill.repeat(n - left);
}

function replace(self: string, args: unknown[], kw: Record<string, unknown>): string {
  const old = strArg(arg(args, kw, 0, 'old'), 'replace');
  const neu = strArg(arg(args, kw, 1, 'new'), 'replace');
  const count = intArg(args, kw, 2, 'count', -1);
  if (old === '') {
    const chars = Array.from(self);
    const out: string[] = [];
    let n = 0;
    for (let i = 0; i <= chars.length; i++) {
      if (count < 0 || n < count) {
        out.push(neu);
        n++;
      }
      if (i < chars.length) out.push(chars[i] as string);
    }
    return out.join('');
  }
  if (count < 0) return self.split(old).join(neu);
  const parts = self.split(old);
  if (parts.length - 1 <= count) return parts.join(neu);
  return parts.slice(0, count + 1).join(neu) + old + parts.slice(count + 1).join(old);
}

/** Python str methods by name. */
export const strMethods: Record<string, PyMethod<string>> = nullProto<Record<string, PyMethod<string>>>({
  replace,
  split: (s, a, k) => pySplit(s, arg(a, k, 0, 'sep', null), intArg(a, k, 1, 'maxsplit', -1)),
  rsplit: (s, a, k) => pySplit(s, arg(a, k, 0, 'sep', null), intArg(a, k, 1, 'maxsplit', -1), true),
  strip: (s, a, k) => stripChars(s, arg(a, k, 0, 'chars', null), true, true),
  lstrip: (s, a, k) => stripChars(s, arg(a, k, 0, 'chars', null), true, false),
  rstrip: (s, a, k) => stripChars(s, arg(a, k, 0, 'chars', null), false, true),
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  casefold: (s) => s.toLowerCase(),
  swapcase: (s) => Array.from(s, (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  title: (s) => title(s),
  capitalize: (s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(),
  startswith: (s, a, k) => affix(s, a, k, false),
  endswith: (s, a, k) => affix(s, a, k, true),
  format: (s, a, k) => strFormat(s, a, k),
  format_map: (s, a) => strFormat(s, [], (a[0] ?? {}) as Record<string, unknown>),
  join: (s, a) =>
    iter(a[0]).map((x, i) => {
      if (typeof x !== 'string') throw renderError(`sequence item ${i}: expected str instance, ${typeName(x)} found`);
      return x;
    }).join(s),
  find: (s, a, k) => find(s, a, k, false),
  rfind: (s, a, k) => find(s, a, k, true),
  index: (s, a, k) => {
    const i = find(s, a, k, false);
    if (i < 0) throw renderError('substring not found');
    return i;
  },
  rindex: (s, a, k) => {
    const i = find(s, a, k, true);
    if (i < 0) throw renderError('substring not found');
    return i;
  },
  count: (s, a, k) => {
    const sub = strArg(arg(a, k, 0, 'sub'), 'count');
    return sub === '' ? Array.from(s).length + 1 : s.split(sub).length - 1;
  },
  isdigit: (s) => /^[0-9]+$/.test(s),
  isdecimal: (s) => /^[0-9]+$/.test(s),
  isnumeric: (s) => /^\p{N}+$/u.test(s),
  isalpha: (s) => /^\p{L}+$/u.test(s),
  isalnum: (s) => /^[\p{L}\p{N}]+$/u.test(s),
  isspace: (s) => /^\s+$/.test(s),
  islower: (s) => /\p{Ll}/u.test(s) && s === s.toLowerCase(),
  isupper: (s) => /\p{Lu}/u.test(s) && s === s.toUpperCase(),
  isascii: (s) => /^[\x00-\x7f]*$/.test(s),
  isprintable: (s) => !/[\p{C}\p{Z}]/u.test(s.replace(/ /g, '')),
  istitle: (s) => istitle(s),
  maketrans: (_s, a) => maketrans(a),
  translate: (s, a, k) => translate(s, arg(a, k, 0, 'table')),
  isidentifier: (s) => /^[\p{L}_][\p{L}\p{N}_]*$/u.test(s),
  zfill: (s, a, k) => {
    const width = intArg(a, k, 0, 'width', 0);
    const sign = s[0] === '-' || s[0] === '+' ? (s[0] as string) : '';
    return sign + s.slice(sign.length).padStart(width - sign.length, '0');
  },
  ljust: (s, a, k) => pad(s, a, k, 'l'),
  rjust: (s, a, k) => pad(s, a, k, 'r'),
  center: (s, a, k) => pad(s, a, k, 'c'),
  partition: (s, a) => {
    const sep = strArg(a[0], 'partition');
    const i = s.indexOf(sep);
    return tuple(i < 0 ? [s, '', ''] : [s.slice(0, i), sep, s.slice(i + sep.length)]);
  },
  rpartition: (s, a) => {
    const sep = strArg(a[0], 'rpartition');
    const i = s.lastIndexOf(sep);
    return tuple(i < 0 ? ['', '', s] : [s.slice(0, i), sep, s.slice(i + sep.length)]);
  },
  splitlines: (s, a, k) => {
    const keep = Boolean(arg(a, k, 0, 'keepends', false));
    const out: string[] = [];
    const re = /(.*?)(\r\n|\n|\r|\x0b|\x0c|\x1c|\x1d|\x1e|\x85|\u2028|\u2029)/gsy;
    let m: RegExpExecArray | null;
    let last = 0;
    while ((m = re.exec(s))) {
      out.push(keep ? m[0] : (m[1] as string));
      last = re.lastIndex;
    }
    if (last < s.length) out.push(s.slice(last));
    return out;
  },
  removeprefix: (s, a) => (s.startsWith(strArg(a[0], 'removeprefix')) ? s.slice((a[0] as string).length) : s),
  removesuffix: (s, a) => {
    const suf = strArg(a[0], 'removesuffix');
    return suf !== '' && s.endsWith(suf) ? s.slice(0, s.length - suf.length) : s;
  },
  expandtabs: (s, a, k) => s.replace(/\t/g, ' '.repeat(intArg(a, k, 0, 'tabsize', 8))),
  encode: (s) => s,
  __str__: (s) => s,
});

