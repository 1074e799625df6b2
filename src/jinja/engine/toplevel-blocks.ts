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

/**
 * The index just past the `close` (`%}` or `}}`) that ends the tag or expression opened at `from`,
 * skipping quoted strings, as dbt-common's TagIterator does (`_expect_block_close`, `handle_expr`):
 * `{% do l.append('{% endmacro %}') %}` is one tag. -1 when it never ends.
 */
function tagEnd(source: string, from: number, close: '%}' | '}}' = '%}'): number {
  let quote: string | null = null;
  for (let i = from + 2; i < source.length - 1; i++) {
    const c = source[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === close[0] && source[i + 1] === close[1]) return i + 2;
  }
  return -1;
}

/**
 * The index just past `{% end<kind> %}` closing a block whose opening tag ends at `from`; -1 when
 * there is none. It walks the block's tags, expressions and comments as dbt-common's block
 * extraction does, so an end tag inside a quoted string, a comment or a raw block ends nothing.
 */
function blockEnd(source: string, kind: string, from: number): number {
  const open = /\{[%#{]/g;
  let i = from;
  for (;;) {
    open.lastIndex = i;
    const found = open.exec(source);
    if (!found) return -1;
    const at = found.index;
    const opener = found[0];
    if (opener === '{#') {
      const close = source.indexOf('#}', at + 2);
      if (close < 0) return -1;
      i = close + 2;
      continue;
    }
    const end = tagEnd(source, at, opener === '{{' ? '}}' : '%}');
    if (end < 0) return -1;
    i = end;
    if (opener === '{{') continue;
    TAG_START.lastIndex = at;
    const name = TAG_START.exec(source)?.[1] ?? '';
    if (name === `end${kind}`) return end;
    if (name === 'raw') {
      const close = /\{%[-+]?\s*endraw\s*[-+]?%\}/g;
      close.lastIndex = end;
      if (!close.exec(source)) return -1;
      i = close.lastIndex;
    }
  }
}

/** The index just past the end tag of the block (`{% macro ... %}`, `{% test ... %}`, ...) whose opening tag starts at `at`; -1 when it never ends. */
export function blockEndFrom(source: string, at: number): number {
  TAG_START.lastIndex = at;
  const kind = TAG_START.exec(source)?.[1] ?? '';
  const tagClose = tagEnd(source, at);
  return tagClose < 0 ? -1 : blockEnd(source, kind, tagClose);
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
    else if (opener === '{{') end = tagEnd(source, at, '}}');
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
