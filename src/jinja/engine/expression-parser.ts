// The expression half of tsdbt's Jinja2 parser (parser.ts holds the statements): unparenthesised
// tuples, literals and `(...)` / `[...]` / `{...}` aggregates with Jinja2's rules, chained inline
// ifs, slices and tuple subscripts, tests with arguments without parentheses and filters after
// tests, `*args` / `**kwargs` in calls, and filter arguments.
import type { Arg, ArrayNode, Dict, Expr, Group, KeywordArgs, NodeList, Pair, Pos, Test } from './ast.js';
import { Parser, lexer, type Token } from './nunjucks-internals.js';

/** Words that end a test's argument-less form (`x is defined and ...`). */
const NO_TEST_ARG = new Set(['and', 'or', 'else', 'if', 'not', 'in', 'is', 'recursive']);

/** Jinja2's precedence levels of arithmetic, each read left to right (parse_math1, parse_math2). */
const ADD_OPS: Readonly<Record<string, 'Add' | 'Sub'>> = { '+': 'Add', '-': 'Sub' };
const MUL_OPS: Readonly<Record<string, 'Mul' | 'Div' | 'FloorDiv' | 'Mod'>> = { '*': 'Mul', '/': 'Div', '//': 'FloorDiv', '%': 'Mod' };

/** Where a token or node is (the position a node built from it takes). */
export const at = (where: Pos): Pos => ({ lineno: where.lineno, colno: where.colno });

/** The source ended where a token was due: a tag left open (parseTemplate reports it so). */
export class EndOfInput extends Error {}

/** nunjucks' expression parser with Jinja2's expression syntax added. */
export class JinjaExpressionParser extends Parser {
  /** The next token, which must exist. */
  protected next(): Token {
    const tok = this.nextToken();
    if (!tok) throw new EndOfInput('end of input');
    return tok;
  }

  /** The token ahead, which must exist. */
  protected peek(): Token {
    const tok = this.peekToken();
    if (!tok) throw new EndOfInput('end of input');
    return tok;
  }

  /**
   * `a, b` (an unparenthesised tuple) or a single expression: Jinja2's parse_tuple, which reads
   * `{{ a, b }}`, `{% set x = a, b %}`, `{% do a, b %}` and a loop's `in a, b`. A trailing comma
   * makes a tuple of one; the tuple ends at the tag's end or at one of the names in `ends`
   * (`recursive` for a loop).
   */
  parseTupleExpression(element: () => Expr = () => this.parseExpression(), ends: readonly string[] = []): Expr {
    const first = element();
    if (this.peek().type !== lexer.TOKEN_COMMA) return first;
    const group: Group = { typename: 'Group', ...at(first), children: [first] };
    while (this.skip(lexer.TOKEN_COMMA)) {
      const next = this.peek();
      if (next.type === lexer.TOKEN_BLOCK_END || next.type === lexer.TOKEN_VARIABLE_END || (next.type === lexer.TOKEN_SYMBOL && ends.includes(next.value))) break;
      group.children.push(element());
    }
    group.tuple = true;
    return group;
  }

  override parsePrimary(noPostfix?: boolean): Expr {
    const tok = this.peekToken();
    if (tok && tok.type === lexer.TOKEN_STRING) {
      this.nextToken();
      let value = tok.value;
      while (this.peekToken()?.type === lexer.TOKEN_STRING) value += this.next().value;
      const lit: Expr = { typename: 'Literal', ...at(tok), value };
      return noPostfix ? lit : this.parsePostfix(lit);
    }
    // Jinja2 has no `null` literal (nunjucks does): `null` is a name, undefined unless the context sets it.
    if (tok && tok.type === lexer.TOKEN_NONE && tok.value === 'null') {
      this.nextToken();
      const name: Expr = { typename: 'Symbol', ...at(tok), value: 'null' };
      return noPostfix ? name : this.parsePostfix(name);
    }
    const node = super.parsePrimary(noPostfix);
    if (tok && tok.type === lexer.TOKEN_FLOAT && node.typename === 'Literal') node.isFloat = true;
    return node;
  }

  /** `(...)`, `[...]`, `{...}` with trailing commas; `(a, b)` and `()` are tuples; dict keys are expressions. */
  parseAggregate(): Group | ArrayNode | Dict | null {
    const open = this.nextToken();
    if (!open) return null;
    let close: string;
    switch (open.type) {
      case lexer.TOKEN_LEFT_PAREN:
        close = lexer.TOKEN_RIGHT_PAREN;
        break;
      case lexer.TOKEN_LEFT_BRACKET:
        close = lexer.TOKEN_RIGHT_BRACKET;
        break;
      case lexer.TOKEN_LEFT_CURLY:
        close = lexer.TOKEN_RIGHT_CURLY;
        break;
      default:
        this.pushToken(open);
        return null;
    }
    const items: Expr[] = [];
    const pairs: Pair[] = [];
    let trailingComma = false;
    for (;;) {
      const t = this.peekToken();
      if (!t) this.fail('unexpected end of template', open.lineno, open.colno);
      if (t.type === close) {
        this.nextToken();
        break;
      }
      if (items.length + pairs.length > 0) {
        if (!this.skip(lexer.TOKEN_COMMA)) this.fail(`unexpected token '${t.value}', expected ','`, t.lineno, t.colno);
        trailingComma = true;
        if (this.peekToken()?.type === close) continue;
      }
      trailingComma = false;
      if (close === lexer.TOKEN_RIGHT_CURLY) {
        const key = this.parseExpression();
        if (!this.skip(lexer.TOKEN_COLON)) this.fail("expected ':' after dict key", key.lineno, key.colno);
        pairs.push({ typename: 'Pair', ...at(key), key, value: this.parseExpression() });
      } else {
        items.push(this.parseExpression());
      }
    }
    if (close === lexer.TOKEN_RIGHT_CURLY) return { typename: 'Dict', ...at(open), children: pairs };
    if (close === lexer.TOKEN_RIGHT_BRACKET) return { typename: 'Array', ...at(open), children: items };
    const group: Group = { typename: 'Group', ...at(open), children: items };
    if (items.length !== 1 || trailingComma) group.tuple = true;
    return group;
  }

  /**
   * `+` and `-` as one level, left to right as Jinja2 reads them (nunjucks gives each operator a
   * level of its own, so `a + b - c` nested as `a + (b - c)`).
   */
  parseAdd(): Expr {
    return this.leftToRight(ADD_OPS, false);
  }

  /** `* / // %` as one level, left to right: nunjucks read `3 * 5 // 2` as `3 * (5 // 2)` (6, not 7). */
  parseMul(): Expr {
    return this.leftToRight(MUL_OPS, true);
  }

  /**
   * One level of operators `ops`, left to right, over operands of the next level: parsePow's when
   * `mul`, else parseMul's (a flag, not a function: every expression of a template passes through
   * both levels, and a closure each time was 25 MB of a 10,000-model parse's allocations).
   */
  private leftToRight(ops: Readonly<Record<string, 'Add' | 'Sub' | 'Mul' | 'Div' | 'FloorDiv' | 'Mod'>>, mul: boolean): Expr {
    let node = mul ? this.parsePow() : this.parseMul();
    for (;;) {
      const tok = this.peekToken();
      const op = tok && tok.type === lexer.TOKEN_OPERATOR && Object.hasOwn(ops, tok.value) ? ops[tok.value] : undefined;
      if (!op) return node;
      this.nextToken();
      node = { typename: op, ...at(node), left: node, right: mul ? this.parsePow() : this.parseMul() };
    }
  }

  /** Jinja2 conditional expressions chain: `a if c else b if d else e`. */
  parseInlineIf(): Expr {
    const body = this.parseOr();
    if (!this.skipSymbol('if')) return body;
    const cond = this.parseOr();
    return { typename: 'InlineIf', ...at(body), cond, body, else_: this.skipSymbol('else') ? this.parseInlineIf() : null };
  }

  parsePostfix(node: Expr): Expr {
    let tok = this.peekToken();
    while (tok) {
      if (tok.type === lexer.TOKEN_LEFT_PAREN) {
        node = { typename: 'FunCall', ...at(tok), name: node, args: this.parseSignature() };
      } else if (tok.type === lexer.TOKEN_LEFT_BRACKET) {
        node = this.parseSubscript(node);
      } else if (tok.type === lexer.TOKEN_OPERATOR && tok.value === '.') {
        this.nextToken();
        const val = this.nextToken();
        if (!val || (val.type !== lexer.TOKEN_SYMBOL && val.type !== lexer.TOKEN_INT)) {
          this.fail(`expected name as lookup value, got '${val ? val.value : 'end of file'}'`, tok.lineno, tok.colno);
        }
        node = val.type === lexer.TOKEN_INT
          ? { typename: 'LookupVal', ...at(tok), target: node, val: { typename: 'Literal', ...at(val), value: Number(val.value) }, dot: false }
          : { typename: 'LookupVal', ...at(tok), target: node, val: { typename: 'Literal', ...at(val), value: val.value }, dot: true };
      } else break;
      tok = this.peekToken();
    }
    return node;
  }

  /** `x[i]` or a slice `x[a:b:c]`. */
  parseSubscript(target: Expr): Expr {
    const open = this.next();
    const parts: (Expr | null)[] = [null];
    let colons = 0;
    // `x[a, b]` subscripts with the tuple (a, b), as in Python (dbt's `validation.any[list, basestring]`).
    let items: Expr[] | null = null;
    for (;;) {
      const t = this.peekToken();
      if (!t) this.fail("expected ']'", open.lineno, open.colno);
      if (t.type === lexer.TOKEN_RIGHT_BRACKET) {
        this.nextToken();
        break;
      }
      const [first] = parts;
      if (t.type === lexer.TOKEN_COMMA && colons === 0 && first) {
        this.nextToken();
        items = [...(items ?? []), first];
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
    const [start, stop = null, step = null] = parts;
    if (items && colons === 0) {
      const tuple: Group = { typename: 'Group', ...at(open), children: start ? [...items, start] : items, tuple: true };
      return { typename: 'LookupVal', ...at(open), target, val: tuple };
    }
    if (colons === 0) {
      if (!start) this.fail('expected an index', open.lineno, open.colno);
      return { typename: 'LookupVal', ...at(open), target, val: start };
    }
    return { typename: 'Slice', ...at(open), target, start: start ?? null, stop, step };
  }

  parseIs(): Expr {
    const node = this.parseCompare();
    if (!this.skipSymbol('is')) return node;
    const negate = this.skipSymbol('not');
    const nameTok = this.nextToken();
    if (!nameTok) this.fail('expected a test name', node.lineno, node.colno);
    let name = '';
    if (nameTok.type === lexer.TOKEN_SYMBOL || nameTok.type === lexer.TOKEN_BOOLEAN || nameTok.type === lexer.TOKEN_NONE) {
      name = nameTok.value;
      while (this.skipValue(lexer.TOKEN_OPERATOR, '.')) name += `.${this.next().value}`;
    } else if (nameTok.type === lexer.TOKEN_OPERATOR && ['==', '!=', '<', '>', '<=', '>='].includes(nameTok.value)) {
      name = nameTok.value;
    } else {
      this.fail(`expected a test name, got '${nameTok.value}'`, nameTok.lineno, nameTok.colno);
    }
    let args: Arg[] = [];
    const next = this.peekToken();
    if (next && next.type === lexer.TOKEN_LEFT_PAREN) {
      args = this.parseSignature().children;
    } else if (next && [lexer.TOKEN_STRING, lexer.TOKEN_INT, lexer.TOKEN_FLOAT, lexer.TOKEN_LEFT_BRACKET, lexer.TOKEN_LEFT_CURLY, lexer.TOKEN_BOOLEAN, lexer.TOKEN_NONE].includes(next.type)
      || (next && next.type === lexer.TOKEN_SYMBOL && !NO_TEST_ARG.has(next.value))) {
      args = [this.parsePrimary()];
    }
    const test: Test = { typename: 'Test', ...at(nameTok), name, value: node, args };
    const result: Expr = negate ? { typename: 'Not', ...at(test), target: test } : test;
    // Jinja applies filters after a test to its result: `x is not true | as_bool` is as_bool(not (x is true)).
    return this.peekToken()?.type === lexer.TOKEN_PIPE ? this.parseFilter(result) : result;
  }

  /** A call's or signature's arguments `(a, b=1, *c, **d)`; null when tolerant and there is no `(`. */
  parseSignature(tolerant: true, noParens?: boolean): NodeList<Arg> | null;
  parseSignature(tolerant?: false, noParens?: boolean): NodeList<Arg>;
  parseSignature(tolerant?: boolean, noParens?: boolean): NodeList<Arg> | null {
    let tok = this.peek();
    if (!noParens && tok.type !== lexer.TOKEN_LEFT_PAREN) {
      if (tolerant) return null;
      this.fail('expected arguments', tok.lineno, tok.colno);
    }
    if (tok.type === lexer.TOKEN_LEFT_PAREN) tok = this.next();
    const args: NodeList<Arg> = { typename: 'NodeList', ...at(tok), children: [] };
    const kwargs: KeywordArgs = { typename: 'KeywordArgs', ...at(tok), children: [] };
    let first = true;
    for (;;) {
      const ahead = this.peekToken();
      if (!ahead) this.fail("expected ')'");
      if (!noParens && ahead.type === lexer.TOKEN_RIGHT_PAREN) {
        this.nextToken();
        break;
      }
      if (noParens && ahead.type === lexer.TOKEN_BLOCK_END) break;
      if (!first && !this.skip(lexer.TOKEN_COMMA)) this.fail("expected ',' or ')' in argument list", ahead.lineno, ahead.colno);
      first = false;
      const t = this.peek();
      if (!noParens && t.type === lexer.TOKEN_RIGHT_PAREN) continue;
      if (t.type === lexer.TOKEN_OPERATOR && (t.value === '*' || t.value === '**')) {
        this.nextToken();
        const expr = this.parseExpression();
        if (t.value === '*') args.children.push({ typename: 'StarArgs', ...at(t), expr });
        else kwargs.children.push({ typename: 'StarKwargs', ...at(t), expr });
        continue;
      }
      const arg = this.parseExpression();
      const assign = this.peekToken();
      // A keyword is a name, as in Jinja2 (`f(1=2)`: "expected token ',', got '='").
      if (arg.typename !== 'Symbol' && assign?.type === lexer.TOKEN_OPERATOR && assign.value === '=') this.fail("expected ',' or ')' in argument list, got '='", assign.lineno, assign.colno);
      if (this.skipValue(lexer.TOKEN_OPERATOR, '=')) {
        kwargs.children.push({ typename: 'Pair', ...at(arg), key: arg, value: this.parseExpression() });
      } else {
        args.children.push(arg);
      }
    }
    if (kwargs.children.length) args.children.push(kwargs);
    return args;
  }

  /** Filter arguments: only a parenthesised argument list (no further postfix operators). */
  parseFilterArgs(): Arg[] {
    const tok = this.peekToken();
    return tok && tok.type === lexer.TOKEN_LEFT_PAREN ? this.parseSignature().children : [];
  }
}
