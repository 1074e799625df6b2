// nunjucks' lexer reads a run of text one character at a time, growing a string by `+=` for each
// (`_extractMatching`: a template's SQL between tags, whitespace, names) and compares a tag by
// slicing the source (`_matches`). Parsing the 10,000 models of issue 18's bench made ~100 bytes
// of garbage per character of template this way. These replacements find the run's end first and
// slice it once, and compare in place; the tokens, the cursor's line and column and every other
// result are the same as nunjucks' own (node_modules/nunjucks/src/lexer.js).
import { lexer } from './nunjucks-internals.js';

/** The cursor fields and methods of nunjucks' Tokenizer these read and replace. */
interface Cursor {
  str: string;
  len: number;
  index: number;
  lineno: number;
  colno: number;
  _matches(text: string): boolean | null;
  _extractMatching(breakOnMatch: boolean, charString: string): string | null;
}

/** Moves `cursor` from its index to `end`, as that many forward() calls would (line and column too). */
export function advanceTo(cursor: Pick<Cursor, 'str' | 'index' | 'lineno' | 'colno'>, end: number): void {
  const { str, index: start } = cursor;
  let newline = str.indexOf('\n', start);
  if (newline < 0 || newline >= end) {
    cursor.colno += end - start;
  } else {
    let last = newline;
    let lines = 0;
    while (newline >= 0 && newline < end) {
      lines++;
      last = newline;
      newline = str.indexOf('\n', newline + 1);
    }
    cursor.lineno += lines;
    cursor.colno = end - last - 1;
  }
  cursor.index = end;
}

const tokenizer = Object.getPrototypeOf(lexer.lex('', {})) as Cursor;

// nunjucks: null when the text would run past the end, else whether it is there.
tokenizer._matches = function matches(this: Cursor, text: string): boolean | null {
  if (this.index + text.length > this.len) return null;
  return this.str.startsWith(text, this.index);
};

// nunjucks: null at the end; else the characters up to the first one in `charString`
// (breakOnMatch) or not in it (!breakOnMatch), '' when the current one already stops it.
tokenizer._extractMatching = function extractMatching(this: Cursor, breakOnMatch: boolean, charString: string): string | null {
  const { str, len, index: start } = this;
  if (start >= len) return null;
  let end = start;
  while (end < len && (charString.indexOf(str.charAt(end)) === -1) === breakOnMatch) end++;
  if (end === start) return '';
  advanceTo(this, end);
  return str.slice(start, end);
};

// Inside a tag, nunjucks reads a delimiter by building a list of its two-character operators and
// the delimiter joined to the character after it, for every `(`, `)`, `,` and `.`. These
// delimiters begin no two-character operator and no tag end (`%}`, `}}`, `-%}`), so they are a
// token of their own at once: the same token (same fields, in nunjucks' order) and cursor.
const SINGLE_DELIMITERS = new Map<string, string>([
  ['(', lexer.TOKEN_LEFT_PAREN],
  [')', lexer.TOKEN_RIGHT_PAREN],
  ['[', lexer.TOKEN_LEFT_BRACKET],
  [']', lexer.TOKEN_RIGHT_BRACKET],
  ['{', lexer.TOKEN_LEFT_CURLY],
  [',', lexer.TOKEN_COMMA],
  [':', lexer.TOKEN_COLON],
  ['|', lexer.TOKEN_PIPE],
  ['.', lexer.TOKEN_OPERATOR],
]);

interface TokenCursor extends Cursor {
  in_code: boolean;
  nextToken: (this: TokenCursor) => { type: string; value: string; lineno: number; colno: number } | null;
}

const tokenizerWithCode = tokenizer as TokenCursor;
const nunjucksNextToken = tokenizerWithCode.nextToken;
tokenizerWithCode.nextToken = function nextToken(this: TokenCursor) {
  if (this.in_code && this.index < this.len) {
    const value = this.str.charAt(this.index);
    const type = SINGLE_DELIMITERS.get(value);
    if (type !== undefined) {
      const { lineno, colno } = this;
      // forward() over a character that is no newline
      this.index++;
      this.colno++;
      return { type, value, lineno, colno };
    }
  }
  return nunjucksNextToken.call(this);
};
