// Python's `ast.literal_eval` for the literals dbt's native rendering reads back: numbers,
// strings, True / False / None, lists, tuples and dicts. Anything else is not a literal.

/** Thrown inside the reader when the text is no Python literal; caught by literalEval. */
class NotALiteral extends Error {}
const NOT_A_LITERAL = new NotALiteral('not a literal');

class LiteralReader {
  private pos = 0;

  constructor(private readonly text: string) {}

  read(): unknown {
    const value = this.value();
    this.space();
    return this.pos === this.text.length ? value : NOT_A_LITERAL;
  }

  private space(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos++;
  }

  private value(): unknown {
    this.space();
    const ch = this.text[this.pos];
    if (ch === '[') return this.items(']');
    if (ch === '(') return this.items(')');
    if (ch === '{') return this.dict();
    if (ch === "'" || ch === '"') return this.string();
    const word = /^(True|False|None)\b/.exec(this.text.slice(this.pos));
    if (word) {
      this.pos += word[0].length;
      return word[1] === 'True' ? true : word[1] === 'False' ? false : null;
    }
    const number = /^[-+]?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][-+]?\d+)?/.exec(this.text.slice(this.pos));
    if (number) {
      this.pos += number[0].length;
      return Number(number[0].replace(/_/g, ''));
    }
    throw NOT_A_LITERAL;
  }

  private items(close: string): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    for (;;) {
      this.space();
      if (this.text[this.pos] === close) {
        this.pos++;
        return out;
      }
      out.push(this.value());
      this.space();
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== close) throw NOT_A_LITERAL;
    }
  }

  private dict(): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    for (;;) {
      this.space();
      if (this.text[this.pos] === '}') {
        this.pos++;
        return out;
      }
      const key = this.value();
      this.space();
      if (this.text[this.pos] !== ':' || (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean' && key !== null)) throw NOT_A_LITERAL;
      this.pos++;
      out[String(key)] = this.value();
      this.space();
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== '}') throw NOT_A_LITERAL;
    }
  }

  private string(): string {
    const quote = this.text[this.pos] as string;
    this.pos++;
    let out = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos++] as string;
      if (ch === quote) {
        // Adjacent literals concatenate, as in Python: 'a' 'b' is 'ab'.
        this.space();
        const next = this.text[this.pos];
        return next === "'" || next === '"' ? out + this.string() : out;
      }
      if (ch === '\n') break;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const esc = this.text[this.pos++] as string;
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', '\n': '' };
      if (esc in simple) out += simple[esc];
      else if (esc === 'x' || esc === 'u') {
        const len = esc === 'x' ? 2 : 4;
        out += String.fromCharCode(parseInt(this.text.slice(this.pos, this.pos + len), 16));
        this.pos += len;
      } else out += `\\${esc}`;
    }
    throw NOT_A_LITERAL;
  }
}

/** The Python literal `text` spells, or `undefined` when it is not one (literal_eval's ValueError). */
export function literalEval(text: string): { value: unknown } | undefined {
  try {
    const value = new LiteralReader(text).read();
    return value === NOT_A_LITERAL ? undefined : { value };
  } catch (err) {
    if (err === NOT_A_LITERAL) return undefined;
    throw err;
  }
}
