// Jinja2's formatting filters that turn values into display text: filesizeformat, pprint,
// wordwrap (Python's textwrap), urlize, xmlattr, urlencode, title, random, and tojson as Jinja2's
// filter writes it (keys sorted, HTML-safe). Written from Jinja2 3.1's filters.py and utils.py.
import { type FilterFn, opt, pyJson } from './filters-text.js';
import { dictEntries } from './py-dict.js';
import { iter, pyCompare, truthy } from './py-ops.js';
import { pyRepr, pyStr } from './py-repr.js';
import { Undef, isPlainObject, isTuple, numberOf, renderError } from './values.js';

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

/** markupsafe.escape. */
export function htmlEscape(v: unknown): string {
  return pyStr(v).replace(/[&<>"']/g, (c) => HTML[c] as string);
}

/** `filesizeformat(value, binary=False)`: `1 Byte`, `300 Bytes`, `1.0 kB`, `1.0 KiB`. */
function filesizeformat(value: unknown, binary: boolean): string {
  const bytes = typeof value === 'string' ? Number(value) : (numberOf(value) ?? NaN);
  if (Number.isNaN(bytes)) throw renderError(`could not convert ${pyRepr(value)} to float`);
  const base = binary ? 1024 : 1000;
  const prefixes = binary ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  if (bytes === 1) return '1 Byte';
  if (bytes < base) return `${Math.trunc(bytes)} Bytes`;
  let unit = base;
  for (const [i, prefix] of prefixes.entries()) {
    unit = base ** (i + 2);
    if (bytes < unit || i === prefixes.length - 1) return `${((base * bytes) / unit).toFixed(1)} ${prefix}`;
  }
  return '';
}

/** Python textwrap's chunks: words, whitespace runs, and (break_on_hyphens) hyphenated parts. */
function wrapChunks(text: string, breakOnHyphens: boolean): string[] {
  const chunks: string[] = [];
  for (const piece of text.split(/(\s+)/)) {
    if (!piece) continue;
    if (!breakOnHyphens || /\s/.test(piece)) chunks.push(piece);
    else chunks.push(...piece.split(/(?<=[^\W\d_]-)(?=[^\W\d_])/u));
  }
  return chunks;
}

/** `textwrap.wrap(line, width, expand_tabs=False, replace_whitespace=False, ...)`. */
function wrapLine(text: string, width: number, breakLongWords: boolean, breakOnHyphens: boolean): string[] {
  const chunks = wrapChunks(text, breakOnHyphens).reverse();
  const lines: string[] = [];
  const blank = (s: string) => s.trim() === '';
  while (chunks.length) {
    const line: string[] = [];
    let len = 0;
    if (blank(chunks[chunks.length - 1]!) && lines.length) chunks.pop();
    while (chunks.length && len + chunks[chunks.length - 1]!.length <= width) {
      const c = chunks.pop()!;
      line.push(c);
      len += c.length;
    }
    if (chunks.length && chunks[chunks.length - 1]!.length > width) {
      const spaceLeft = width < 1 ? 1 : width - len;
      const chunk = chunks[chunks.length - 1]!;
      if (breakLongWords) {
        let end = spaceLeft;
        if (breakOnHyphens && chunk.length > spaceLeft) {
          const hyphen = chunk.lastIndexOf('-', spaceLeft - 1);
          if (hyphen > 0 && /[^-]/.test(chunk.slice(0, hyphen))) end = hyphen + 1;
        }
        line.push(chunk.slice(0, end));
        chunks[chunks.length - 1] = chunk.slice(end);
      } else if (!line.length) {
        line.push(chunks.pop()!);
      }
    }
    if (line.length && blank(line[line.length - 1]!)) line.pop();
    if (line.length) lines.push(line.join(''));
  }
  return lines;
}

function wordwrap(s: string, width: number, breakLongWords: boolean, wrapstring: string, breakOnHyphens: boolean): string {
  return s
    .split(/\r\n|\r|\n/)
    .filter((line, i, all) => i < all.length - 1 || line !== '' || all.length === 1)
    .map((line) => wrapLine(line, width, breakLongWords, breakOnHyphens).join(wrapstring))
    .join(wrapstring);
}

const HTTP_RE = new RegExp(
  '^(' +
    '(https?://|www\\.)(([\\w%-]+\\.)+)?([a-z]{2,63}|xn--[\\w%]{2,59})' +
    '|([\\w%-]{2,63}\\.)+(com|net|int|edu|gov|org|info|mil)' +
    '|(https?://)((([\\d]{1,3})(\\.[\\d]{1,3}){3})|(\\[([\\da-f]{0,4}:){2}([\\da-f]{0,4}:?){1,6}\\]))' +
    ')(?::[\\d]{1,5})?(?:[/?#]\\S*)?$',
  'iu',
);
const EMAIL_RE = /^\S+@\w[\w.-]*\.\w+$/u;

/** Jinja2's `urlize`: links for http(s) URLs, `www.` and bare domains, and e-mail addresses. */
function urlize(text: unknown, trimLimit: number | null, rel: string, target: string | null): string {
  const trim = (x: string) => (trimLimit !== null && x.length > trimLimit ? `${x.slice(0, trimLimit)}...` : x);
  const relAttr = rel ? ` rel="${htmlEscape(rel)}"` : '';
  const targetAttr = target ? ` target="${htmlEscape(target)}"` : '';
  const words = htmlEscape(text).split(/(\s+)/);
  return words
    .map((word) => {
      let head = '';
      let middle = word;
      let tail = '';
      const lead = /^([(<]|&lt;)+/.exec(middle);
      if (lead) {
        head = lead[0];
        middle = middle.slice(lead[0].length);
      }
      const trail = /([)>.,\n]|&gt;)+$/.exec(middle);
      if (trail) {
        tail = trail[0];
        middle = middle.slice(0, trail.index);
      }
      for (const [open, close] of [['(', ')'], ['<', '>'], ['&lt;', '&gt;']] as const) {
        const opens = middle.split(open).length - 1;
        if (opens <= middle.split(close).length - 1) continue;
        for (let i = Math.min(opens, tail.split(close).length - 1); i > 0; i--) {
          const end = tail.indexOf(close) + close.length;
          middle += tail.slice(0, end);
          tail = tail.slice(end);
        }
      }
      if (HTTP_RE.test(middle)) {
        const href = /^https?:\/\//.test(middle) ? middle : `https://${middle}`;
        middle = `<a href="${href}"${relAttr}${targetAttr}>${trim(middle)}</a>`;
      } else if (middle.startsWith('mailto:') && EMAIL_RE.test(middle.slice(7))) {
        middle = `<a href="${middle}">${middle.slice(7)}</a>`;
      } else if (middle.includes('@') && !middle.startsWith('www.') && !middle.includes(':') && EMAIL_RE.test(middle)) {
        middle = `<a href="mailto:${middle}">${middle}</a>`;
      }
      return head + middle + tail;
    })
    .join('');
}

/** Python's `urllib.parse.quote` (unreserved characters and `safe` kept, UTF-8 bytes escaped). */
function urlQuote(v: unknown, forQuery: boolean): string {
  const safe = forQuery ? '' : '/';
  let out = '';
  for (const byte of Buffer.from(pyStr(v), 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.~-]/.test(ch) || safe.includes(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return forQuery ? out.replace(/%20/g, '+') : out;
}

function urlencode(value: unknown): string {
  if (typeof value === 'string') return urlQuote(value, false);
  let pairs: unknown[];
  if (isPlainObject(value)) pairs = dictEntries(value);
  else if (Array.isArray(value)) pairs = value;
  else return urlQuote(value, false);
  return pairs.map((pair) => iter(pair).map((x) => urlQuote(x, true)).join('=')).join('&');
}

/** Jinja2's `title`: each word (split at whitespace, `-`, and opening brackets) capitalized. */
function title(s: string): string {
  return s
    .split(/([-\s({[<]+)/)
    .filter(Boolean)
    .map((item) => item.charAt(0).toUpperCase() + item.slice(1).toLowerCase())
    .join('');
}

/** Jinja2's `xmlattr`: ` key="value"` pairs, escaped; none and undefined values skipped. */
function xmlattr(d: unknown, autospace: boolean): string {
  const items: string[] = [];
  for (const [key, value] of dictEntries(d ?? {})) {
    if (value === null || value === undefined || value instanceof Undef) continue;
    const name = pyStr(key);
    if (/[\s/>=]/.test(name)) throw renderError(`Invalid character in attribute name: ${pyRepr(name)}`);
    items.push(`${htmlEscape(name)}="${htmlEscape(value)}"`);
  }
  const rv = items.join(' ');
  return autospace && rv ? ` ${rv}` : rv;
}

/** Jinja2's `tojson` filter: `json.dumps` with sorted keys, `<>&'` escaped for HTML. */
function htmlSafeJson(v: unknown, indent: number | null): string {
  return pyJson(v, indent, true).replace(/[<>&']/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}

/** Python's `repr` with dict keys sorted (what pprint prints for a value that fits). */
function sortedRepr(v: unknown): string {
  if (isPlainObject(v)) return `{${sortedEntries(v).map(([k, x]) => `${pyRepr(k)}: ${sortedRepr(x)}`).join(', ')}}`;
  if (Array.isArray(v)) {
    const items = v.map(sortedRepr);
    if (isTuple(v)) return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
    return `[${items.join(', ')}]`;
  }
  return pyRepr(v);
}

function sortedEntries(d: object): [unknown, unknown][] {
  return dictEntries(d).sort(([a], [b]) => pyCompare(a, b));
}

/**
 * Python's `pprint.pformat(value)` (width 80, dicts sorted): the repr when it fits, otherwise one
 * dict item or list element per line, indented under its opening bracket.
 */
export function pformat(v: unknown, column = 0, width = 80): string {
  const flat = sortedRepr(v);
  if (flat.length <= width - column) return flat;
  if (isPlainObject(v)) {
    const entries = sortedEntries(v);
    if (!entries.length) return flat;
    const pad = ' '.repeat(column + 1);
    return `{${entries.map(([k, x]) => `${pyRepr(k)}: ${pformat(x, column + 1 + pyRepr(k).length + 2, width)}`).join(`,\n${pad}`)}}`;
  }
  if (Array.isArray(v) && v.length) {
    const [open, close] = isTuple(v) ? ['(', v.length === 1 ? ',)' : ')'] : ['[', ']'];
    const pad = ' '.repeat(column + 1);
    return `${open}${v.map((x) => pformat(x, column + 1, width)).join(`,\n${pad}`)}${close}`;
  }
  return flat;
}

export const formatFilters: Record<string, FilterFn> = {
  filesizeformat: (v, a, k) => filesizeformat(v, truthy(opt(a, k, 0, 'binary', false))),
  pprint: (v) => pformat(v),
  random: (v) => {
    const items = iter(v);
    if (!items.length) return new Undef('No random item, sequence was empty.');
    return items[Math.floor(Math.random() * items.length)];
  },
  wordwrap: (v, a, k) => {
    const width = numberOf(opt(a, k, 0, 'width', 79)) ?? 79;
    const breakLong = truthy(opt(a, k, 1, 'break_long_words', true));
    const wrapstring = opt(a, k, 2, 'wrapstring', null);
    const breakHyphens = truthy(opt(a, k, 3, 'break_on_hyphens', true));
    return wordwrap(pyStr(v), width, breakLong, wrapstring === null || wrapstring instanceof Undef ? '\n' : pyStr(wrapstring), breakHyphens);
  },
  urlize: (v, a, k) => {
    const limit = opt(a, k, 0, 'trim_url_limit', null);
    const relParts = new Set(String(opt(a, k, 3, 'rel', '') ?? '').split(/\s+/).filter(Boolean));
    if (truthy(opt(a, k, 1, 'nofollow', false))) relParts.add('nofollow');
    relParts.add('noopener');
    const target = opt(a, k, 2, 'target', null);
    return urlize(v, limit === null || limit instanceof Undef ? null : (numberOf(limit) ?? null), [...relParts].sort().join(' '), target === null || target instanceof Undef ? null : pyStr(target));
  },
  xmlattr: (v, a, k) => xmlattr(v, truthy(opt(a, k, 0, 'autospace', true))),
  urlencode: (v) => urlencode(v),
  title: (v) => title(pyStr(v)),
  tojson: (v, a, k) => {
    const indent = opt(a, k, 0, 'indent', null);
    return htmlSafeJson(v, indent === null || indent instanceof Undef ? null : (numberOf(indent) ?? null));
  },
};
