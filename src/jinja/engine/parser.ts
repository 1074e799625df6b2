// Jinja2 syntax on nunjucks' parser: a subclass adding `{% do %}`, `{% with %}`, `{% print %}`, dbt's
// `{% test %}`/`{% materialization %}`/`{% docs %}`/`{% snapshot %}` blocks, `for ... if`, tuple
// assignment, and turning nunjucks' syntax errors into Jinja2-style TsdbtErrors with a line. The
// expression syntax (slices, `*args`/`**kwargs`, tests without parentheses ...) is expression-parser.ts.
import type { Arg, Caller, DbtBlock, Expr, For, ForTarget, Macro, NodeList, Output, SetBlock, SetValue, Stmt, SymbolNode, With } from './ast.js';
import { JinjaExpressionParser, at } from './expression-parser.js';
import { lexer, type Token } from './nunjucks-internals.js';
import { jinjaEndTags, unclosedBlock, unknownTag } from './block-errors.js';

const UNSUPPORTED = new Set(['block', 'extends', 'include', 'import', 'from', 'autoescape', 'switch', 'ifAsync', 'asyncEach', 'asyncAll', 'verbatim']);
/** nunjucks' parser with Jinja2/dbt syntax added: the statements here, expressions in expression-parser.ts. */
export class JinjaParser extends JinjaExpressionParser {
  source = '';

  /** The 0-based line of each statement tag being parsed, innermost last (its block's body included). */
  private readonly statementLines: number[] = [];

  override parseStatement(): Stmt | null {
    const tok = this.peek();
    if (tok.type !== lexer.TOKEN_SYMBOL) this.fail('tag name expected', tok.lineno, tok.colno);
    const breakOn = this.breakOnBlocks;
    if (breakOn && breakOn.includes(tok.value)) return null;
    this.statementLines.push(tok.lineno);
    try {
      return this.parseTaggedStatement(tok);
    } finally {
      this.statementLines.pop();
    }
  }

  /**
   * A block's body up to one of `names`. The text ending first is Jinja2's "Unexpected end of
   * template" (parser.py's _fail_ut_eof): the end tags looked for and the innermost open block,
   * with a hint naming the line it opened on.
   */
  override parseUntilBlocks(...names: string[]): NodeList {
    this.lookingFor.push(jinjaEndTags(names));
    let body: NodeList;
    try {
      body = super.parseUntilBlocks(...names);
    } finally {
      this.lookingFor.pop();
    }
    if (this.peekToken() === null) throw unclosedBlock(names, (this.statementLines[this.statementLines.length - 1] ?? 0) + 1);
    return body;
  }

  /** The end tags of each block being read, innermost last (Jinja2's end_token_stack). */
  private readonly lookingFor: string[][] = [];

  private parseTaggedStatement(tok: Token): Stmt | null {
    switch (tok.value) {
      case 'do':
        return this.parseDo();
      case 'with':
        return this.parseWith();
      case 'print':
        return this.parsePrint();
      case 'raw':
        return this.parseRaw();
      case 'test':
      case 'materialization':
        return this.parseDbtMacro(tok.value);
      case 'docs':
      case 'snapshot':
        return this.parseDbtBlock(tok.value);
      case 'break':
      case 'continue': {
        this.nextToken();
        this.advanceAfterBlockEnd(tok.value);
        return { typename: 'LoopControl', ...at(tok), kind: tok.value };
      }
      default:
        break;
    }
    const known = ['if', 'for', 'set', 'macro', 'call', 'filter'];
    if (UNSUPPORTED.has(tok.value)) this.fail(`tag '${tok.value}' is not supported`, tok.lineno, tok.colno);
    if (!known.includes(tok.value)) this.fail(unknownTag(tok.value, this.lookingFor), tok.lineno, tok.colno);
    return super.parseStatement();
  }

  /** Jinja2 tolerates a trailing colon in block tags (`{% if x: %}`, `{% else: %}`). */
  override advanceAfterBlockEnd(name?: string): Token {
    if (!name) {
      const tok = this.peekToken();
      if (tok && tok.type === lexer.TOKEN_SYMBOL) name = this.next().value;
    }
    this.skip(lexer.TOKEN_COLON);
    return super.advanceAfterBlockEnd(name);
  }

  /** Set by nextToken at `{{`: the expression that follows is read as Jinja2's parse_tuple (`{{ a, b }}`). */
  private outputStart = false;

  override nextToken(withWhitespace?: boolean): Token | null {
    const tok = super.nextToken(withWhitespace);
    this.outputStart = tok?.type === lexer.TOKEN_VARIABLE_START;
    return tok;
  }

  /** The expression of `{{ ... }}` is a tuple when it has commas, as in Jinja2 (`{{ 1, 2 }}` prints `(1, 2)`). */
  override parseExpression(): Expr {
    if (!this.outputStart) return super.parseExpression();
    this.outputStart = false;
    return this.parseTupleExpression(() => super.parseExpression());
  }

  parseDo(): Stmt {
    const tok = this.next();
    const expr = this.parseTupleExpression();
    this.advanceAfterBlockEnd(tok.value);
    return { typename: 'Do', ...at(tok), expr };
  }

  /**
   * `{% raw %} ... {% endraw %}` as Jinja2's lexer reads it: the text up to the first `endraw` tag
   * (raw blocks do not nest), with whitespace control on both tags: `raw -%}` strips the whitespace
   * that starts the text, `{%- endraw` the whitespace that ends it, and `endraw -%}` the whitespace
   * after the block. (nunjucks' own parseRaw knows no `-` in these tags and nests them.)
   */
  parseRaw(): Output {
    const tok = this.next();
    const open = this.advanceAfterBlockEnd(tok.value);
    const stripStart = open.value.startsWith('-');
    this.dropLeadingWhitespace = false;
    const found = this.tokens._extractRegex(/^([\s\S]*?)\{%([-+]?)\s*endraw\s*([-+]?)%\}/);
    if (!found) this.fail("missing end of raw directive (no '{% endraw %}' after this '{% raw %}')", tok.lineno, tok.colno);
    let text = found[1] ?? '';
    if (stripStart) text = text.replace(/^\s+/, '');
    if (found[2] === '-') text = text.replace(/\s+$/, '');
    this.dropLeadingWhitespace = found[3] === '-';
    return { typename: 'Output', ...at(tok), children: [{ typename: 'TemplateData', ...at(tok), value: text }] };
  }

  /**
   * `{% print a, b %}`: Jinja2's print statement (one of its parser's statement keywords, beside
   * for/if/set...), which writes each expression into the output as `{{ a }}{{ b }}` does; dbt
   * macros use it as `{% print(sql) %}`, which renders the SQL where the tag stands, not to the log.
   */
  parsePrint(): Output {
    const tok = this.next();
    const children: Expr[] = [];
    while (this.peek().type !== lexer.TOKEN_BLOCK_END) {
      if (children.length && !this.skip(lexer.TOKEN_COMMA)) this.fail("expected ',' in print statement", this.peek().lineno, this.peek().colno);
      children.push(this.parseExpression());
    }
    this.advanceAfterBlockEnd(tok.value);
    return { typename: 'Output', ...at(tok), children };
  }

  parseWith(): With {
    const tok = this.next();
    const targets: SymbolNode[] = [];
    const values: Expr[] = [];
    while (this.peek().type !== lexer.TOKEN_BLOCK_END) {
      if (targets.length && !this.skip(lexer.TOKEN_COMMA)) this.fail("expected ',' in with statement");
      targets.push(assignable(this, unparenthesised(this.parsePrimary(true))));
      if (!this.skipValue(lexer.TOKEN_OPERATOR, '=')) this.fail("expected '=' in with statement");
      values.push(this.parseExpression());
    }
    this.advanceAfterBlockEnd(tok.value);
    const body = this.parseUntilBlocks('endwith');
    this.advanceAfterBlockEnd();
    return { typename: 'With', ...at(tok), targets, values, body };
  }

  /** `{% test name(args) %}` → macro `test_name`; `{% materialization name, adapter='x' %}` → macro `materialization_name_x`. */
  parseDbtMacro(kind: 'test' | 'materialization'): Macro {
    const tok = this.next();
    const nameTok = this.nextToken();
    if (!nameTok || nameTok.type !== lexer.TOKEN_SYMBOL) this.fail(`expected a name after '${kind}'`, tok.lineno, tok.colno);
    let args: NodeList<Arg>;
    let adapter: string | undefined;
    let supportedLanguages: string[] | undefined;
    let name: string;
    if (kind === 'test') {
      args = this.parseSignature();
      name = `test_${nameTok.value}`;
    } else {
      adapter = 'default';
      while (this.skip(lexer.TOKEN_COMMA)) {
        const key = this.next();
        if (this.skipValue(lexer.TOKEN_OPERATOR, '=')) {
          const value = this.parseExpression();
          if (key.value === 'adapter') adapter = value.typename === 'Literal' || value.typename === 'Symbol' ? String(value.value) : 'undefined';
          // dbt's MaterializationExtension: `supported_languages=['sql', 'python']` (default ['sql']).
          if (key.value === 'supported_languages' && value.typename === 'Array') {
            supportedLanguages = value.children.map((c) => (c.typename === 'Literal' ? String(c.value) : ''));
          }
        } else if (key.type === lexer.TOKEN_SYMBOL) {
          adapter = key.value;
        }
      }
      args = { typename: 'NodeList', ...at(tok), children: [] };
      name = `materialization_${nameTok.value}_${adapter}`;
    }
    this.advanceAfterBlockEnd(tok.value);
    const body = this.parseUntilBlocks(`end${kind}`);
    this.advanceAfterBlockEnd();
    return { typename: 'Macro', ...at(tok), name: { typename: 'Symbol', ...at(nameTok), value: name }, args, body, dbtKind: kind, adapter, blockName: nameTok.value, ...(kind === 'materialization' ? { supportedLanguages: supportedLanguages ?? ['sql'] } : {}) };
  }

  /** `{% docs name %}` / `{% snapshot name %}`: keeps the raw body text for scanning. */
  parseDbtBlock(kind: 'docs' | 'snapshot'): DbtBlock {
    const tok = this.next();
    const nameTok = this.nextToken();
    if (!nameTok || nameTok.type !== lexer.TOKEN_SYMBOL) this.fail(`expected a name after '${kind}'`, tok.lineno, tok.colno);
    this.advanceAfterBlockEnd(tok.value);
    const start = this.tokens.index;
    const body = this.parseUntilBlocks(`end${kind}`);
    const end = this.source.lastIndexOf('{%', this.tokens.index);
    this.advanceAfterBlockEnd();
    return { typename: 'DbtBlock', ...at(tok), kind, name: nameTok.value, body, raw: this.source.slice(start, Math.max(start, end)) };
  }

  /** `{% macro name(args) %}`: the name is a name, as Jinja2's parse_assign_target(name_only=True) reads it. */
  parseMacro(): Macro {
    const tok = this.next();
    const nameTok = this.nextToken();
    if (!nameTok || !(nameTok.type === lexer.TOKEN_SYMBOL || (nameTok.type === lexer.TOKEN_NONE && nameTok.value === 'null'))) {
      this.fail("expected a name after 'macro'", tok.lineno, tok.colno);
    }
    const name: SymbolNode = { typename: 'Symbol', ...at(nameTok), value: nameTok.value };
    const args = this.parseSignature();
    this.advanceAfterBlockEnd(tok.value);
    const body = this.parseUntilBlocks('endmacro');
    this.advanceAfterBlockEnd();
    return { typename: 'Macro', ...at(tok), name, args, body };
  }

  /** `{% call(args) f(...) %}...{% endcall %}`: f(...) with a `caller` keyword; the expression must be a call (Jinja2: "expected call"). */
  parseCall(): Output {
    const tok = this.next();
    const callerArgs = this.parseSignature(true) ?? { typename: 'NodeList', ...at(tok), children: [] };
    const call = this.parsePrimary();
    if (call.typename !== 'FunCall') return this.fail('expected call', tok.lineno, tok.colno);
    this.advanceAfterBlockEnd(tok.value);
    const body = this.parseUntilBlocks('endcall');
    this.advanceAfterBlockEnd();
    const callerName: SymbolNode = { typename: 'Symbol', ...at(tok), value: 'caller' };
    const caller: Caller = { typename: 'Caller', ...at(tok), name: callerName, args: callerArgs, body };
    const args = call.args.children;
    let kwargs = args[args.length - 1];
    if (kwargs?.typename !== 'KeywordArgs') {
      kwargs = { typename: 'KeywordArgs', ...at(tok), children: [] };
      args.push(kwargs);
    }
    kwargs.children.push({ typename: 'Pair', ...at(tok), key: callerName, value: caller });
    return { typename: 'Output', ...at(tok), children: [call] };
  }

  parseFor(): For {
    const forTok = this.next();
    const first = unparenthesised(this.parsePrimary(true));
    const targets = [first];
    const commas = this.peek().type === lexer.TOKEN_COMMA;
    while (this.skip(lexer.TOKEN_COMMA)) targets.push(this.parsePrimary(true));
    let name: ForTarget;
    if (commas) name = { typename: 'Array', ...at(first), children: targets.map((t) => assignable(this, t)) };
    else if (first.typename === 'Array' || first.typename === 'Group') name = { typename: first.typename, ...at(first), children: first.children.map((t) => assignable(this, t)) };
    else name = assignable(this, first);
    if (!this.skipSymbol('in')) this.fail("expected 'in' in for loop", forTok.lineno, forTok.colno);
    const arr = this.parseTupleExpression(() => this.parseOr(), ['recursive', 'if']);
    const cond = this.skipSymbol('if') ? this.parseExpression() : undefined;
    const recursive = this.skipSymbol('recursive');
    this.advanceAfterBlockEnd(forTok.value);
    const node: For = { typename: 'For', ...at(forTok), arr, name, body: this.parseUntilBlocks('endfor', 'else'), else_: null };
    if (cond) node.cond = cond;
    if (recursive) node.recursive = true;
    if (this.skipSymbol('else')) {
      this.advanceAfterBlockEnd('else');
      node.else_ = this.parseUntilBlocks('endfor');
    }
    this.advanceAfterBlockEnd();
    return node;
  }

  parseSet(): SetValue | SetBlock {
    const tag = this.next();
    let targets: Expr[] = [];
    do targets.push(unparenthesised(this.parsePrimary()));
    while (this.skip(lexer.TOKEN_COMMA));
    // `{% set (a, b) = ... %}` is `{% set a, b = ... %}`; `(a,)` unpacks a sequence of one.
    const [only] = targets;
    const unpack = targets.length === 1 && only?.typename === 'Group' && only.tuple === true;
    if (unpack) targets = only.children;
    if (!this.skipValue(lexer.TOKEN_OPERATOR, '=')) {
      const end = this.nextToken();
      if (end?.type !== lexer.TOKEN_BLOCK_END) this.fail("expected '=' or end of tag in set", tag.lineno, tag.colno);
      // `{% set x -%}` strips the whitespace that starts the body, as every other tag's `-%}` does
      // (nunjucks' parseSet skipped the tag's end without looking at it).
      else if (end.value.startsWith('-')) this.dropLeadingWhitespace = true;
      const block: SetBlock = { typename: 'Set', ...at(tag), targets, value: null, body: { typename: 'Capture', ...at(tag), body: this.parseUntilBlocks('endset') } };
      if (unpack) block.unpack = true;
      this.advanceAfterBlockEnd();
      return block;
    }
    const node: SetValue = { typename: 'Set', ...at(tag), targets, value: this.parseTupleExpression() };
    if (unpack) node.unpack = true;
    this.advanceAfterBlockEnd(tag.value);
    return node;
  }

  advanceAfterVariableEnd(): void {
    const tok = this.nextToken();
    if (tok && tok.type === lexer.TOKEN_VARIABLE_END) {
      this.dropLeadingWhitespace = tok.value.charAt(tok.value.length - 3) === '-';
      return;
    }
    if (!tok) this.fail("unexpected end of template, expected '}}'");
    this.fail(`unexpected token '${tok.value}', expected '}}'`, tok.lineno, tok.colno);
  }
}

/** A loop's or with's target, which Jinja assigns to names only (`{% for 1 in x %}`: "can't assign to 'const'"). */
function assignable(parser: JinjaParser, target: Expr): SymbolNode {
  if (target.typename === 'Symbol') return target;
  return parser.fail(`can't assign to '${target.typename === 'Literal' ? 'const' : target.typename.toLowerCase()}'`, target.lineno, target.colno);
}

/**
 * An assignment target as Jinja2's parse_assign_target reads it: `(a)` is the name `a` (a lone
 * element in parentheses without a comma is itself); `(a,)` and `(a, b)` stay tuples.
 */
function unparenthesised(target: Expr): Expr {
  const [only] = target.typename === 'Group' && !target.tuple && target.children.length === 1 ? target.children : [];
  return only ?? target;
}
