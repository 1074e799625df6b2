// What dbt reads of a macro file: only its top-level blocks. dbt's MacroParser takes the
// `{% macro %}`, `{% materialization %}`, `{% test %}` and `{% data_test %}` blocks out of the file
// (dbt-common's extract_toplevel_blocks) and parses each on its own, so anything else at the top
// level, text, expressions, `{% set %}`, even a tag Jinja would refuse (re_data's
// `{% https://github.com/... %}`), is never parsed. `keepTopLevelBlocks` blanks all of that
// (newlines kept, so every line number stays) and leaves the blocks as they are.

/** The top-level blocks a macro file is read for (docs and snapshot blocks too: tsdbt reads them from the same scan). */
const BLOCK_KINDS: ReadonlySet<string> = new Set(['macro', 'materialization', 'test', 'data_test', 'docs', 'snapshot']);

const TAG_START = /\{%[-+]?\s*([A-Za-z_][A-Za-z0-9_]*)?/y;

function blank(text: string): string {
  return text.replace(/[^\n]/g, ' ');
}

/** The index just past the `%}` that ends the tag opened at `from`, skipping quoted strings; -1 when it never ends. */
function tagEnd(source: string, from: number): number {
  let quote: string | null = null;
  for (let i = from + 2; i < source.length - 1; i++) {
    const c = source[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '%' && source[i + 1] === '}') return i + 2;
  }
  return -1;
}

/** The index just past `{% end<kind> %}` closing a block whose opening tag ends at `from`; -1 when there is none. */
function blockEnd(source: string, kind: string, from: number): number {
  const end = new RegExp(`\\{%[-+]?\\s*end${kind}\\s*[-+]?%\\}|\\{%[-+]?\\s*raw\\s*[-+]?%\\}|\\{#`, 'g');
  end.lastIndex = from;
  for (let m = end.exec(source); m; m = end.exec(source)) {
    if (m[0].startsWith('{#')) {
      const close = source.indexOf('#}', m.index + 2);
      if (close < 0) return -1;
      end.lastIndex = close + 2;
    } else if (/^\{%[-+]?\s*raw/.test(m[0])) {
      const close = /\{%[-+]?\s*endraw\s*[-+]?%\}/g;
      close.lastIndex = end.lastIndex;
      const found = close.exec(source);
      if (!found) return -1;
      end.lastIndex = close.lastIndex;
    } else return m.index + m[0].length;
  }
  return -1;
}

/** `source` with everything outside its top-level blocks blanked (line numbers unchanged). */
export function keepTopLevelBlocks(source: string): string {
  const open = /\{[%#{]/g;
  let out = '';
  let i = 0;
  while (i < source.length) {
    open.lastIndex = i;
    const found = open.exec(source);
    if (!found) return out + blank(source.slice(i));
    const at = found.index;
    out += blank(source.slice(i, at));
    const opener = source.slice(at, at + 2);
    let end: number;
    if (opener === '{#') end = source.indexOf('#}', at + 2) + 2;
    else if (opener === '{{') end = source.indexOf('}}', at + 2) + 2;
    else {
      TAG_START.lastIndex = at;
      const name = TAG_START.exec(source)?.[1] ?? '';
      const tagClose = tagEnd(source, at);
      if (tagClose < 0) return out + source.slice(at); // an unclosed tag: the parser says where
      if (BLOCK_KINDS.has(name)) {
        const close = blockEnd(source, name, tagClose);
        if (close < 0) return out + source.slice(at); // a block never closed: the parser says where
        out += source.slice(at, close);
        i = close;
        continue;
      }
      end = name === 'raw' ? blockEnd(source, 'raw', tagClose) : tagClose;
    }
    if (end < 2) return out + source.slice(at); // unclosed comment or expression: the parser says where
    out += blank(source.slice(at, end));
    i = end;
  }
  return out;
}
