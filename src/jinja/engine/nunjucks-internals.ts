// Typed access to the parts of nunjucks we build on: its lexer and its parser class. nunjucks'
// type definitions do not describe these internals (nunjucks-modules.d.ts declares them untyped), so
// they are described here, in one place, as far as tsdbt uses them (node_modules/nunjucks/src/lexer.js,
// parser.js). The trees they build are typed in ast.ts. Plain imports, which esbuild follows: the
// bundled CLI carries them (scripts/bundle-cli.ts), compiled from its code cache, rather than
// resolving and compiling nunjucks' five files from node_modules at every start (issue 18).
import lexerModule from 'nunjucks/src/lexer.js';
import parserModule from 'nunjucks/src/parser.js';
import type { Expr, NodeList, Root, Stmt } from './ast.js';

/** A token of nunjucks' lexer (`value` is the text; 0-based line and column). */
export interface Token {
  type: string;
  value: string;
  lineno: number;
  colno: number;
}

/** nunjucks' Tokenizer: the token stream a parser reads, and the character cursor under it. */
export interface TokenStream {
  /** Offset of the cursor in the source. */
  index: number;
  /** 0-based line of the cursor. */
  lineno: number;
  /** 0-based column of the cursor. */
  colno: number;
  /** The source being lexed. */
  str: string;
  /** Inside a tag (`{{ }}` / `{% %}`), where code is lexed rather than text. */
  in_code: boolean;
  /** The next token; null at the end of the source. */
  nextToken(): Token | null;
  back(): void;
  forward(): void;
  current(): string;
  isFinished(): boolean;
  /** Matches `regex` on the source from the cursor and moves the cursor past the match (null: no match). */
  _extractRegex(regex: RegExp): RegExpMatchArray | null;
  /** Reads a string literal whose opening delimiter is at the cursor. */
  _parseString(delimiter: string): string;
}

type TokenType =
  | 'STRING' | 'BLOCK_START' | 'BLOCK_END' | 'VARIABLE_START' | 'VARIABLE_END' | 'LEFT_PAREN' | 'RIGHT_PAREN'
  | 'LEFT_BRACKET' | 'RIGHT_BRACKET' | 'LEFT_CURLY' | 'RIGHT_CURLY' | 'OPERATOR' | 'COMMA' | 'COLON' | 'PIPE'
  | 'INT' | 'FLOAT' | 'BOOLEAN' | 'NONE' | 'SYMBOL' | 'DATA' | 'WHITESPACE';

/** nunjucks' lexer module: `lex(src, opts)` and the token type names. */
export type Lexer = { [K in TokenType as `TOKEN_${K}`]: string } & { lex(src: string, opts: object): TokenStream };

// The module's exports are the TOKEN_* strings and lex (lexer.js, module.exports).
export const lexer = lexerModule as Lexer;

/**
 * nunjucks' Parser, the methods tsdbt calls or overrides (parser.ts, expression-parser.ts). The
 * nodes it returns are nunjucks' node classes, whose fields ast.ts describes.
 */
export interface NunjucksParser {
  tokens: TokenStream;
  /** The end tags the statement list being parsed stops at. */
  breakOnBlocks: string[] | null;
  dropLeadingWhitespace: boolean;
  /** The next token; whitespace tokens are skipped unless `withWhitespace`. */
  nextToken(withWhitespace?: boolean): Token | null;
  peekToken(): Token | null;
  pushToken(tok: Token | null): void;
  fail(message: string, lineno?: number, colno?: number): never;
  skip(type: string): boolean;
  skipValue(type: string, value: string): boolean;
  skipSymbol(value: string): boolean;
  advanceAfterBlockEnd(name?: string): Token;
  parseStatement(): Stmt | null;
  parseExpression(): Expr;
  parseOr(): Expr;
  parseCompare(): Expr;
  parsePow(): Expr;
  parseFilter(node: Expr): Expr;
  parsePrimary(noPostfix?: boolean): Expr;
  parseUntilBlocks(...names: string[]): NodeList;
  parseAsRoot(): Root;
}

// parser.js exports { Parser }, a class over a TokenStream whose instances have the methods above.
const { Parser } = parserModule as { Parser: new (tokens: TokenStream) => NunjucksParser };
export { Parser };
