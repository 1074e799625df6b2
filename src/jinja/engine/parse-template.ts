// Parsing entry point: Jinja2 source conventions (newline normalisation, trailing newline
// dropped), brace balancing in the lexer, and nunjucks syntax errors turned into Jinja2-style
// `jinja-syntax` TsdbtErrors with the template line.
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { Root } from './ast.js';
import { EndOfInput } from './expression-parser.js';
import { lexer, type Token, type TokenStream } from './nunjucks-internals.js';
import { advanceTo } from './lexer-runs.js';
import { UnclosedBlockError } from './block-errors.js';
import { JinjaParser } from './parser.js';

/** Applies Jinja2's source conventions: `\r\n` → `\n`, and one trailing newline dropped. */
export function normalizeSource(source: string): string {
  let s = source.includes('\r') ? source.replace(/\r\n?/g, '\n') : source;
  if (s.endsWith('\n')) s = s.slice(0, -1);
  return s;
}

function cleanMessage(msg: string): string {
  return msg
    .replace(/^(parse\w+|compile\w*|assertType): /, '')
    .replace(/^unexpected token: (.*)$/, "unexpected token '$1'")
    .replace(/^expected (\w+), got (\w+)$/, "expected $1, got '$2'");
}

/**
 * Makes `}}` inside an expression with open `{` close the brace instead of ending the tag, as
 * Jinja2's lexer does (`{% set d = {'a': {'b': 1}} %}`).
 */
function balanceBraces(tokens: TokenStream): void {
  const next = tokens.nextToken.bind(tokens);
  let depth = 0;
  tokens.nextToken = (): Token | null => {
    const tok = next();
    if (!tok) return tok;
    switch (tok.type) {
      case lexer.TOKEN_LEFT_CURLY:
        depth++;
        break;
      case lexer.TOKEN_RIGHT_CURLY:
        depth = Math.max(0, depth - 1);
        break;
      case lexer.TOKEN_BLOCK_START:
      case lexer.TOKEN_VARIABLE_START:
        depth = 0;
        break;
      case lexer.TOKEN_VARIABLE_END:
        if (depth > 0 && tok.value === '}}') {
          depth--;
          tokens.in_code = true;
          tokens.back();
          return { type: lexer.TOKEN_RIGHT_CURLY, value: '}', lineno: tok.lineno, colno: tok.colno };
        }
        break;
      default:
        break;
    }
    return tok;
  };
}

/** Whether `text` holds a backslash between `start` and `end`. */
function hasBackslash(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === 92) return true;
  return false;
}

/** Python's one-character escapes in string literals. */
const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\n': '' };

/**
 * Reads string literals as Jinja2 does (Python's `unicode-escape`): `\n`, `\'`, `\\`, `\x41`,
 * `\u00e9`, `\101` are escapes, and any other backslash stays in the text, so a regular expression
 * written in a template (`'\s+\(\d+'`) reaches `modules.re` as written. nunjucks' lexer drops the
 * backslash of every escape it does not know.
 */
function pythonStringLiterals(tokens: TokenStream): void {
  tokens._parseString = function parseString(this: TokenStream, delimiter: string): string {
    this.forward();
    // A literal without a backslash is its text as written: sliced in one piece, not a character at a time.
    const close = this.str.indexOf(delimiter, this.index);
    if (close >= 0 && !hasBackslash(this.str, this.index, close)) {
      const text = this.str.slice(this.index, close);
      advanceTo(this, close);
      this.forward();
      return text;
    }
    let str = '';
    const take = (count: number, pattern: RegExp): string => {
      let digits = '';
      while (digits.length < count && !this.isFinished() && pattern.test(this.current())) {
        digits += this.current();
        this.forward();
      }
      return digits;
    };
    while (!this.isFinished() && this.current() !== delimiter) {
      const cur = this.current();
      this.forward();
      if (cur !== '\\' || this.isFinished()) {
        str += cur;
        continue;
      }
      const c = this.current();
      if (c in SIMPLE_ESCAPES) {
        str += SIMPLE_ESCAPES[c];
        this.forward();
      } else if (/[0-7]/.test(c)) {
        str += String.fromCodePoint(parseInt(take(3, /[0-7]/), 8));
      } else if (c === 'x' || c === 'u' || c === 'U') {
        this.forward();
        const width = c === 'x' ? 2 : c === 'u' ? 4 : 8;
        const digits = take(width, /[0-9a-fA-F]/);
        const code = parseInt(digits, 16);
        // A short or out-of-range escape is kept as written (Python would refuse the template).
        str += digits.length === width && code <= 0x10ffff ? String.fromCodePoint(code) : `\\${c}${digits}`;
      } else {
        str += `\\${c}`;
        this.forward();
      }
    }
    this.forward();
    return str;
  };
}

/**
 * Jinja2's `{%+` and `+%}` (keep the whitespace that lstrip_blocks / trim_blocks would remove):
 * dbt enables neither, so they mean `{%` and `%}`. nunjucks lexes the `+` as an operator; it is
 * dropped here (`{%+ if x %}` failed with "tag name expected").
 */
function plusTagMarkers(tokens: TokenStream): void {
  const next = tokens.nextToken.bind(tokens);
  let previous: Token | null = null;
  let pending: Token | null = null;
  tokens.nextToken = (): Token | null => {
    let tok = pending ?? next();
    pending = null;
    if (tok && tok.type === lexer.TOKEN_OPERATOR && tok.value === '+') {
      if (previous?.type === lexer.TOKEN_BLOCK_START) tok = next();
      else {
        const after = next();
        if (after?.type === lexer.TOKEN_BLOCK_END) tok = after;
        else pending = after;
      }
    }
    previous = tok;
    return tok;
  };
}

/** A `+` right inside a block tag's delimiters (`{%+`, `{%-+`, `+%}`, `+-%}`): what plusTagMarkers drops. */
const PLUS_MARKER = /\{%-?\+|\+-?%\}/;

/**
 * A `#}` outside a comment is text, as Jinja2's lexer reads it (its data state stops only at
 * `{{`, `{%` and `{#`), so a comment that holds a comment (`{# usage: {# optional #} ... #}`)
 * ends at the first `#}` and the rest, up to and including the outer `#}`, is output. nunjucks
 * refused the template ("unexpected end of comment"); here the text up to and including the stray
 * `#}` becomes one data token.
 */
function strayCommentEnds(tokens: TokenStream): void {
  const next = tokens.nextToken.bind(tokens);
  tokens.nextToken = (): Token | null => {
    const start = { index: tokens.index, lineno: tokens.lineno, colno: tokens.colno };
    try {
      return next();
    } catch (e) {
      if (!(e instanceof Error) || e.message !== 'unexpected end of comment') throw e;
      tokens.forward(); // the tokenizer stopped at the `#}`: it is the data's last two characters
      tokens.forward();
      return { type: lexer.TOKEN_DATA, value: tokens.str.slice(start.index, tokens.index), lineno: start.lineno, colno: start.colno };
    }
  };
}

/** Python's whitespace (`str.isspace`) that nunjucks' lexer (" \n\t\r\xa0") does not skip. */
const PYTHON_ONLY_SPACE = /[\v\f\x1c-\x1f\x85\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

/**
 * Inside a tag, Jinja2's lexer skips any run of Python's `\s` between tokens and ends a name at
 * one, so a U+2029 PARAGRAPH SEPARATOR or a form feed pasted into `{{ config(...) }}` is space.
 * nunjucks read it as part of a name (`env_var('X')\u2029` failed: "unexpected token").
 */
function pythonWhitespace(tokens: TokenStream): void {
  const next = tokens.nextToken.bind(tokens);
  const isSpace = (c: string) => /\s/.test(c) || PYTHON_ONLY_SPACE.test(c);
  tokens.nextToken = (): Token | null => {
    if (tokens.in_code && !tokens.isFinished() && PYTHON_ONLY_SPACE.test(tokens.current())) {
      const start = { index: tokens.index, lineno: tokens.lineno, colno: tokens.colno };
      while (!tokens.isFinished() && isSpace(tokens.current())) tokens.forward();
      return { type: lexer.TOKEN_WHITESPACE, value: tokens.str.slice(start.index, tokens.index), lineno: start.lineno, colno: start.colno };
    }
    const tok = next();
    const cut = tok?.type === lexer.TOKEN_SYMBOL ? tok.value.search(PYTHON_ONLY_SPACE) : -1;
    if (!tok || cut <= 0) return tok;
    // The name ends at the space: the cursor goes back to it (no line break lies in between).
    const rest = tok.value.length - cut;
    tokens.index -= rest;
    tokens.colno -= rest;
    const value = tok.value.slice(0, cut);
    const type = /^[-+]?[0-9]+$/.test(value) ? lexer.TOKEN_INT : /^(true|false)$/.test(value) ? lexer.TOKEN_BOOLEAN : value === 'none' ? lexer.TOKEN_NONE : tok.type;
    return { ...tok, type, value };
  };
}

/** Parses a template into a nunjucks AST; syntax errors become `jinja-syntax` TsdbtErrors. */
export function parseTemplate(source: string, path: string): Root {
  const src = normalizeSource(source);
  const tokens = lexer.lex(src, {});
  pythonStringLiterals(tokens);
  // Each of these three acts only on text the source may lack (checked once here rather than at
  // every token: they were a quarter of the time spent reading a big project's templates).
  if (src.includes('#}')) strayCommentEnds(tokens);
  if (PYTHON_ONLY_SPACE.test(src)) pythonWhitespace(tokens);
  if (PLUS_MARKER.test(src)) plusTagMarkers(tokens);
  balanceBraces(tokens);
  const parser = new JinjaParser(tokens);
  parser.source = src;
  try {
    return parser.parseAsRoot();
  } catch (e) {
    const err = e as { message?: string; lineno?: number };
    // The text ended inside a tag (`{% for x`): our parser's next()/peek() raise EndOfInput, and
    // nunjucks' own code reads the null token and fails with a JavaScript TypeError.
    const endedInTag = e instanceof EndOfInput || (e instanceof TypeError && /of null|of undefined/.test(err.message ?? ''));
    const raw = endedInTag
      ? 'unexpected end of file inside a tag: a {% ... %} or {{ ... }} tag is not closed'
      : String(err.message ?? e).replace(/^\(unknown path\)\s*(\[Line \d+, Column \d+\])?\s*/, '');
    const line = typeof err.lineno === 'number' ? err.lineno : tokens.lineno + 1;
    throw new TsdbtError(cleanMessage(raw.trim()), {
      code: 'jinja-syntax',
      category: 'user',
      location: { file: path, line },
      ...(e instanceof UnclosedBlockError ? { hint: e.hint } : {}),
    });
  }
}
