// Pieces shared by the `re` module files: flag constants, `re.error`, string-argument checks,
// and conversion between code-point indexes (Python's) and UTF-16 indexes (JavaScript's).
import { renderError } from '../../engine/values.js';

export const FLAGS = {
  NOFLAG: 0, TEMPLATE: 1, T: 1, IGNORECASE: 2, I: 2, LOCALE: 4, L: 4, MULTILINE: 8, M: 8,
  DOTALL: 16, S: 16, UNICODE: 32, U: 32, VERBOSE: 64, X: 64, DEBUG: 128, ASCII: 256, A: 256,
} as const;

export function reError(message: string, pos?: number): never {
  throw renderError(pos === undefined ? `re.error: ${message}` : `re.error: ${message} at position ${pos}`);
}

/** UTF-16 index → code-point index. */
export function cpIndex(s: string, unit: number): number {
  return /[\uD800-\uDFFF]/.test(s) ? Array.from(s.slice(0, unit)).length : unit;
}
/** Code-point index → UTF-16 index (clamped to the string). */
export function unitIndex(s: string, cp: number): number {
  if (cp <= 0) return 0;
  if (!/[\uD800-\uDFFF]/.test(s)) return Math.min(cp, s.length);
  let unit = 0;
  for (let n = 0; n < cp && unit < s.length; n++) unit += (s.codePointAt(unit) ?? 0) > 0xffff ? 2 : 1;
  return unit;
}

export function strArg(v: unknown, what = 'string'): string {
  if (typeof v === 'string') return v;
  if (v instanceof String) return v.valueOf();
  return renderError(`expected ${what} or bytes-like object, got '${v === null ? 'NoneType' : typeof v}'`) as never;
}

/** A JS match with `d`-flag group spans. */
export type Exec = RegExpExecArray & { indices?: Array<[number, number] | undefined> };

/** What a match and a replacement template need of their pattern (pattern.ts's PyPattern, which imports both). */
export interface PatternGroups {
  readonly groups: number;
  readonly groupindex: Record<string, number>;
}
