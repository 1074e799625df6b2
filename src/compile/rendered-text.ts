// A node's compiled text as dbt-core writes it (compiled_code, target/compiled): dbt reads a
// model, analysis or singular test file stripped (dbt_common load_file_contents(strip=True)), and
// its get_rendered (core/dbt/clients/jinja.py) returns a template without Jinja's marks as it is,
// else Jinja2's render, which keeps every blank line the template leaves (a `{{ config(...) }}`
// line's). Nothing strips the rendered text. tsdbt renders the node's text unstripped, after the
// newlines that align it with its file's lines (lineAligned): those, and what the file's leading
// and trailing whitespace gave, are taken off here.

/** dbt's _HAS_RENDER_CHARS_PAT: a template without these is returned as it is, unrendered. */
const HAS_RENDER_CHARS = /(\{[{%#]|[#}%]\})/;

/** A template opening with whitespace control (`{{-`, `{%-`, `{#-`) eats the whitespace before it. */
const OPENS_TRIMMING = /^\{[{%#]-/;
/** A template ending with whitespace control (`-}}`, `-%}`, `-#}`) eats the whitespace after it. */
const ENDS_TRIMMING = /-[}%#]\}$/;

const LEADING = /^\s*/;
const SPACE = /\s/;

/**
 * The whitespace (`\s`) ending `text`, found from its end: `/\s*$/` tries every place of the text
 * and runs through each whitespace run on the way (0.05-0.1 s over a compile's 10,000 models).
 */
function trailingSpace(text: string): string {
  let end = text.length;
  for (; end > 0; end--) {
    const c = text.charCodeAt(end - 1);
    // Spaces, tabs and line ends at once; other characters below 128 are never whitespace.
    if (c === 32 || (c >= 9 && c <= 13)) continue;
    if (c < 128 || !SPACE.test(text[end - 1] as string)) break;
  }
  return text.slice(end);
}
/** Jinja2 reads `\r\n` and `\r` as `\n`. */
const jinjaLines = (text: string) => text.replace(/\r\n?/g, '\n');

/**
 * dbt's compiled text of `raw`, given tsdbt's render of it with `line - 1` newlines put in front.
 * `stripped`: dbt read the text stripped (a whole file; a snapshot's block body is not).
 */
export function dbtRenderedText(raw: string, rendered: string, line: number, stripped: boolean): string {
  const lead = stripped ? (LEADING.exec(raw) as RegExpExecArray)[0] : '';
  const trail = stripped && lead.length < raw.length ? trailingSpace(raw) : '';
  const core = raw.slice(lead.length, raw.length - trail.length);
  if (!HAS_RENDER_CHARS.test(core)) return core;
  // What the render wrote for the aligning newlines and the leading whitespace, unless a tag ate them.
  const front = OPENS_TRIMMING.test(core) ? 0 : Math.max(0, line - 1) + jinjaLines(lead).length;
  // Jinja drops the source's last newline; the rest of the trailing whitespace is written, unless a tag ate it.
  const back = ENDS_TRIMMING.test(core) ? 0 : jinjaLines(trail).replace(/\n$/, '').length;
  if (front === 0 && back === 0) return rendered;
  return rendered.slice(Math.min(front, rendered.length), Math.max(front, rendered.length - back));
}

/** Whether dbt reads the node's text stripped: a whole file (load_file_contents), not a snapshot's block body nor an inline query. */
export const readStripped = (node: { resource_type: string; unique_id: string }): boolean => node.resource_type !== 'snapshot' && !node.unique_id.startsWith('sql_operation.');
