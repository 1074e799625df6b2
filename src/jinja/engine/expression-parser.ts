// The expression half of tsdbt's Jinja2 parser (parser.ts holds the statements): unparenthesised
// tuples, literals and `(...)` / `[...]` / `{...}` aggregates with Jinja2's rules, chained inline
// ifs, slices and tuple subscripts, tests with arguments without parentheses and filters after
// tests, `*args` / `**kwargs` in calls, and filter arguments.
import { type AstNode, lexer, nodes, parserModule } from './nunjucks-internals.js';

/** Words that end a test's argument-less form (`x is defined and ...`). */
const NO_TEST_ARG = new Set(['and', 'or', 'else', 'if', 'not', 'in', 'is', 'recursive']);

/** A syntax-tree node of tsdbt's own (no nunjucks class) at a token's position. */
export function plain(typename: string, tok: { lineno: number; colno: number }, fields: Record<string, unknown>): AstNode {
  return { typename, lineno: tok.lineno, colno: tok.colno, ...fields };
}

const Base = parserModule.Parser as new (tokens: unknown) => any;

/** nunjucks' expression parser with Jinja2's expression syntax added. */
export class JinjaExpressionParser extends Base {
  /** `a, b` (an unparenthesised tuple) or a single expression. */
  parseTupleExpression(): AstNode {
    const first = this.parseExpression();
    if (this.peekToken().type !== lexer.TOKEN_COMMA) return first;
    const group = new nodes.Group(first.lineno, first.colno);
    group.addChild(first);
    while (this.skip(lexer.TOKEN_COMMA)) {
      if (this.peekToken().type === lexer.TOKEN_BLOCK_END) break;
      group.addChild(this.parseExpression());
    }
    group.tuple = true;
    return group;
  }

  parsePrimary(noPostfix?: boolean): AstNode {
    const tok = this.peekToken();
    if (tok && tok.type === lexer.TOKEN_STRING) {
      this.nextToken();
      let value: string = tok.value;
      while (this.peekToken()?.type === lexer.TOKEN_STRING) value += this.nextToken().value;
      const lit = new nodes.Literal(tok.lineno, tok.colno, value);
      return noPostfix ? lit : this.parsePostfix(lit);
    }
    // Jinja2 has no `null` literal (nunjucks does): `null` is a name, undefined unless the context sets it.
    if (tok && tok.type === lexer.TOKEN_NONE && tok.value === 'null') {
      this.nextToken();
      const name = new nodes.Symbol(tok.lineno, tok.colno, 'null');
      return noPostfix ? name : this.parsePostfix(name);
    }
    const node = super.parsePrimary(noPostfix);
    if (tok && tok.type === lexer.TOKEN_FLOAT && node.typename === 'Literal') node.isFloat = true;
    return node;
  }

  /** `(...)`, `[...]`, `{...}` with trailing commas; `(a, b)` and `()` are tuples; dict keys are expressions. */
  parseAggregate(): AstNode {
    const tok = this.nextToken();
    let node: AstNode;
    let close: string;
    switch (tok?.type) {
      case lexer.TOKEN_LEFT_PAREN:
        node = new nodes.Group(tok.lineno, tok.colno);
        close = lexer.TOKEN_RIGHT_PAREN;
        break;
      case lexer.TOKEN_LEFT_BRACKET:
        node = new nodes.Array(tok.lineno, tok.colno);
        close = lexer.TOKEN_RIGHT_BRACKET;
        break;
      case lexer.TOKEN_LEFT_CURLY:
        node = new nodes.Dict(tok.lineno, tok.colno);
        close = lexer.TOKEN_RIGHT_CURLY;
        break;
      default:
        if (tok) this.pushToken(tok);
        return null;
    }
    let trailingComma = false;
    for (;;) {
      const t = this.peekToken();
      if (!t) this.fail('unexpected end of template', tok.lineno, tok.colno);
      if (t.type === close) {
        this.nextToken();
        break;
      }
      if (node.children.length > 0) {
        if (!this.skip(lexer.TOKEN_COMMA)) this.fail(`unexpected token '${t.value}', expected ','`, t.lineno, t.colno);
        trailingComma = true;
        if (this.peekToken()?.type === close) continue;
      }
      trailingComma = false;
      if (close === lexer.TOKEN_RIGHT_CURLY) {
        const key = this.parseExpression();
        if (!this.skip(lexer.TOKEN_COLON)) this.fail("expected ':' after dict key", key.lineno, key.colno);
        node.addChild(new nodes.Pair(key.lineno, key.colno, key, this.parseExpression()));
      } else {
        node.addChild(this.parseExpression());
      }
    }
    if (close === lexer.TOKEN_RIGHT_PAREN && (node.children.length !== 1 || trailingComma)) node.tuple = true;
    return node;
  }

  /** Jinja2 conditional expressions chain: `a if c else b if d else e`. */
  parseInlineIf(): AstNode {
    let node = this.parseOr();
    if (this.skipSymbol('if')) {
      const cond = this.parseOr();
      const body = node;
      node = new nodes.InlineIf(node.lineno, node.colno);
      node.body = body;
      node.cond = cond;
      node.else_ = this.skipSymbol('else') ? this.parseInlineIf() : null;
    }
    return node;
  }

  parsePostfix(node: AstNode): AstNode {
    let tok = this.peekToken();
    while (tok) {
      if (tok.type === lexer.TOKEN_LEFT_PAREN) {
        node = new nodes.FunCall(tok.lineno, tok.colno, node, this.parseSignature());
      } else if (tok.type === lexer.TOKEN_LEFT_BRACKET) {
        node = this.parseSubscript(node);
      } else if (tok.type === lexer.TOKEN_OPERATOR && tok.value === '.') {
        this.nextToken();
        const val = this.nextToken();
        if (!val || (val.type !== lexer.TOKEN_SYMBOL && val.type !== lexer.TOKEN_INT)) {
          this.fail(`expected name as lookup value, got '${val ? val.value : 'end of file'}'`, tok.lineno, tok.colno);
        }
        const key = val.type === lexer.TOKEN_INT ? Number(val.value) : val.value;
        node = new nodes.LookupVal(tok.lineno, tok.colno, node, new nodes.Literal(val.lineno, val.colno, key));
        node.dot = val.type === lexer.TOKEN_SYMBOL;
      } else break;
      tok = this.peekToken();
    }
    return node;
  }

  /** `x[i]` or a slice `x[a:b:c]`. */
  parseSubscript(target: AstNode): AstNode {
    const open = this.nextToken();
    const parts: (AstNode | null)[] = [null];
    let colons = 0;
    // `x[a, b]` subscripts with the tuple (a, b), as in Python (dbt's `validation.any[list, basestring]`).
    let items: AstNode[] | null = null;
    for (;;) {
      const t = this.peekToken();
      if (!t) this.fail("expected ']'", open.lineno, open.colno);
      if (t.type === lexer.TOKEN_RIGHT_BRACKET) {
        this.nextToken();
        break;
      }
      if (t.type === lexer.TOKEN_COMMA && colons === 0 && parts[0] !== null) {
        this.nextToken();
        items = [...(items ?? []), parts[0]];
        parts[0] = null;
        continue;
      }
      if (t.type === lexer.TOKEN_COLON) {
        this.nextToken();
        colons++;
        if (colons > 2) this.fail('invalid slice', t.lineno, t.colno);
        parts.push(null);
        continue;
      }
      if (parts[parts.length - 1] !== null) this.fail("expected ']' or ':'", t.lineno, t.colno);
      parts[parts.length - 1] = this.parseExpression();
    }
    if (items && colons === 0) {
      const group = new nodes.Group(open.lineno, open.colno);
      for (const item of parts[0] === null ? items : [...items, parts[0]]) group.addChild(item);
      group.tuple = true;
      return new nodes.LookupVal(open.lineno, open.colno, target, group);
    }
    if (colons === 0) {
      if (parts[0] === null) this.fail('expected an index', open.lineno, open.colno);
      return new nodes.LookupVal(open.lineno, open.colno, target, parts[0]);
    }
    return plain('Slice', open, { target, start: parts[0], stop: parts[1] ?? null, step: parts[2] ?? null });
  }

  parseIs(): AstNode {
    let node = this.parseCompare();
    if (!this.skipSymbol('is')) return node;
    const negate = this.skipSymbol('not');
    const nameTok = this.nextToken();
    if (!nameTok) this.fail('expected a test name', node.lineno, node.colno);
    let name = '';
    if (nameTok.type === lexer.TOKEN_SYMBOL || nameTok.type === lexer.TOKEN_BOOLEAN || nameTok.type === lexer.TOKEN_NONE) {
      name = nameTok.value;
      while (this.skipValue(lexer.TOKEN_OPERATOR, '.')) name += `.${this.nextToken().value}`;
    } else if (nameTok.type === lexer.TOKEN_OPERATOR && ['==', '!=', '<', '>', '<=', '>='].includes(nameTok.value)) {
      name = nameTok.value;
    } else {
      this.fail(`expected a test name, got '${nameTok.value}'`, nameTok.lineno, nameTok.colno);
    }
    let args: AstNode[] = [];
    const next = this.peekToken();
    if (next && next.type === lexer.TOKEN_LEFT_PAREN) {
      args = this.parseSignature().children;
    } else if (next && [lexer.TOKEN_STRING, lexer.TOKEN_INT, lexer.TOKEN_FLOAT, lexer.TOKEN_LEFT_BRACKET, lexer.TOKEN_LEFT_CURLY, lexer.TOKEN_BOOLEAN, lexer.TOKEN_NONE].includes(next.type)
      || (next && next.type === lexer.TOKEN_SYMBOL && !NO_TEST_ARG.has(next.value))) {
      args = [this.parsePrimary()];
    }
    node = plain('Test', nameTok, { name, value: node, args });
    if (negate) node = new nodes.Not(node.lineno, node.colno, node);
    // Jinja applies filters after a test to its result: `x is not true | as_bool` is as_bool(not (x is true)).
    return this.peekToken()?.type === lexer.TOKEN_PIPE ? this.parseFilter(node) : node;
  }

  parseSignature(tolerant?: boolean, noParens?: boolean): AstNode {
    let tok = this.peekToken();
    if (!noParens && tok.type !== lexer.TOKEN_LEFT_PAREN) {
      if (tolerant) return null;
      this.fail('expected arguments', tok.lineno, tok.colno);
    }
    if (tok.type === lexer.TOKEN_LEFT_PAREN) tok = this.nextToken();
    const args = new nodes.NodeList(tok.lineno, tok.colno);
    const kwargs = new nodes.KeywordArgs(tok.lineno, tok.colno);
    let first = true;
    for (;;) {
      tok = this.peekToken();
      if (!tok) this.fail("expected ')'");
      if (!noParens && tok.type === lexer.TOKEN_RIGHT_PAREN) {
        this.nextToken();
        break;
      }
      if (noParens && tok.type === lexer.TOKEN_BLOCK_END) break;
      if (!first && !this.skip(lexer.TOKEN_COMMA)) this.fail("expected ',' or ')' in argument list", tok.lineno, tok.colno);
      first = false;
      const t = this.peekToken();
      if (!noParens && t.type === lexer.TOKEN_RIGHT_PAREN) continue;
      if (t.type === lexer.TOKEN_OPERATOR && (t.value === '*' || t.value === '**')) {
        this.nextToken();
        const spread = plain(t.value === '*' ? 'StarArgs' : 'StarKwargs', t, { expr: this.parseExpression() });
        (t.value === '*' ? args : kwargs).addChild(spread);
        continue;
      }
      const arg = this.parseExpression();
      const assign = this.peekToken();
      // A keyword is a name, as in Jinja2 (`f(1=2)`: "expected token ',', got '='").
      if (arg.typename !== 'Symbol' && assign?.type === lexer.TOKEN_OPERATOR && assign.value === '=') this.fail("expected ',' or ')' in argument list, got '='", assign.lineno, assign.colno);
      if (this.skipValue(lexer.TOKEN_OPERATOR, '=')) {
        kwargs.addChild(new nodes.Pair(arg.lineno, arg.colno, arg, this.parseExpression()));
      } else {
        args.addChild(arg);
      }
    }
    if (kwargs.children.length) args.addChild(kwargs);
    return args;
  }

  /** Filter arguments: only a parenthesised argument list (no further postfix operators). */
  parseFilterArgs(): AstNode[] {
    const tok = this.peekToken();
    return tok && tok.type === lexer.TOKEN_LEFT_PAREN ? this.parseSignature().children : [];
  }
}
