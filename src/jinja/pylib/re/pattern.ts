// The compiled pattern (`re.Pattern`): match/search/fullmatch, findall/finditer, split, sub/subn,
// run on the JavaScript regexes the translator produces.
import { pyStr, strRepr } from '../../engine/py-repr.js';
import { renderError, tuple } from '../../engine/values.js';
import { pyArgs } from '../args/index.js';
import { type Exec, FLAGS, reError, strArg, unitIndex } from './common.js';
import { PyMatch } from './match.js';
import { expandTemplate, parseTemplate } from './template.js';
import { Translator } from './translate.js';

const FLAG_NAMES: [number, string][] = [
  [2, 're.IGNORECASE'], [4, 're.LOCALE'], [8, 're.MULTILINE'], [16, 're.DOTALL'], [64, 're.VERBOSE'], [256, 're.ASCII'],
];

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
    const m = re.exec(text);
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
      const m = re.exec(text);
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
