// Python's `re` module for templates (`modules.re`), on JavaScript regular expressions.
// Python pattern syntax is translated to a Unicode-mode JS regex: `(?P<name>)`, `(?P=name)`,
// `\A`/`\Z`, Python's `.`/`^`/`$` (only `\n` is a line break), Unicode `\d \w \s \b`, inline
// flags, VERBOSE, literal `{`; replacement templates (`\1`, `\g<name>`, escapes) and function
// replacements follow Python. Positions are code-point indexes, as in Python.
// The module itself lives here; the pieces it stands on are split out next to it:
// translate.ts (with chars.ts) turns Python patterns into JS regexes, pattern.ts and match.ts are
// re.Pattern and re.Match, template.ts expands sub() replacement templates; index.ts is the entry.
import { renderError } from '../../engine/values.js';
import { pyArgs } from '../args/index.js';
import { FLAGS, reError, strArg } from './common.js';
import { PyPattern } from './pattern.js';

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

/** Names a module function after its Python name, so its repr stays `<function match>`. */
function named<F extends (...args: unknown[]) => unknown>(fn: string, call: F): F {
  return Object.defineProperty(call, 'name', { value: fn });
}

/** `re.<fn>(pattern, string, flags=0)`: compiles, then runs the pattern's method of the same name. */
function onString(fn: 'match' | 'fullmatch' | 'search' | 'findall' | 'finditer') {
  return named(fn, (...args: unknown[]) => {
    const { re, a } = withPattern(fn, args, ['string'], 1);
    return re[fn](a.string);
  });
}

/** `re.<fn>(pattern, repl, string, count=0, flags=0)`: compiles, then runs the pattern's method. */
function onRepl(fn: 'sub' | 'subn') {
  return named(fn, (...args: unknown[]) => {
    const { re, a } = withPattern(fn, args, ['repl', 'string', 'count'], 2);
    return re[fn](a.repl, a.string, a.count ?? 0);
  });
}

/** `modules.re` as templates see it. */
export function reModule() {
  return {
    ...FLAGS,
    compile: (...args: unknown[]) => {
      const a = pyArgs('compile', args, ['pattern', 'flags'], 1);
      return compile(a.pattern, a.flags);
    },
    match: onString('match'),
    fullmatch: onString('fullmatch'),
    search: onString('search'),
    findall: onString('findall'),
    finditer: onString('finditer'),
    split: (...args: unknown[]) => {
      const { re, a } = withPattern('split', args, ['string', 'maxsplit'], 1);
      return re.split(a.string, a.maxsplit ?? 0);
    },
    sub: onRepl('sub'),
    subn: onRepl('subn'),
    escape,
    purge: () => {
      cache.clear();
      return null;
    },
  };
}
