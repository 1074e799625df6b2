// Replacement templates for `sub`/`subn`/`Match.expand`: `\1`, `\g<name>`, `\g<0>` and escapes,
// parsed once into literal text and group numbers, then expanded against each match.
import { strRepr } from '../../engine/py-repr.js';
import { renderError } from '../../engine/values.js';
import { SIMPLE_ESCAPES } from './chars.js';
import { type PatternGroups, reError } from './common.js';

export type TemplatePart = string | number;

/** Parses a Python replacement template into literal text and group numbers. */
export function parseTemplate(repl: string, re: PatternGroups): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let lit = '';
  const push = (g: number) => {
    if (g > re.groups) reError(`invalid group reference ${g}`);
    if (lit) parts.push(lit);
    lit = '';
    parts.push(g);
  };
  for (let i = 0; i < repl.length; i++) {
    const ch = repl[i] as string;
    if (ch !== '\\') {
      lit += ch;
      continue;
    }
    const c = repl[i + 1];
    if (c === undefined) reError('bad escape (end of pattern)', i);
    if (c === 'g') {
      const m = /^<([^>]*)>/.exec(repl.slice(i + 2));
      if (!m) reError('missing <', i + 2);
      const name = m[1] as string;
      if (/^\d+$/.test(name)) push(Number(name));
      else if (re.groupindex[name] !== undefined) push(re.groupindex[name]);
      else if (/^[A-Za-z_]\w*$/.test(name)) throw renderError(`IndexError: unknown group name ${strRepr(name)}`);
      else reError(`bad character in group name ${strRepr(name)}`, i + 3);
      i += 2 + m[0].length - 1;
      continue;
    }
    if (c === '0') {
      const od = (/^[0-7]{1,3}/.exec(repl.slice(i + 1)) as RegExpExecArray)[0];
      lit += String.fromCodePoint(parseInt(od, 8));
      i += od.length;
      continue;
    }
    if (/[1-9]/.test(c)) {
      const three = repl.slice(i + 1, i + 4);
      if (/^[0-7]{3}$/.test(three)) {
        const v = parseInt(three, 8);
        if (v > 0o377) reError(`octal escape value \\${three} outside of range 0-0o377`, i);
        lit += String.fromCodePoint(v);
        i += 3;
        continue;
      }
      const ref = (/^\d{1,2}/.exec(repl.slice(i + 1)) as RegExpExecArray)[0];
      push(Number(ref));
      i += ref.length;
      continue;
    }
    if (c === '\\') {
      lit += '\\';
      i++;
      continue;
    }
    const simple = SIMPLE_ESCAPES[c];
    if (simple !== undefined) {
      lit += String.fromCodePoint(simple);
      i++;
      continue;
    }
    if (/[A-Za-z]/.test(c)) reError(`bad escape \\${c}`, i);
    lit += `\\${c}`;
    i++;
  }
  if (lit) parts.push(lit);
  return parts;
}

export function expandTemplate(parts: TemplatePart[], m: RegExpExecArray): string {
  let out = '';
  for (const part of parts) out += typeof part === 'number' ? (m[part] ?? '') : part;
  return out;
}
