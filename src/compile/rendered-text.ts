// A node's compiled text as dbt-core writes it (compiled_code, target/compiled, target/run):
// dbt's get_rendered (core/dbt/clients/jinja.py) returns a template without Jinja's marks as it
// is (trailing newline and line ends kept), and otherwise Jinja2's render, which keeps every blank
// line the template leaves (a `{{ config(...) }}` line's) and drops one trailing newline
// (keep_trailing_newline=False). Nothing is stripped; tsdbt once trimmed the text.

/** dbt's _HAS_RENDER_CHARS_PAT: a template without these is returned as it is, unrendered. */
const HAS_RENDER_CHARS = /(\{[{%#]|[#}%]\})/;

/** A template opening with whitespace control (`{{-`, `{%-`, `{#-`) eats the newlines put before it. */
const OPENS_TRIMMING = /^\s*\{[{%#]-/;

/**
 * dbt's compiled text of `raw`, given tsdbt's render of it with `line - 1` newlines put in front
 * (lineAligned, so errors name the file's lines): those newlines are taken off again.
 */
export function dbtRenderedText(raw: string, rendered: string, line: number): string {
  if (!HAS_RENDER_CHARS.test(raw)) return raw;
  const added = line > 1 && !OPENS_TRIMMING.test(raw) ? line - 1 : 0;
  let start = 0;
  while (start < added && rendered.charCodeAt(start) === 10) start++;
  return start === 0 ? rendered : rendered.slice(start);
}
