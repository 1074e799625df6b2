// Python's `re` module for templates (`modules.re`), on JavaScript regular expressions.
// Python pattern syntax is translated to a Unicode-mode JS regex: `(?P<name>)`, `(?P=name)`,
// `\A`/`\Z`, Python's `.`/`^`/`$` (only `\n` is a line break), Unicode `\d \w \s \b`, inline
// flags, VERBOSE, literal `{`; replacement templates (`\1`, `\g<name>`, escapes) and function
// replacements follow Python. Positions are code-point indexes, as in Python.
import { strRepr } from '../engine/py-repr.js';
import { renderError, tuple } from '../engine/values.js';
import { pyArgs } from './py-datetime.js';
import { pyStr } from '../engine/py-repr.js';

export const FLAGS = {
  NOFLAG: 0, TEMPLATE: 1, T: 1, IGNORECASE: 2, I: 2, LOCALE: 4, L: 4, MULTILINE: 8, M: 8,
  DOTALL: 16, S: 16, UNICODE: 32, U: 32, VERBOSE: 64, X: 64, DEBUG: 128, ASCII: 256, A: 256,
} as const;

const FLAG_LETTERS: Record<string, number> = { a: 256, i: 2, L: 4, m: 8, s: 16, u: 32, x: 64 };
const FLAG_NAMES: [number, string][] = [
  [2, 're.IGNORECASE'], [4, 're.LOCALE'], [8, 're.MULTILINE'], [16, 're.DOTALL'], [64, 're.VERBOSE'], [256, 're.ASCII'],
];

function reError(message: string, pos?: number): never {
  throw renderError(pos === undefined ? `re.error: ${message}` : `re.error: ${message} at position ${pos}`);
}

// ---------------------------------------------------------------------------------------
// Pattern translation

const SPACE_CLASS = '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const WORD_CLASS = '\\p{L}\\p{N}_';

/** A shorthand class as a JS class body, and whether it is the complement of that body. */
function shorthand(c: string, ascii: boolean): { body: string; negated: boolean } | null {
  switch (c) {
    case 'd': return { body: ascii ? '0-9' : '\\p{Nd}', negated: false };
    case 'D': return ascii ? { body: '0-9', negated: true } : { body: '\\P{Nd}', negated: false };
    case 'w': return { body: ascii ? 'A-Za-z0-9_' : WORD_CLASS, negated: false };
    case 'W': return { body: ascii ? 'A-Za-z0-9_' : WORD_CLASS, negated: true };
    case 's': return { body: ascii ? '\\t-\\r ' : SPACE_CLASS, negated: false };
    case 'S': return { body: ascii ? '\\t-\\r ' : SPACE_CLASS, negated: true };
    default: return null;
  }
}

const SYNTAX_CHARS = new Set('^$\\.*+?()[]{}|/'.split(''));
const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11 };

/** A code point as a JS regex literal outside a class. */
function litOut(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (SYNTAX_CHARS.has(ch)) return `\\${ch}`;
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, '0')}`;
  return ch;
}

/** A code point as a JS regex literal inside a class. */
function litIn(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if ('\\]^-['.includes(ch)) return `\\${ch}`;
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, '0')}`;
  return ch;
}

interface Translated {
  source: string;
  flags: number;
  groups: number;
  groupindex: Record<string, number>;
}

class Translator {
  private i = 0;
  private out = '';
  private groups = 0;
  private readonly names: Record<string, number> = {};
  /** Scoped flag state for `(?flags:...)` groups; -1 marks a group that does not change it. */
  private readonly stack: number[] = [];

  constructor(
    private readonly p: string,
    private flags: number,
  ) {}

  private get ascii(): boolean {
    return (this.flags & FLAGS.ASCII) !== 0;
  }
  private has(flag: number): boolean {
    return (this.flags & flag) !== 0;
  }

  private cpAt(i: number): number {
    return this.p.codePointAt(i) ?? 0;
  }

  run(): Translated {
    const p = this.p;
    // Global inline flags at the start: (?aiLmsux)
    let m: RegExpExecArray | null;
    while ((m = /^\(\?([aiLmsux]+)\)/.exec(p.slice(this.i)))) {
      for (const f of m[1] as string) this.flags |= FLAG_LETTERS[f] as number;
      this.i += m[0].length;
    }
    if (this.has(FLAGS.LOCALE)) reError('cannot use LOCALE flag with a str pattern');
    if (this.has(FLAGS.ASCII) && this.has(FLAGS.UNICODE)) reError('ASCII and UNICODE flags are incompatible');
    while (this.i < p.length) this.step();
    if (this.stack.length) reError('missing ), unterminated subpattern', p.length);
    return { source: this.out, flags: this.flags | (this.ascii ? 0 : FLAGS.UNICODE), groups: this.groups, groupindex: { ...this.names } };
  }

  private step(): void {
    const p = this.p;
    const ch = p[this.i] as string;
    if (this.has(FLAGS.VERBOSE)) {
      if (/\s/.test(ch)) {
        this.i++;
        return;
      }
      if (ch === '#') {
        while (this.i < p.length && p[this.i] !== '\n') this.i++;
        return;
      }
    }
    switch (ch) {
      case '\\':
        this.escape();
        return;
      case '[':
        this.charClass();
        return;
      case '(':
        this.group();
        return;
      case ')':
        if (!this.stack.length) reError('unbalanced parenthesis', this.i);
        {
          const saved = this.stack.pop() as number;
          if (saved >= 0) this.flags = saved;
        }
        this.out += ')';
        this.i++;
        return;
      case '.':
        this.out += this.has(FLAGS.DOTALL) ? '[\\s\\S]' : '[^\\n]';
        this.i++;
        return;
      case '^':
        this.out += this.has(FLAGS.MULTILINE) ? '(?<![^\\n])' : '(?<![\\s\\S])';
        this.i++;
        return;
      case '$':
        this.out += this.has(FLAGS.MULTILINE) ? '(?![^\\n])' : '(?=\\n?(?![\\s\\S]))';
        this.i++;
        return;
      case '{': {
        const q = /^\{(\d*)(?:(,)(\d*))?\}/.exec(p.slice(this.i));
        if (q && q[0] !== '{}') {
          const lo = q[1] || '0';
          this.out += q[2] ? `{${lo},${q[3] ?? ''}}` : `{${lo}}`;
          this.i += q[0].length;
        } else {
          this.out += '\\{';
          this.i++;
        }
        this.possessiveCheck();
        return;
      }
      case '*':
      case '+':
      case '?':
        this.out += ch;
        this.i++;
        if (p[this.i] === '?') {
          this.out += '?';
          this.i++;
        } else {
          this.possessiveCheck();
        }
        return;
      case '|':
        this.out += '|';
        this.i++;
        return;
      case '}':
      case ']':
      case '/':
        this.out += `\\${ch}`;
        this.i++;
        return;
      default: {
        const cp = this.cpAt(this.i);
        this.i += cp > 0xffff ? 2 : 1;
        this.literal(cp);
      }
    }
  }

  private possessiveCheck(): void {
    if (this.p[this.i] === '+') reError('possessive quantifiers are not supported', this.i);
  }

  /** A literal character outside a class. */
  private literal(cp: number): void {
    this.out += litOut(cp);
  }

  private group(): void {
    const p = this.p;
    const rest = p.slice(this.i);
    let m: RegExpExecArray | null;
    if (!rest.startsWith('(?')) {
      this.groups++;
      this.stack.push(-1);
      this.out += '(';
      this.i++;
      return;
    }
    if ((m = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest))) {
      const name = m[1] as string;
      if (this.names[name] !== undefined) reError(`redefinition of group name ${strRepr(name)} as group ${this.groups + 1}; was group ${this.names[name]}`, this.i);
      this.groups++;
      this.names[name] = this.groups;
      this.stack.push(-1);
      this.out += `(?<${name}>`;
      this.i += m[0].length;
      return;
    }
    if ((m = /^\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/.exec(rest))) {
      if (this.names[m[1] as string] === undefined) reError(`unknown group name ${strRepr(m[1] as string)}`, this.i);
      this.out += `\\k<${m[1]}>`;
      this.i += m[0].length;
      return;
    }
    if (rest.startsWith('(?#')) {
      const end = p.indexOf(')', this.i);
      if (end < 0) reError('missing ), unterminated comment', this.i);
      this.i = end + 1;
      return;
    }
    for (const look of ['(?:', '(?=', '(?!', '(?<=', '(?<!']) {
      if (rest.startsWith(look)) {
        this.stack.push(-1);
        this.out += look;
        this.i += look.length;
        return;
      }
    }
    if ((m = /^\(\?([aiLmsux]*)(?:-([imsx]+))?:/.exec(rest))) {
      const on = [...(m[1] as string)].reduce((f, c) => f | (FLAG_LETTERS[c] as number), 0);
      const off = [...(m[2] ?? '')].reduce((f, c) => f | (FLAG_LETTERS[c] as number), 0);
      if (((on | off) & FLAGS.IGNORECASE) !== 0 && ((this.flags & FLAGS.IGNORECASE) !== 0) !== ((on & FLAGS.IGNORECASE) !== 0)) {
        reError('scoped IGNORECASE changes (?i:...) are not supported; use re.IGNORECASE', this.i);
      }
      this.stack.push(this.flags);
      this.flags = (this.flags | on) & ~off;
      this.out += '(?:';
      this.i += m[0].length;
      return;
    }
    if (/^\(\?[aiLmsux]+\)/.test(rest)) reError('global flags not at the start of the expression', this.i);
    if (rest.startsWith('(?(')) reError('conditional groups are not supported', this.i);
    if (rest.startsWith('(?>')) reError('atomic groups are not supported', this.i);
    reError(`unknown extension ${rest.slice(0, 3)}`, this.i);
  }

  private escape(): void {
    const p = this.p;
    const start = this.i;
    const c = p[this.i + 1];
    if (c === undefined) reError('bad escape (end of pattern)', start);
    this.i += 2;
    const sh = shorthand(c, this.ascii);
    if (sh) {
      this.out += sh.negated ? `[^${sh.body}]` : `[${sh.body}]`;
      return;
    }
    const word = `[${this.ascii ? 'A-Za-z0-9_' : WORD_CLASS}]`;
    switch (c) {
      case 'A': this.out += '(?<![\\s\\S])'; return;
      case 'Z': this.out += '(?![\\s\\S])'; return;
      case 'b': this.out += `(?:(?<=${word})(?!${word})|(?<!${word})(?=${word}))`; return;
      case 'B': this.out += `(?:(?<=${word})(?=${word})|(?<!${word})(?!${word}))`; return;
      default: break;
    }
    if (/[0-9]/.test(c)) {
      const m = /^([0-7]{1,3}|[0-9]{1,2})/.exec(p.slice(start + 1)) as RegExpExecArray;
      const digits = m[1] as string;
      const octal = c === '0' || (digits.length === 3 && /^[0-7]{3}$/.test(digits));
      if (octal) {
        const od = (/^[0-7]{1,3}/.exec(p.slice(start + 1)) as RegExpExecArray)[0];
        this.i = start + 1 + od.length;
        const cp = parseInt(od, 8);
        if (cp > 0o377) reError(`octal escape value \\${od} outside of range 0-0o377`, start);
        this.literal(cp);
        return;
      }
      const ref = (/^[0-9]{1,2}/.exec(p.slice(start + 1)) as RegExpExecArray)[0];
      this.i = start + 1 + ref.length;
      const n = Number(ref);
      if (n > this.groups) reError(`invalid group reference ${n}`, start + 1);
      this.out += `(?:\\${n})`;
      return;
    }
    const cp = this.codeEscape(c, start);
    if (cp !== undefined) {
      this.literal(cp);
      return;
    }
    if (/[A-Za-z]/.test(c)) reError(`bad escape \\${c}`, start);
    const lit = this.cpAt(start + 1);
    this.i = start + 1 + (lit > 0xffff ? 2 : 1);
    this.literal(lit);
  }

  /** `\n`, `\x41`, `\u0041`, `\U0001F600` (shared by classes); undefined when not one of these. */
  private codeEscape(c: string, start: number): number | undefined {
    if (SIMPLE_ESCAPES[c] !== undefined && c !== 'b') return SIMPLE_ESCAPES[c];
    const hex = (len: number) => {
      const h = this.p.slice(start + 2, start + 2 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) reError(`incomplete escape \\${c}${h}`, start);
      this.i = start + 2 + len;
      const v = parseInt(h, 16);
      if (v > 0x10ffff) reError(`bad escape \\${c}${h}`, start);
      return v;
    };
    if (c === 'x') return hex(2);
    if (c === 'u') return hex(4);
    if (c === 'U') return hex(8);
    if (c === 'N') reError('\\N{...} escapes are not supported', start);
    return undefined;
  }

  private charClass(): void {
    const p = this.p;
    const start = this.i;
    this.i++;
    let negate = false;
    if (p[this.i] === '^') {
      negate = true;
      this.i++;
    }
    const positive: string[] = [];
    const complements: string[] = [];
    let first = true;
    let prev: number | null = null; // last single literal (range start candidate)
    for (;;) {
      if (this.i >= p.length) reError('unterminated character set', start);
      const ch = p[this.i] as string;
      if (ch === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      let item: number | null = null;
      if (ch === '\\') {
        const c = p[this.i + 1];
        if (c === undefined) reError('bad escape (end of pattern)', this.i);
        const escStart = this.i;
        this.i += 2;
        const sh = shorthand(c, this.ascii);
        if (sh) {
          if (sh.negated) complements.push(`[^${sh.body}]`);
          else positive.push(sh.body);
          prev = null;
          continue;
        }
        if (c === 'b') item = 8;
        else if (/[0-7]/.test(c)) {
          const od = (/^[0-7]{1,3}/.exec(p.slice(escStart + 1)) as RegExpExecArray)[0];
          this.i = escStart + 1 + od.length;
          item = parseInt(od, 8);
        } else if (/[89]/.test(c)) {
          reError(`bad escape \\${c}`, escStart);
        } else {
          const code = this.codeEscape(c, escStart);
          if (code !== undefined) item = code;
          else if (/[A-Za-z]/.test(c)) reError(`bad escape \\${c}`, escStart);
          else {
            item = this.cpAt(escStart + 1);
            this.i = escStart + 1 + (item > 0xffff ? 2 : 1);
          }
        }
      } else if (ch === '-' && prev !== null && p[this.i + 1] !== ']' && this.i + 1 < p.length) {
        // A range: prev-next
        this.i++;
        const lo = prev;
        let hi: number;
        if (p[this.i] === '\\') {
          const c = p[this.i + 1] ?? '';
          const escStart = this.i;
          this.i += 2;
          if (shorthand(c, this.ascii)) reError(`bad character range ${String.fromCodePoint(lo)}-\\${c}`, escStart);
          if (/[0-7]/.test(c)) {
            const od = (/^[0-7]{1,3}/.exec(p.slice(escStart + 1)) as RegExpExecArray)[0];
            this.i = escStart + 1 + od.length;
            hi = parseInt(od, 8);
          } else if (c === 'b') hi = 8;
          else {
            const code = this.codeEscape(c, escStart);
            if (code !== undefined) hi = code;
            else if (/[A-Za-z0-9]/.test(c)) reError(`bad escape \\${c}`, escStart);
            else {
              hi = this.cpAt(escStart + 1);
              this.i = escStart + 1 + (hi > 0xffff ? 2 : 1);
            }
          }
        } else {
          hi = this.cpAt(this.i);
          this.i += hi > 0xffff ? 2 : 1;
        }
        if (hi < lo) reError(`bad character range ${String.fromCodePoint(lo)}-${String.fromCodePoint(hi)}`, start);
        positive.pop();
        positive.push(`${litIn(lo)}-${litIn(hi)}`);
        prev = null;
        continue;
      } else {
        item = this.cpAt(this.i);
        this.i += item > 0xffff ? 2 : 1;
      }
      positive.push(litIn(item));
      prev = item;
    }
    const body = positive.join('');
    if (!complements.length) {
      this.out += `[${negate ? '^' : ''}${body}]`;
      return;
    }
    const alternatives = [...(body ? [`[${body}]`] : []), ...complements].join('|');
    this.out += negate ? `(?:(?!${alternatives})[\\s\\S])` : `(?:${alternatives})`;
  }
}

// ---------------------------------------------------------------------------------------
// Compiled patterns and matches

/** UTF-16 index → code-point index. */
function cpIndex(s: string, unit: number): number {
  return /[\uD800-\uDFFF]/.test(s) ? Array.from(s.slice(0, unit)).length : unit;
}
/** Code-point index → UTF-16 index (clamped to the string). */
function unitIndex(s: string, cp: number): number {
  if (cp <= 0) return 0;
  if (!/[\uD800-\uDFFF]/.test(s)) return Math.min(cp, s.length);
  let unit = 0;
  for (let n = 0; n < cp && unit < s.length; n++) unit += (s.codePointAt(unit) ?? 0) > 0xffff ? 2 : 1;
  return unit;
}

function strArg(v: unknown, what = 'string'): string {
  if (typeof v === 'string') return v;
  if (v instanceof String) return v.valueOf();
  return renderError(`expected ${what} or bytes-like object, got '${v === null ? 'NoneType' : typeof v}'`) as never;
}

type Exec = RegExpExecArray & { indices?: Array<[number, number] | undefined> };

/** A Python match object. */
export class PyMatch {
  static {
    Object.defineProperty(this, 'name', { value: 're.Match' });
  }
  [key: string]: unknown;
  readonly #m: Exec;
  readonly #re: PyPattern;
  readonly #string: string;
  readonly #pos: number;
  readonly #endpos: number;

  constructor(m: Exec, re: PyPattern, string: string, pos: number, endpos: number) {
    this.#m = m;
    this.#re = re;
    this.#string = string;
    this.#pos = pos;
    this.#endpos = endpos;
    // m[0], m[1], m['name'] item access.
    for (let g = 0; g <= re.groups; g++) this[String(g)] = m[g] ?? null;
    for (const [name, g] of Object.entries(re.groupindex)) {
      if (!(name in PyMatch.prototype)) this[name] = m[g] ?? null;
    }
  }

  #index(g: unknown): number {
    if (typeof g === 'number' && Number.isInteger(g) && g >= 0 && g <= this.#re.groups) return g;
    if (typeof g === 'string' && this.#re.groupindex[g] !== undefined) return this.#re.groupindex[g] as number;
    return reError('no such group') as never;
  }

  get string(): string {
    return this.#string;
  }
  get re(): PyPattern {
    return this.#re;
  }
  get pos(): number {
    return this.#pos;
  }
  get endpos(): number {
    return this.#endpos;
  }
  get lastindex(): number | null {
    let best: number | null = null;
    let bestEnd = -1;
    for (let g = 1; g <= this.#re.groups; g++) {
      const span = this.#m.indices?.[g];
      if (span && span[1] > bestEnd) {
        best = g;
        bestEnd = span[1];
      }
    }
    return best;
  }
  get lastgroup(): string | null {
    const last = this.lastindex;
    if (last === null) return null;
    return Object.entries(this.#re.groupindex).find(([, g]) => g === last)?.[0] ?? null;
  }

  group(...groups: unknown[]): unknown {
    if (groups.length === 0) return this.#m[0];
    if (groups.length === 1) return this.#m[this.#index(groups[0])] ?? null;
    return tuple(groups.map((g) => this.#m[this.#index(g)] ?? null));
  }
  groups(...args: unknown[]): unknown[] {
    const dflt = pyArgs('groups', args, ['default']).default ?? null;
    return tuple(Array.from({ length: this.#re.groups }, (_v, i) => this.#m[i + 1] ?? dflt));
  }
  groupdict(...args: unknown[]): Record<string, unknown> {
    const dflt = pyArgs('groupdict', args, ['default']).default ?? null;
    const out: Record<string, unknown> = {};
    for (const [name, g] of Object.entries(this.#re.groupindex)) out[name] = this.#m[g] ?? dflt;
    return out;
  }
  start(g: unknown = 0): number {
    const span = this.#m.indices?.[this.#index(g)];
    return span ? cpIndex(this.#string, span[0]) : -1;
  }
  end(g: unknown = 0): number {
    const span = this.#m.indices?.[this.#index(g)];
    return span ? cpIndex(this.#string, span[1]) : -1;
  }
  span(g: unknown = 0): unknown[] {
    return tuple([this.start(g), this.end(g)]);
  }
  expand(template: unknown): string {
    return expandTemplate(parseTemplate(strArg(template, 'str'), this.#re), this.#m);
  }
  __getitem__(g: unknown): unknown {
    return this.#m[this.#index(g)] ?? null;
  }
  __repr__(): string {
    return `<re.Match object; span=(${this.start()}, ${this.end()}), match=${strRepr(this.#m[0])}>`;
  }
  toString(): string {
    return this.__repr__();
  }
}

type TemplatePart = string | number;

/** Parses a Python replacement template into literal text and group numbers. */
function parseTemplate(repl: string, re: PyPattern): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let lit = '';
  const push = (g: number) => {
    if (g > re.groups) reError(`invalid group reference ${g}`);
    if (lit) parts.push(lit);
    lit = '';
    parts.push(g);
  };
  for (let i = 0; i < repl.length; i++) {
    const ch = repl[i] as string;
    if (ch !== '\\') {
      lit += ch;
      continue;
    }
    const c = repl[i + 1];
    if (c === undefined) reError('bad escape (end of pattern)', i);
    if (c === 'g') {
      const m = /^<([^>]*)>/.exec(repl.slice(i + 2));
      if (!m) reError('missing <', i + 2);
      const name = m[1] as string;
      if (/^\d+$/.test(name)) push(Number(name));
      else if (re.groupindex[name] !== undefined) push(re.groupindex[name] as number);
      else if (/^[A-Za-z_]\w*$/.test(name)) throw renderError(`IndexError: unknown group name ${strRepr(name)}`);
      else reError(`bad character in group name ${strRepr(name)}`, i + 3);
      i += 2 + m[0].length - 1;
      continue;
    }
    if (c === '0') {
      const od = (/^[0-7]{1,3}/.exec(repl.slice(i + 1)) as RegExpExecArray)[0];
      lit += String.fromCodePoint(parseInt(od, 8));
      i += od.length;
      continue;
    }
    if (/[1-9]/.test(c)) {
      const three = repl.slice(i + 1, i + 4);
      if (/^[0-7]{3}$/.test(three)) {
        const v = parseInt(three, 8);
        if (v > 0o377) reError(`octal escape value \\${three} outside of range 0-0o377`, i);
        lit += String.fromCodePoint(v);
        i += 3;
        continue;
      }
      const ref = (/^\d{1,2}/.exec(repl.slice(i + 1)) as RegExpExecArray)[0];
      push(Number(ref));
      i += ref.length;
      continue;
    }
    if (c === '\\') {
      lit += '\\';
      i++;
      continue;
    }
    const simple = SIMPLE_ESCAPES[c];
    if (simple !== undefined) {
      lit += String.fromCodePoint(simple);
      i++;
      continue;
    }
    if (/[A-Za-z]/.test(c)) reError(`bad escape \\${c}`, i);
    lit += `\\${c}`;
    i++;
  }
  if (lit) parts.push(lit);
  return parts;
}

function expandTemplate(parts: TemplatePart[], m: RegExpExecArray): string {
  let out = '';
  for (const part of parts) out += typeof part === 'number' ? (m[part] ?? '') : part;
  return out;
}

/** Python `re.Pattern`. */
export class PyPattern {
  static {
    Object.defineProperty(this, 'name', { value: 're.Pattern' });
  }
  readonly pattern: string;
  readonly flags: number;
  readonly groups: number;
  readonly groupindex: Record<string, number>;
  readonly #search: RegExp;
  readonly #sticky: RegExp;
  readonly #full: RegExp;

  constructor(pattern: string, flags: number) {
    const t = new Translator(pattern, flags).run();
    this.pattern = pattern;
    this.flags = t.flags;
    this.groups = t.groups;
    this.groupindex = t.groupindex;
    const js = `dgu${t.flags & FLAGS.IGNORECASE ? 'i' : ''}`;
    try {
      this.#search = new RegExp(t.source, js);
      this.#sticky = new RegExp(t.source, js.replace('g', 'y'));
      this.#full = new RegExp(`(?:${t.source})(?![\\s\\S])`, js.replace('g', 'y'));
    } catch (e) {
      reError(`${(e as Error).message.replace(/^Invalid regular expression: /, '')} (pattern ${strRepr(pattern)})`);
    }
  }

  #bounds(s: string, pos: unknown, endpos: unknown): [string, number, number, number] {
    const cps = /[\uD800-\uDFFF]/.test(s) ? Array.from(s).length : s.length;
    const clamp = (v: unknown, d: number) => (typeof v === 'number' ? Math.max(0, Math.min(v < 0 ? 0 : v, cps)) : d);
    const p = clamp(pos, 0);
    const e = clamp(endpos, cps);
    return [s.slice(0, unitIndex(s, e)), unitIndex(s, p), p, e];
  }

  #run(re: RegExp, args: unknown[], fn: string): PyMatch | null {
    const a = pyArgs(fn, args, ['string', 'pos', 'endpos'], 1);
    const s = strArg(a.string);
    const [text, start, pos, endpos] = this.#bounds(s, a.pos, a.endpos);
    if (start > text.length) return null;
    re.lastIndex = start;
    const m = re.exec(text) as Exec | null;
    return m ? new PyMatch(m, this, s, pos, endpos) : null;
  }

  match(...args: unknown[]): PyMatch | null {
    return this.#run(this.#sticky, args, 'match');
  }
  fullmatch(...args: unknown[]): PyMatch | null {
    return this.#run(this.#full, args, 'fullmatch');
  }
  search(...args: unknown[]): PyMatch | null {
    return this.#run(this.#search, args, 'search');
  }

  /** Every non-overlapping match from `start` (Python 3.7 rules for empty matches). */
  *#each(text: string, start: number): Generator<Exec> {
    const re = this.#search;
    re.lastIndex = start;
    while (re.lastIndex <= text.length) {
      const m = re.exec(text) as Exec | null;
      if (!m) return;
      yield m;
      if (m[0] === '') {
        const cp = text.codePointAt(m.index);
        re.lastIndex = m.index + (cp !== undefined && cp > 0xffff ? 2 : 1);
      }
    }
  }

  findall(...args: unknown[]): unknown[] {
    const a = pyArgs('findall', args, ['string', 'pos', 'endpos'], 1);
    const [text, start] = this.#bounds(strArg(a.string), a.pos, a.endpos);
    const out: unknown[] = [];
    for (const m of this.#each(text, start)) {
      if (this.groups === 0) out.push(m[0]);
      else if (this.groups === 1) out.push(m[1] ?? '');
      else out.push(tuple(m.slice(1).map((g) => g ?? '')));
    }
    return out;
  }

  finditer(...args: unknown[]): PyMatch[] {
    const a = pyArgs('finditer', args, ['string', 'pos', 'endpos'], 1);
    const s = strArg(a.string);
    const [text, start, pos, endpos] = this.#bounds(s, a.pos, a.endpos);
    return [...this.#each(text, start)].map((m) => new PyMatch(m, this, s, pos, endpos));
  }

  split(...args: unknown[]): unknown[] {
    const a = pyArgs('split', args, ['string', 'maxsplit'], 1);
    const s = strArg(a.string);
    const max = typeof a.maxsplit === 'number' ? a.maxsplit : 0;
    const out: unknown[] = [];
    if (max < 0) return [s];
    let last = 0;
    let n = 0;
    for (const m of this.#each(s, 0)) {
      if (max && n >= max) break;
      out.push(s.slice(last, m.index), ...m.slice(1).map((g) => g ?? null));
      last = m.index + m[0].length;
      n++;
    }
    out.push(s.slice(last));
    return out;
  }

  #subn(fn: string, args: unknown[]): [string, number] {
    const a = pyArgs(fn, args, ['repl', 'string', 'count'], 2);
    const s = strArg(a.string);
    const count = typeof a.count === 'number' ? a.count : 0;
    const repl = a.repl;
    let replace: (m: Exec) => string;
    if (typeof repl === 'function') {
      replace = (m) => {
        const r = (repl as (m: PyMatch) => unknown)(new PyMatch(m, this, s, 0, Array.from(s).length));
        if (r === null || r === undefined) throw renderError('TypeError: expected str instance, NoneType found');
        return typeof r === 'string' ? r : pyStr(r);
      };
    } else {
      const parts = parseTemplate(strArg(repl, 'str'), this);
      replace = (m) => expandTemplate(parts, m);
    }
    if (count < 0) return [s, 0];
    let out = '';
    let last = 0;
    let n = 0;
    for (const m of this.#each(s, 0)) {
      if (count && n >= count) break;
      out += s.slice(last, m.index) + replace(m);
      last = m.index + m[0].length;
      n++;
    }
    return [out + s.slice(last), n];
  }

  sub(...args: unknown[]): string {
    return this.#subn('sub', args)[0];
  }
  subn(...args: unknown[]): unknown[] {
    return tuple(this.#subn('subn', args));
  }

  __eq__(o: unknown): boolean {
    return o instanceof PyPattern && o.pattern === this.pattern && o.flags === this.flags;
  }
  __repr__(): string {
    const names = FLAG_NAMES.filter(([f]) => (this.flags & f) !== 0).map(([, n]) => n);
    return `re.compile(${strRepr(this.pattern)}${names.length ? `, ${names.join('|')}` : ''})`;
  }
  toString(): string {
    return this.__repr__();
  }
}

// ---------------------------------------------------------------------------------------
// The module

const cache = new Map<string, PyPattern>();

function flagsArg(v: unknown): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return renderError(`flags must be an integer`) as never;
}

/** `re.compile(pattern, flags=0)` (cached, like Python). */
export function compile(pattern: unknown, flags: unknown = 0): PyPattern {
  const f = flagsArg(flags);
  if (pattern instanceof PyPattern) {
    if (f) reError('cannot process flags argument with a compiled pattern');
    return pattern;
  }
  const p = strArg(pattern, 'pattern string');
  const key = `${f}:${p}`;
  let re = cache.get(key);
  if (!re) {
    re = new PyPattern(p, f);
    if (cache.size >= 512) cache.clear();
    cache.set(key, re);
  }
  return re;
}

/** `re.escape(s)`: backslashes the characters that are special in patterns. */
export function escape(s: unknown): string {
  return strArg(s).replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, (c) => `\\${c}`);
}

/** Splits `(pattern, ...rest, flags)` calls: the named parameters after the pattern, then flags. */
function withPattern(fn: string, args: unknown[], params: string[], required: number) {
  const a = pyArgs(fn, args, ['pattern', ...params, 'flags'], required + 1);
  return { re: compile(a.pattern, a.flags), a };
}

/** `modules.re` as templates see it. */
export function reModule() {
  return {
    ...FLAGS,
    compile: (...args: unknown[]) => {
      const a = pyArgs('compile', args, ['pattern', 'flags'], 1);
      return compile(a.pattern, a.flags);
    },
    match: (...args: unknown[]) => {
      const { re, a } = withPattern('match', args, ['string'], 1);
      return re.match(a.string);
    },
    fullmatch: (...args: unknown[]) => {
      const { re, a } = withPattern('fullmatch', args, ['string'], 1);
      return re.fullmatch(a.string);
    },
    search: (...args: unknown[]) => {
      const { re, a } = withPattern('search', args, ['string'], 1);
      return re.search(a.string);
    },
    findall: (...args: unknown[]) => {
      const { re, a } = withPattern('findall', args, ['string'], 1);
      return re.findall(a.string);
    },
    finditer: (...args: unknown[]) => {
      const { re, a } = withPattern('finditer', args, ['string'], 1);
      return re.finditer(a.string);
    },
    split: (...args: unknown[]) => {
      const { re, a } = withPattern('split', args, ['string', 'maxsplit'], 1);
      return re.split(a.string, a.maxsplit ?? 0);
    },
    sub: (...args: unknown[]) => {
      const { re, a } = withPattern('sub', args, ['repl', 'string', 'count'], 2);
      return re.sub(a.repl, a.string, a.count ?? 0);
    },
    subn: (...args: unknown[]) => {
      const { re, a } = withPattern('subn', args, ['repl', 'string', 'count'], 2);
      return re.subn(a.repl, a.string, a.count ?? 0);
    },
    escape,
    purge: () => {
      cache.clear();
      return null;
    },
  };
}
