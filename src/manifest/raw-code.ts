// The raw_code dbt keeps of a node read from a whole file: dbt reads every project file stripped
// (dbt_common's load_file_contents(strip=True), Python's str.strip), so a model's, analysis',
// singular test's or function's raw_code has no leading or trailing whitespace. A snapshot's is
// the body of its `{% snapshot %}` block, kept as written. tsdbt keeps the text as written inside
// (its renders align it with the file's lines) and writes dbt's text wherever a node is written:
// manifest.json, `graph`, `ls --output json`, on-run-end's results.

/** Python's str.isspace characters (JavaScript's \s also has U+FEFF, which Python keeps, and lacks \x1c-\x1f and \x85). */
const PY_SPACE = '[\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const LEADING = new RegExp(`^${PY_SPACE}+`);
const TRAILING = new RegExp(`${PY_SPACE}+$`);
const SPACE_CHAR = new RegExp(`^${PY_SPACE}$`);

/** Python's `text.strip()`. */
export function pythonStrip(text: string): string {
  if (text.length === 0) return text;
  // Most files start and end with code: nothing to strip, nothing copied.
  if (!SPACE_CHAR.test(text[0] as string) && !SPACE_CHAR.test(text[text.length - 1] as string)) return text;
  return text.replace(LEADING, '').replace(TRAILING, '');
}

/** The raw_code dbt writes for a node whose text tsdbt keeps as written. */
export function dbtRawCode(resourceType: string, raw: string): string {
  return resourceType === 'snapshot' ? raw : pythonStrip(raw);
}
