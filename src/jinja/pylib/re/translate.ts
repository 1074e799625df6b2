// Pattern translation: a Python regex pattern (with its flags) rewritten as the source of an
// equivalent Unicode-mode JavaScript regex, plus the group count and named-group table.
import { strRepr } from '../../engine/py-repr.js';
import { litIn, litOut, shorthand, SIMPLE_ESCAPES, WORD_CLASS } from './chars.js';
import { FLAGS, reError } from './common.js';

const FLAG_LETTERS: Record<string, number> = { a: 256, i: 2, L: 4, m: 8, s: 16, u: 32, x: 64 };

export interface Translated {
  source: string;
  flags: number;
  groups: number;
  groupindex: Record<string, number>;
}

export class Translator {
  private i = 0;
  private out = '';
  private groups = 0;
  private readonly names: Record<string, number> = {};
  /** Scoped flag state for `(?flags:...)` groups; -1 marks a group that does not change it. */
  private readonly stack: number[] = [];

  constructor(
    private readonly p: string,
    private flags: number,
  ) {}

  private get ascii(): boolean {
    return (this.flags & FLAGS.ASCII) !== 0;
  }
  private has(flag: number): boolean {
    return (this.flags & flag) !== 0;
  }

  private cpAt(i: number): number {
    return this.p.codePointAt(i) ?? 0;
  }

  run(): Translated {
    const p = this.p;
    // Global inline flags at the start: (?aiLmsux)
    let m: RegExpExecArray | null;
    while ((m = /^\(\?([aiLmsux]+)\)/.exec(p.slice(this.i)))) {
      for (const f of m[1] as string) this.flags |= FLAG_LETTERS[f] as number;
      this.i += m[0].length;
    }
    if (this.has(FLAGS.LOCALE)) reError('cannot use LOCALE flag with a str pattern');
    if (this.has(FLAGS.ASCII) && this.has(FLAGS.UNICODE)) reError('ASCII and UNICODE flags are incompatible');
    while (this.i < p.length) this.step();
    if (this.stack.length) reError('missing ), unterminated subpattern', p.length);
    return { source: this.out, flags: this.flags | (this.ascii ? 0 : FLAGS.UNICODE), groups: this.groups, groupindex: { ...this.names } };
  }

  private step(): void {
    const p = this.p;
    const ch = p[this.i] as string;
    if (this.has(FLAGS.VERBOSE)) {
      if (/\s/.test(ch)) {
        this.i++;
        return;
      }
      if (ch === '#') {
        while (this.i < p.length && p[this.i] !== '\n') this.i++;
        return;
      }
    }
    switch (ch) {
      case '\\':
        this.escape();
        return;
      case '[':
        this.charClass();
        return;
      case '(':
        this.group();
        return;
      case ')':
        if (!this.stack.length) reError('unbalanced parenthesis', this.i);
        {
          const saved = this.stack.pop() as number;
          if (saved >= 0) this.flags = saved;
        }
        this.out += ')';
        this.i++;
        return;
      case '.':
        this.out += this.has(FLAGS.DOTALL) ? '[\\s\\S]' : '[^\\n]';
        this.i++;
        return;
      case '^':
        this.out += this.has(FLAGS.MULTILINE) ? '(?<![^\\n])' : '(?<![\\s\\S])';
        this.i++;
        return;
      case '$':
        this.out += this.has(FLAGS.MULTILINE) ? '(?![^\\n])' : '(?=\\n?(?![\\s\\S]))';
        this.i++;
        return;
      case '{': {
        const q = /^\{(\d*)(?:(,)(\d*))?\}/.exec(p.slice(this.i));
        if (q && q[0] !== '{}') {
          const lo = q[1] || '0';
          this.out += q[2] ? `{${lo},${q[3] ?? ''}}` : `{${lo}}`;
          this.i += q[0].length;
        } else {
          this.out += '\\{';
          this.i++;
        }
        this.possessiveCheck();
        return;
      }
      case '*':
      case '+':
      case '?':
        this.out += ch;
        this.i++;
        if (p[this.i] === '?') {
          this.out += '?';
          this.i++;
        } else {
          this.possessiveCheck();
        }
        return;
      case '|':
        this.out += '|';
        this.i++;
        return;
      case '}':
      case ']':
      case '/':
        this.out += `\\${ch}`;
        this.i++;
        return;
      default: {
        const cp = this.cpAt(this.i);
        this.i += cp > 0xffff ? 2 : 1;
        this.literal(cp);
      }
    }
  }

  private possessiveCheck(): void {
    if (this.p[this.i] === '+') reError('possessive quantifiers are not supported', this.i);
  }

  /** A literal character outside a class. */
  private literal(cp: number): void {
    this.out += litOut(cp);
  }

  private group(): void {
    const p = this.p;
    const rest = p.slice(this.i);
    let m: RegExpExecArray | null;
    if (!rest.startsWith('(?')) {
      this.groups++;
      this.stack.push(-1);
      this.out += '(';
      this.i++;
      return;
    }
    if ((m = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest))) {
      const name = m[1] as string;
      if (this.names[name] !== undefined) reError(`redefinition of group name ${strRepr(name)} as group ${this.groups + 1}; was group ${this.names[name]}`, this.i);
      this.groups++;
      this.names[name] = this.groups;
      this.stack.push(-1);
      this.out += `(?<${name}>`;
      this.i += m[0].length;
      return;
    }
    if ((m = /^\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/.exec(rest))) {
      if (this.names[m[1] as string] === undefined) reError(`unknown group name ${strRepr(m[1] as string)}`, this.i);
      this.out += `\\k<${m[1]}>`;
      this.i += m[0].length;
      return;
    }
    if (rest.startsWith('(?#')) {
      const end = p.indexOf(')', this.i);
      if (end < 0) reError('missing ), unterminated comment', this.i);
      this.i = end + 1;
      return;
    }
    for (const look of ['(?:', '(?=', '(?!', '(?<=', '(?<!']) {
      if (rest.startsWith(look)) {
        this.stack.push(-1);
        this.out += look;
        this.i += look.length;
        return;
      }
    }
    if ((m = /^\(\?([aiLmsux]*)(?:-([imsx]+))?:/.exec(rest))) {
      const on = [...(m[1] as string)].reduce((f, c) => f | (FLAG_LETTERS[c] as number), 0);
      const off = [...(m[2] ?? '')].reduce((f, c) => f | (FLAG_LETTERS[c] as number), 0);
      if (((on | off) & FLAGS.IGNORECASE) !== 0 && ((this.flags & FLAGS.IGNORECASE) !== 0) !== ((on & FLAGS.IGNORECASE) !== 0)) {
        reError('scoped IGNORECASE changes (?i:...) are not supported; use re.IGNORECASE', this.i);
      }
      this.stack.push(this.flags);
      this.flags = (this.flags | on) & ~off;
      this.out += '(?:';
      this.i += m[0].length;
      return;
    }
    if (/^\(\?[aiLmsux]+\)/.test(rest)) reError('global flags not at the start of the expression', this.i);
    if (rest.startsWith('(?(')) reError('conditional groups are not supported', this.i);
    if (rest.startsWith('(?>')) reError('atomic groups are not supported', this.i);
    reError(`unknown extension ${rest.slice(0, 3)}`, this.i);
  }

  private escape(): void {
    const p = this.p;
    const start = this.i;
    const c = p[this.i + 1];
    if (c === undefined) reError('bad escape (end of pattern)', start);
    this.i += 2;
    const sh = shorthand(c, this.ascii);
    if (sh) {
      this.out += sh.negated ? `[^${sh.body}]` : `[${sh.body}]`;
      return;
    }
    const word = `[${this.ascii ? 'A-Za-z0-9_' : WORD_CLASS}]`;
    switch (c) {
      case 'A': this.out += '(?<![\\s\\S])'; return;
      case 'Z': this.out += '(?![\\s\\S])'; return;
      case 'b': this.out += `(?:(?<=${word})(?!${word})|(?<!${word})(?=${word}))`; return;
      case 'B': this.out += `(?:(?<=${word})(?=${word})|(?<!${word})(?!${word}))`; return;
      default: break;
    }
    if (/[0-9]/.test(c)) {
      const m = /^([0-7]{1,3}|[0-9]{1,2})/.exec(p.slice(start + 1)) as RegExpExecArray;
      const digits = m[1] as string;
      const octal = c === '0' || (digits.length === 3 && /^[0-7]{3}$/.test(digits));
      if (octal) {
        const od = (/^[0-7]{1,3}/.exec(p.slice(start + 1)) as RegExpExecArray)[0];
        this.i = start + 1 + od.length;
        const cp = parseInt(od, 8);
        if (cp > 0o377) reError(`octal escape value \\${od} outside of range 0-0o377`, start);
        this.literal(cp);
        return;
      }
      const ref = (/^[0-9]{1,2}/.exec(p.slice(start + 1)) as RegExpExecArray)[0];
      this.i = start + 1 + ref.length;
      const n = Number(ref);
      if (n > this.groups) reError(`invalid group reference ${n}`, start + 1);
      this.out += `(?:\\${n})`;
      return;
    }
    const cp = this.codeEscape(c, start);
    if (cp !== undefined) {
      this.literal(cp);
      return;
    }
    if (/[A-Za-z]/.test(c)) reError(`bad escape \\${c}`, start);
    const lit = this.cpAt(start + 1);
    this.i = start + 1 + (lit > 0xffff ? 2 : 1);
    this.literal(lit);
  }

  /** `\n`, `\x41`, `\u0041`, `\U0001F600` (shared by classes); undefined when not one of these. */
  private codeEscape(c: string, start: number): number | undefined {
    if (SIMPLE_ESCAPES[c] !== undefined && c !== 'b') return SIMPLE_ESCAPES[c];
    const hex = (len: number) => {
      const h = this.p.slice(start + 2, start + 2 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) reError(`incomplete escape \\${c}${h}`, start);
      this.i = start + 2 + len;
      const v = parseInt(h, 16);
      if (v > 0x10ffff) reError(`bad escape \\${c}${h}`, start);
      return v;
    };
    if (c === 'x') return hex(2);
    if (c === 'u') return hex(4);
    if (c === 'U') return hex(8);
    if (c === 'N') reError('\\N{...} escapes are not supported', start);
    return undefined;
  }

  private charClass(): void {
    const p = this.p;
    const start = this.i;
    this.i++;
    let negate = false;
    if (p[this.i] === '^') {
      negate = true;
      this.i++;
    }
    const positive: string[] = [];
    const complements: string[] = [];
    let first = true;
    let prev: number | null = null; // last single literal (range start candidate)
    for (;;) {
      if (this.i >= p.length) reError('unterminated character set', start);
      const ch = p[this.i] as string;
      if (ch === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      let item: number | null = null;
      if (ch === '\\') {
        const c = p[this.i + 1];
        if (c === undefined) reError('bad escape (end of pattern)', this.i);
        const escStart = this.i;
        this.i += 2;
        const sh = shorthand(c, this.ascii);
        if (sh) {
          if (sh.negated) complements.push(`[^${sh.body}]`);
          else positive.push(sh.body);
          prev = null;
          continue;
        }
        if (c === 'b') item = 8;
        else if (/[0-7]/.test(c)) {
          const od = (/^[0-7]{1,3}/.exec(p.slice(escStart + 1)) as RegExpExecArray)[0];
          this.i = escStart + 1 + od.length;
          item = parseInt(od, 8);
        } else if (/[89]/.test(c)) {
          reError(`bad escape \\${c}`, escStart);
        } else {
          const code = this.codeEscape(c, escStart);
          if (code !== undefined) item = code;
          else if (/[A-Za-z]/.test(c)) reError(`bad escape \\${c}`, escStart);
          else {
            item = this.cpAt(escStart + 1);
            this.i = escStart + 1 + (item > 0xffff ? 2 : 1);
          }
        }
      } else if (ch === '-' && prev !== null && p[this.i + 1] !== ']' && this.i + 1 < p.length) {
        // A range: prev-next
        this.i++;
        const lo = prev;
        let hi: number;
        if (p[this.i] === '\\') {
          const c = p[this.i + 1] ?? '';
          const escStart = this.i;
          this.i += 2;
          if (shorthand(c, this.ascii)) reError(`bad character range ${String.fromCodePoint(lo)}-\\${c}`, escStart);
          if (/[0-7]/.test(c)) {
            const od = (/^[0-7]{1,3}/.exec(p.slice(escStart + 1)) as RegExpExecArray)[0];
            this.i = escStart + 1 + od.length;
            hi = parseInt(od, 8);
          } else if (c === 'b') hi = 8;
          else {
            const code = this.codeEscape(c, escStart);
            if (code !== undefined) hi = code;
            else if (/[A-Za-z0-9]/.test(c)) reError(`bad escape \\${c}`, escStart);
            else {
              hi = this.cpAt(escStart + 1);
              this.i = escStart + 1 + (hi > 0xffff ? 2 : 1);
            }
          }
        } else {
          hi = this.cpAt(this.i);
          this.i += hi > 0xffff ? 2 : 1;
        }
        if (hi < lo) reError(`bad character range ${String.fromCodePoint(lo)}-${String.fromCodePoint(hi)}`, start);
        positive.pop();
        positive.push(`${litIn(lo)}-${litIn(hi)}`);
        prev = null;
        continue;
      } else {
        item = this.cpAt(this.i);
        this.i += item > 0xffff ? 2 : 1;
      }
      positive.push(litIn(item));
      prev = item;
    }
    const body = positive.join('');
    if (!complements.length) {
      this.out += `[${negate ? '^' : ''}${body}]`;
      return;
    }
    const alternatives = [...(body ? [`[${body}]`] : []), ...complements].join('|');
    this.out += negate ? `(?:(?!${alternatives})[\\s\\S])` : `(?:${alternatives})`;
  }
}
