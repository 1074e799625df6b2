// PyYAML's leniency with quoted scalars that span lines: its scanner reads a '...' or "..."
// scalar to the closing quote whatever the indentation of the lines in between, where YAML 1.2
// (and so the `yaml` and js-yaml libraries) wants every continuation line indented deeper than
// the mapping holding the value:
//
//   - name: primary_key
//     description: "Primary key of mart_user_request. It is at the grain of the user request
//     (combination of the issue_id or epic_id ...)"      <- same column as `description`
//
// dbt reads such a file (GitLab's analytics project has several). The leading spaces of a
// continuation line are not part of the value (the line break folds to one space), so indenting
// those lines deeper changes nothing but what the strict readers accept. Lines are never added or
// removed: every position keeps its line number.

/** Leading spaces, and the column of a line's content after its `- ` sequence markers. */
function contentColumn(line: string): number {
  return /^(?: *- +)* */.exec(line)?.[0].length ?? 0;
}

/** A quote here opens a scalar: at the line's start, after `: `/`- `/`? ` indicators, or after a flow `[`, `{`, `,`. */
function opensScalar(line: string, at: number): boolean {
  const before = line.slice(0, at).trimEnd();
  if (before === '' || /[[{,]$/.test(before)) return true;
  return /(?:^|[ \t])[-?]$/.test(before) || /:$/.test(before);
}

/** A block scalar indicator ends the line: `key: |`, `- >-`, `key: |2 # comment`. */
function opensBlockScalar(rest: string): boolean {
  return /^[|>][-+0-9]*[ \t]*(?:#.*)?$/.test(rest);
}

/**
 * The text with each continuation line of a multi-line quoted scalar indented one column deeper
 * than the content of the line the scalar starts on, where it was not already; the same string
 * when nothing needed it.
 */
export function indentQuotedContinuations(text: string): string {
  const lines = text.split('\n');
  let quote: string | null = null;
  let need = 0;
  let blockIndent = -1;
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] ?? '';
    const lead = /^ */.exec(line)?.[0].length ?? 0;
    if (quote) {
      if (line.trim() !== '' && lead < need) {
        line = ' '.repeat(need - lead) + line;
        lines[i] = line;
        changed = true;
      }
    } else if (blockIndent >= 0) {
      if (line.trim() === '' || lead > blockIndent) continue; // the block scalar's own text
      blockIndent = -1;
    }
    for (let j = 0; j < line.length; j++) {
      const c = line[j];
      if (quote === '"') {
        if (c === '\\') j++;
        else if (c === '"') quote = null;
        continue;
      }
      if (quote === "'") {
        if (c === "'" && line[j + 1] === "'") j++;
        else if (c === "'") quote = null;
        continue;
      }
      if (c === '#' && (j === 0 || line[j - 1] === ' ' || line[j - 1] === '\t')) break; // a comment
      if ((c === '"' || c === "'") && opensScalar(line, j)) {
        quote = c;
        need = contentColumn(line) + 1;
      } else if ((c === '|' || c === '>') && opensScalar(line, j) && opensBlockScalar(line.slice(j))) {
        // Its text is what is indented deeper than the key (`key: |`) or the dash (`- |`).
        const before = line.slice(0, j).trimEnd();
        blockIndent = before.endsWith('-') ? before.length - 1 : contentColumn(line);
        break;
      }
    }
  }
  return changed ? lines.join('\n') : text;
}
