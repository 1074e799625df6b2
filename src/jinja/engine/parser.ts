// Jinja2 syntax on nunjucks' parser: a subclass adding `{% do %}`, `{% with %}`, dbt's
// `{% test %}`/`{% materialization %}`/`{% docs %}`/`{% snapshot %}` blocks, `for ... if`, tuple
// assignment, and turning nunjucks' syntax errors into Jinja2-style TsdbtErrors with a line. The
// expression syntax (slices, `*args`/`**kwargs`, tests without parentheses ...) is expression-parser.ts.
import { JinjaExpressionParser, plain } from './expression-parser.js';
import { type AstNode, lexer, nodes } from './nunjucks-internals.js';

const UNSUPPORTED = new Set(['block', 'extends', 'include', 'import', 'from', 'switch', 'ifAsync', 'asyncEach', 'asyncAll', 'verbatim']);
/** nunjucks' parser with Jinja2/dbt syntax added: the statements here, expressions in expression-parser.ts. */
export class JinjaParser extends JinjaExpressionParser {
  source = '';

  parseStatement(): AstNode {
    const tok = this.peekToken();
    if (tok.type !== lexer.TOKEN_SYMBOL) this.fail('tag name expected', tok.lineno, tok.colno);
    const breakOn: string[] | null = this.breakOnBlocks;
    if (breakOn && breakOn.includes(tok.value)) return null;
    switch (tok.value) {
      case 'do':
        return this.parseDo();
      case 'with':
        return this.parseWith();
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
        return plain('LoopControl', tok, { kind: tok.value });
      }
      default:
        break;
    }
    const known = ['raw', 'if', 'for', 'set', 'macro', 'call', 'filter'];
    if (UNSUPPORTED.has(tok.value)) this.fail(`tag '${tok.value}' is not supported`, tok.lineno, tok.colno);
    if (!known.includes(tok.value)) {
      const expected = breakOn ? ` (expected ${breakOn.map((b) => `'${b}'`).join(' or ')})` : '';
      this.fail(`unknown tag '${tok.value}'${expected}`, tok.lineno, tok.colno);
    }
    return super.parseStatement();
  }

  /** Jinja2 tolerates a trailing colon in block tags (`{% if x: %}`, `{% else: %}`). */
  advanceAfterBlockEnd(name?: string): AstNode {
    if (!name) {
      const tok = this.peekToken();
      if (tok && tok.type === lexer.TOKEN_SYMBOL) name = this.nextToken().value;
    }
    this.skip(lexer.TOKEN_COLON);
    return super.advanceAfterBlockEnd(name);
  }

  parseDo(): AstNode {
    const tok = this.nextToken();
    const expr = this.parseExpression();
    this.advanceAfterBlockEnd(tok.value);
    return plain('Do', tok, { expr });
  }

  parseWith(): AstNode {
    const tok = this.nextToken();
    const targets: AstNode[] = [];
    const values: AstNode[] = [];
    while (this.peekToken().type !== lexer.TOKEN_BLOCK_END) {
      if (targets.length && !this.skip(lexer.TOKEN_COMMA)) this.fail("expected ',' in with statement");
      targets.push(assignable(this, unparenthesised(this.parsePrimary(true))));
      if (!this.skipValue(lexer.TOKEN_OPERATOR, '=')) this.fail("expected '=' in with statement");
      values.push(this.parseExpression());
    }
    this.advanceAfterBlockEnd(tok.value);
    const body = this.parseUntilBlocks('endwith');
    this.advanceAfterBlockEnd();
    return plain('With', tok, { targets, values, body });
  }

  /** `{% test name(args) %}` → macro `test_name`; `{% materialization name, adapter='x' %}` → macro `materialization_name_x`. */
  parseDbtMacro(kind: 'test' | 'materialization'): AstNode {
    const tok = this.nextToken();
    const nameTok = this.nextToken();
    if (!nameTok || nameTok.type !== lexer.TOKEN_SYMBOL) this.fail(`expected a name after '${kind}'`, tok.lineno, tok.colno);
    let args: AstNode;
    let adapter: string | undefined;
    let name: string;
    if (kind === 'test') {
      args = this.parseSignature();
      name = `test_${nameTok.value}`;
    } else {
      adapter = 'default';
      while (this.skip(lexer.TOKEN_COMMA)) {
        const key = this.nextToken();
        if (this.skipValue(lexer.TOKEN_OPERATOR, '=')) {
          const value = this.parseExpression();
          if (key.value === 'adapter') adapter = String(value.value);
        } else if (key.type === lexer.TOKEN_SYMBOL) {
          adapter = key.value;
        }
      }
      args = new nodes.NodeList(tok.lineno, tok.colno);
      name = `materialization_${nameTok.value}_${adapter}`;
    }
    this.advanceAfterBlockEnd(tok.value);
    const node = new nodes.Macro(tok.lineno, tok.colno, new nodes.Symbol(nameTok.lineno, nameTok.colno, name), args);
    node.body = this.parseUntilBlocks(`end${kind}`);
    this.advanceAfterBlockEnd();
    node.dbtKind = kind;
    node.adapter = adapter;
    node.blockName = nameTok.value;
    return node;
  }

  /** `{% docs name %}` / `{% snapshot name %}`: keeps the raw body text for scanning. */
  parseDbtBlock(kind: 'docs' | 'snapshot'): AstNode {
    const tok = this.nextToken();
    const nameTok = this.nextToken();
    if (!nameTok || nameTok.type !== lexer.TOKEN_SYMBOL) this.fail(`expected a name after '${kind}'`, tok.lineno, tok.colno);
    this.advanceAfterBlockEnd(tok.value);
    const start: number = this.tokens.index;
    const body = this.parseUntilBlocks(`end${kind}`);
    const end = this.source.lastIndexOf('{%', this.tokens.index);
    this.advanceAfterBlockEnd();
    return plain('DbtBlock', tok, { kind, name: nameTok.value, body, raw: this.source.slice(start, Math.max(start, end)) });
  }

  parseFor(): AstNode {
    const forTok = this.nextToken();
    const node = new nodes.For(forTok.lineno, forTok.colno);
    node.name = unparenthesised(this.parsePrimary(true));
    if (this.peekToken().type === lexer.TOKEN_COMMA) {
      const first = node.name;
      node.name = new nodes.Array(first.lineno, first.colno);
      node.name.addChild(first);
      while (this.skip(lexer.TOKEN_COMMA)) node.name.addChild(this.parsePrimary(true));
    }
    for (const target of node.name.typename === 'Array' || node.name.typename === 'Group' ? node.name.children : [node.name]) assignable(this, target);
    if (!this.skipSymbol('in')) this.fail("expected 'in' in for loop", forTok.lineno, forTok.colno);
    node.arr = this.parseOr();
    if (this.skipSymbol('if')) node.cond = this.parseExpression();
    if (this.skipSymbol('recursive')) this.fail('recursive loops are not supported', forTok.lineno, forTok.colno);
    this.advanceAfterBlockEnd(forTok.value);
    node.body = this.parseUntilBlocks('endfor', 'else');
    if (this.skipSymbol('else')) {
      this.advanceAfterBlockEnd('else');
      node.else_ = this.parseUntilBlocks('endfor');
    }
    this.advanceAfterBlockEnd();
    return node;
  }

  /** `{% macro name(args) %}`: the name is a name, as Jinja2's parse_assign_target(name_only=True) reads it. */
  parseMacro(): AstNode {
    const tok = this.nextToken();
    const nameTok = this.nextToken();
    if (!nameTok || !(nameTok.type === lexer.TOKEN_SYMBOL || (nameTok.type === lexer.TOKEN_NONE && nameTok.value === 'null'))) {
      this.fail("expected a name after 'macro'", tok.lineno, tok.colno);
    }
    const name = new nodes.Symbol(nameTok.lineno, nameTok.colno, nameTok.value);
    const args = this.parseSignature();
    this.advanceAfterBlockEnd(tok.value);
    const body = this.parseUntilBlocks('endmacro');
    this.advanceAfterBlockEnd();
    return new nodes.Macro(tok.lineno, tok.colno, name, args, body);
  }

  /** `{% call(args) f(...) %}...{% endcall %}`: f(...) with a `caller` keyword; the expression must be a call (Jinja2: "expected call"). */
  parseCall(): AstNode {
    const tok = this.nextToken();
    const callerArgs = this.parseSignature(true) ?? new nodes.NodeList(tok.lineno, tok.colno);
    const call = this.parsePrimary();
    if (call.typename !== 'FunCall') this.fail('expected call', tok.lineno, tok.colno);
    this.advanceAfterBlockEnd(tok.value);
    const body = this.parseUntilBlocks('endcall');
    this.advanceAfterBlockEnd();
    const callerName = new nodes.Symbol(tok.lineno, tok.colno, 'caller');
    const caller = new nodes.Caller(tok.lineno, tok.colno, callerName, callerArgs, body);
    const args: AstNode[] = call.args.children;
    let kwargs = args[args.length - 1];
    if (kwargs?.typename !== 'KeywordArgs') {
      kwargs = new nodes.KeywordArgs(tok.lineno, tok.colno);
      args.push(kwargs);
    }
    kwargs.children.push(new nodes.Pair(tok.lineno, tok.colno, callerName, caller));
    return new nodes.Output(tok.lineno, tok.colno, [call]);
  }

  parseSet(): AstNode {
    const tag = this.nextToken();
    const node = new nodes.Set(tag.lineno, tag.colno, []);
    do node.targets.push(unparenthesised(this.parsePrimary()));
    while (this.skip(lexer.TOKEN_COMMA));
    // `{% set (a, b) = ... %}` is `{% set a, b = ... %}`; `(a,)` unpacks a sequence of one.
    const [only] = node.targets;
    if (node.targets.length === 1 && only.typename === 'Group' && only.tuple) {
      node.targets = only.children;
      node.unpack = true;
    }
    if (!this.skipValue(lexer.TOKEN_OPERATOR, '=')) {
      if (!this.skip(lexer.TOKEN_BLOCK_END)) this.fail("expected '=' or end of tag in set", tag.lineno, tag.colno);
      node.body = new nodes.Capture(tag.lineno, tag.colno, this.parseUntilBlocks('endset'));
      node.value = null;
      this.advanceAfterBlockEnd();
      return node;
    }
    node.value = this.parseTupleExpression();
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
function assignable(parser: JinjaParser, target: AstNode): AstNode {
  if (target.typename !== 'Symbol') parser.fail(`can't assign to '${target.typename === 'Literal' ? 'const' : target.typename.toLowerCase()}'`, target.lineno, target.colno);
  return target;
}

/**
 * An assignment target as Jinja2's parse_assign_target reads it: `(a)` is the name `a` (a lone
 * element in parentheses without a comma is itself); `(a,)` and `(a, b)` stay tuples.
 */
function unparenthesised(target: AstNode): AstNode {
  return target.typename === 'Group' && !target.tuple && target.children.length === 1 ? target.children[0] : target;
}
