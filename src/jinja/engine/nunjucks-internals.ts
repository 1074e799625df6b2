// Typed access to the parts of nunjucks we build on: its lexer, parser and AST node classes.
// nunjucks' type definitions do not describe these internals, so they are loaded through
// createRequire and typed loosely here, in one place.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A nunjucks AST node (fields depend on `typename`). */
export type AstNode = any;

/** nunjucks' lexer module (`lex(src, opts)` and the TOKEN_* constants). */
export const lexer: any = require('nunjucks/src/lexer');
/** nunjucks' parser module (`Parser` class). */
export const parserModule: any = require('nunjucks/src/parser');
/** nunjucks' AST node classes. */
export const nodes: any = require('nunjucks/src/nodes');
