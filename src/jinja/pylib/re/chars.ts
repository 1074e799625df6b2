// Character-level pieces of pattern translation: Python's shorthand classes (`\d \w \s`) as JS
// class bodies, the simple escapes (`\n`, `\t`, ...), and code points as JS regex literals.

const SPACE_CLASS = '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
export const WORD_CLASS = '\\p{L}\\p{N}_';

/** A shorthand class as a JS class body, and whether it is the complement of that body. */
export function shorthand(c: string, ascii: boolean): { body: string; negated: boolean } | null {
  switch (c) {
    case 'd': return { body: ascii ? '0-9' : '\\p{Nd}', negated: false };
    case 'D': return ascii ? { body: '0-9', negated: true } : { body: '\\P{Nd}', negated: false };
    case 'w': return { body: ascii ? 'A-Za-z0-9_' : WORD_CLASS, negated: false };
    case 'W': return { body: ascii ? 'A-Za-z0-9_' : WORD_CLASS, negated: true };
    case 's': return { body: ascii ? '\\t-\\r ' : SPACE_CLASS, negated: false };
    case 'S': return { body: ascii ? '\\t-\\r ' : SPACE_CLASS, negated: true };
    default: return null;
  }
}

const SYNTAX_CHARS = new Set('^$\\.*+?()[]{}|/'.split(''));
export const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11 };

/** A code point as a JS regex literal outside a class. */
export function litOut(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (SYNTAX_CHARS.has(ch)) return `\\${ch}`;
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, '0')}`;
  return ch;
}

/** A code point as a JS regex literal inside a class. */
export function litIn(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if ('\\]^-['.includes(ch)) return `\\${ch}`;
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, '0')}`;
  return ch;
}
