// The Jinja tags of a template, without the text between them: `{{ ... }}`, `{% ... %}`,
// `{# ... #}` and whole `{% raw %} ... {% endraw %}` blocks, found as Jinja's lexer finds them
// (a string literal inside a tag may hold `}}`). Two texts with the same tags differ only in the
// text a render copies through: parsing them records the same refs, sources and configs, so a SQL
// file edited only outside its tags needs no parse (app/parse-text-edit.ts). Nothing heavy is
// imported here: it runs before the template engine loads.
import { hash as digest } from 'node:crypto';

const OPEN = /\{[{%#]/g;
const RAW_START = /^\{%[-+]?\s*raw\s*[-+]?%\}/;
const RAW_END = /\{%[-+]?\s*endraw\s*[-+]?%\}/g;

/** The tags of `source`, in order; null when a tag does not close (the text is then not comparable). */
export function jinjaTags(source: string): string[] | null {
  const tags: string[] = [];
  OPEN.lastIndex = 0;
  for (let match = OPEN.exec(source); match !== null; match = OPEN.exec(source)) {
    const start = match.index;
    const kind = source[start + 1];
    let end: number;
    if (kind === '#') {
      end = source.indexOf('#}', start + 2);
      if (end === -1) return null;
      end += 2;
    } else if (kind === '%' && RAW_START.test(source.slice(start, start + 40))) {
      RAW_END.lastIndex = start;
      const close = RAW_END.exec(source);
      if (!close) return null;
      end = close.index + close[0].length;
    } else {
      end = tagEnd(source, start + 2, kind === '{' ? '}}' : '%}');
      if (end === -1) return null;
    }
    tags.push(source.slice(start, end));
    OPEN.lastIndex = end;
  }
  return tags;
}

/**
 * Where an expression or statement tag ends (after its `}}` / `%}`), skipping string literals and,
 * as Jinja2's lexer does, a `}}` that closes braces the expression opened (`{{ {'a': {'b': 1}} }}`);
 * -1 if never.
 */
function tagEnd(source: string, from: number, close: string): number {
  let quote: string | null = null;
  let braces = 0;
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '{') braces++;
    else if (c === '}' && braces > 0) braces--;
    else if (c === close[0] && source[i + 1] === close[1]) return i + 2;
  }
  return -1;
}

/** A call that prints while parsing: `log(...)`, `print(...)`, `exceptions.warn(...)`. */
const PRINTS = /(?<![\w.])(?:log|print)\s*\(|\bexceptions\s*\.\s*warn\s*\(/;

/**
 * A digest of the tags of `source` (null when they cannot be found): equal digests, equal parse.
 * Null too when a tag prints while parsing (PRINTS): dbt renders an edited file again, so its log
 * lines print again, and such a file is never patched without its render.
 */
export function jinjaSkeleton(source: string): string | null {
  const tags = jinjaTags(source);
  if (tags === null) return null;
  let text = '';
  for (const tag of tags) {
    if (tag.charCodeAt(1) !== 35 /* # */ && PRINTS.test(tag)) return null;
    text += `${tag}\0`;
  }
  return digest('sha1', text, 'base64');
}
