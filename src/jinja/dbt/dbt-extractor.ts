// Whether dbt's static parser (dbt-labs/dbt-extractor 0.6 over the tree-sitter-jinja2 0.2 grammar)
// reads a model file, and the config() values it reads. dbt 1.11 parses a model this way before
// rendering it; where it succeeds, the node's `unrendered_config` holds the values it read (plain
// strings, booleans, lists and dicts), not the Jinja syntax-tree text the rendered path writes
// under `state_modified_compare_more_unrendered_values` (unrendered-config-call.ts).
//
// The grammar: text, `{# comments #}`, `{% ... %}` (read as a tag, which the extractor refuses)
// and `{{ expr }}`, where an expression is a call `name(args)`, a list, a dict with string keys, a
// string (its text between the quotes, escapes kept), `True` / `False`, an integer or a float;
// `{{-` / `-}}` and any other syntax are parse errors. The extractor's type check accepts, at the
// top level, only calls of `ref` (a name, optionally a package before it, optionally `v=` /
// `version=`), `source` (two names, positional or as source_name= / table_name=) and `config`
// (keywords only, none of them a hook, values strings, booleans and lists / dicts of them),
// keywords after positional arguments, no call inside a list or as a keyword's value. Anything
// else: null, and dbt renders the file with Jinja.
/** A config value dbt-extractor reads. */
export type ExtractedValue = string | boolean | ExtractedValue[] | { [key: string]: ExtractedValue };

/** What dbt-extractor gives dbt: each config() keyword in order, calls one after the other. */
export interface Extraction {
  configs: [string, ExtractedValue][];
}

type Expr =
  | { k: 'str'; v: string }
  | { k: 'bool'; v: boolean }
  | { k: 'int' }
  | { k: 'float' }
  | { k: 'list'; items: Expr[] }
  | { k: 'dict'; entries: [string, Expr][] }
  | { k: 'call'; name: string; args: Arg[] };
type Arg = Expr | { k: 'kwarg'; key: string; value: Expr };

/** Thrown where dbt-extractor would fail: one object, so a refusal costs no stack trace. */
const REFUSED = new Error('dbt-extractor does not read this file');
const refuse = (): never => {
  throw REFUSED;
};

const IDENT = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const DIGITS = '([0-9]+_?)+';
const EXPONENT = `[eE][+-]?${DIGITS}`;
const FLOAT = new RegExp(`[+-]?${DIGITS}\\.(${DIGITS})?(${EXPONENT})?|[+-]?(${DIGITS})?\\.${DIGITS}(${EXPONENT})?|${DIGITS}${EXPONENT}`, 'y');
const INTEGER = /[+-]?(_?[0-9]+)+/y;
const COMMENT = /\{#(([^#]|#[^}])*)#+\}/y;

/** tree-sitter-jinja2's grammar over one file's text. */
class Reader {
  pos = 0;
  constructor(private readonly text: string) {}

  /** The file's `{{ ... }}` expressions; refuses a `{% %}` tag and anything the grammar does not read. */
  values(): Expr[] {
    const out: Expr[] = [];
    const { text } = this;
    while (this.pos < text.length) {
      if (text.startsWith('{{', this.pos)) {
        this.pos += 2;
        out.push(this.expr());
        this.expect('}}');
      } else if (text.startsWith('{%', this.pos)) refuse();
      else if (text.startsWith('{#', this.pos)) {
        COMMENT.lastIndex = this.pos;
        if (!COMMENT.exec(text)) refuse();
        this.pos = COMMENT.lastIndex;
      } else {
        // Text: any character but `{`, or a `{` followed by one that opens nothing.
        const brace = text.indexOf('{', this.pos);
        if (brace === -1) this.pos = text.length;
        else if (brace > this.pos) this.pos = brace;
        else if (brace + 1 >= text.length) refuse();
        else this.pos = brace + 1;
      }
    }
    return out;
  }

  private space(): void {
    const { text } = this;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      // ASCII whitespace by its code; anything else past ASCII as the regex's \s reads it.
      if (c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(text[this.pos] as string))) this.pos++;
      else break;
    }
  }

  private expect(token: string): void {
    this.space();
    if (!this.text.startsWith(token, this.pos)) refuse();
    this.pos += token.length;
  }

  private peek(token: string): boolean {
    this.space();
    return this.text.startsWith(token, this.pos);
  }

  private match(re: RegExp): string | null {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    return m ? m[0] : null;
  }

  private expr(): Expr {
    this.space();
    const ch = this.text[this.pos];
    if (ch === "'" || ch === '"') return { k: 'str', v: this.string(ch) };
    if (ch === '[') return { k: 'list', items: this.sequence('[', ']', () => this.expr()) };
    if (ch === '{') {
      return {
        k: 'dict',
        entries: this.sequence('{', '}', () => {
          this.space();
          const quote = this.text[this.pos];
          if (quote !== "'" && quote !== '"') refuse();
          const key = this.string(quote as string);
          this.expect(':');
          return [key, this.expr()] as [string, Expr];
        }),
      };
    }
    const number = this.number();
    if (number) return number;
    const name = this.match(IDENT);
    if (name === null) return refuse();
    this.pos += name.length;
    if (name === 'True' || name === 'False') return { k: 'bool', v: name === 'True' };
    if (!this.peek('(')) refuse();
    return { k: 'call', name, args: this.sequence('(', ')', () => this.arg()) };
  }

  private arg(): Arg {
    this.space();
    const start = this.pos;
    const key = this.match(IDENT);
    if (key !== null && key !== 'True' && key !== 'False') {
      this.pos += key.length;
      if (this.peek('=') && !this.text.startsWith('==', this.pos)) {
        this.pos += 1;
        return { k: 'kwarg', key, value: this.expr() };
      }
      this.pos = start;
    }
    return this.expr();
  }

  private number(): Expr | null {
    const float = this.match(FLOAT);
    const integer = this.match(INTEGER);
    if (float === null && integer === null) return null;
    // The longest token wins, as tree-sitter's lexer takes it.
    if (float !== null && float.length > (integer?.length ?? 0)) {
      this.pos += float.length;
      return { k: 'float' };
    }
    this.pos += (integer as string).length;
    return { k: 'int' };
  }

  /** A quoted string's text between its quotes, as written (`\'` stays two characters). */
  private string(quote: string): string {
    const start = this.pos + 1;
    let i = start;
    for (;;) {
      const c = this.text[i];
      if (c === undefined) return refuse();
      if (c === '\\' && this.text[i + 1] === quote) i += 2;
      else if (c === quote) break;
      else i++;
    }
    this.pos = i + 1;
    return this.text.slice(start, i);
  }

  /** `open item, item, ... [,] close`. */
  private sequence<T>(open: string, close: string, item: () => T): T[] {
    this.expect(open);
    const items: T[] = [];
    if (this.peek(close)) {
      this.pos += close.length;
      return items;
    }
    for (;;) {
      items.push(item());
      if (this.peek(',')) {
        this.pos += 1;
        if (this.peek(close)) break;
        continue;
      }
      break;
    }
    this.expect(close);
    return items;
  }
}

const HOOK_KEYS = new Set(['post-hook', 'post_hook', 'pre-hook', 'pre_hook']);

/** dbt-extractor's type_check_configs: strings, booleans, and lists / dicts of them. */
function configValue(value: Expr): ExtractedValue {
  switch (value.k) {
    case 'str':
    case 'bool':
      return value.v;
    case 'list':
      return value.items.map(configValue);
    case 'dict':
      return Object.fromEntries(value.entries.map(([key, v]) => [key, configValue(v)]));
    default:
      return refuse();
  }
}

/** dbt-extractor's type_check of an expression; a config() call's keywords are added to `configs`. */
function check(expr: Expr, configs: [string, ExtractedValue][] | null): void {
  switch (expr.k) {
    case 'list':
      for (const item of expr.items) {
        if (item.k === 'call') refuse();
        check(item, null);
      }
      return;
    case 'dict':
      for (const [, value] of expr.entries) check(value, null);
      return;
    case 'call':
      checkCall(expr, configs);
      return;
    default:
      return;
  }
}

function checkCall(call: Expr & { k: 'call' }, configs: [string, ExtractedValue][] | null): void {
  const { args } = call;
  const firstKeyword = args.findIndex((a) => a.k === 'kwarg');
  if (firstKeyword !== -1 && args.slice(firstKeyword).some((a) => a.k !== 'kwarg')) refuse();
  for (const arg of args) if (arg.k === 'kwarg' && arg.value.k === 'call') refuse();
  if (call.name === 'ref') {
    const [first, second, ...rest] = args;
    if (first?.k !== 'str') refuse();
    const more = second?.k === 'str' ? rest : [second, ...rest].filter((a) => a !== undefined);
    if (more.length > 1) refuse();
    const version = more[0];
    if (version && (version.k !== 'kwarg' || (version.key !== 'v' && version.key !== 'version') || !['str', 'int', 'float'].includes(version.value.k))) refuse();
    return;
  }
  if (call.name === 'source') {
    if (args.length !== 2) refuse();
    const named = (arg: Arg | undefined, key: string) => (arg?.k === 'kwarg' ? arg.key === key && arg.value.k === 'str' : arg?.k === 'str');
    if (!named(args[0], 'source_name') || !named(args[1], 'table_name')) refuse();
    return;
  }
  if (call.name === 'config') {
    if (args.length === 0) refuse();
    const read: [string, ExtractedValue][] = [];
    for (const arg of args) {
      if (arg.k !== 'kwarg' || HOOK_KEYS.has(arg.key)) return refuse();
      read.push([arg.key, configValue(arg.value)]);
    }
    configs?.push(...read);
    return;
  }
  refuse();
}

/** dbt-extractor's `extract_from_source` of a model file: its config() keywords, or null where dbt renders the file instead. */
export function extractStatic(source: string): Extraction | null {
  try {
    const configs: [string, ExtractedValue][] = [];
    for (const value of new Reader(source).values()) check(value, configs);
    return { configs };
  } catch (err) {
    if (err === REFUSED) return null;
    throw err;
  }
}
