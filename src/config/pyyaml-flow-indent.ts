// PyYAML's leniency with flow collections that span lines: inside `{...}` or `[...]` its scanner
// ignores indentation, so the closing bracket may stand at the column of the block entry holding
// the collection, or further left (dbt's own test fixtures write accepted_values this way):
//
//   data_tests:
//     - accepted_values: {
//         values: ['blue', 'green'],
//         quote: true
//     }                                   <- same column as the `-` of its entry
//
// YAML 1.2 readers (the `yaml` library) refuse it and lose what follows. Indentation inside a flow
// collection is not part of any value, so moving such a bracket right changes nothing but what the
// strict readers accept. Lines are never added or removed: every position keeps its line number.
import YAML, { type YAMLError } from 'yaml';

/** At most this many brackets are moved (each is one more parse of the file). */
const MAX_MOVES = 200;

/** The position of a closing bracket the `yaml` library finds under-indented, or null. */
function underIndentedFlowEnd(errors: readonly YAMLError[]): number | null {
  for (const error of errors) {
    if (error.code !== 'BAD_INDENT') continue;
    const closing = errors.find((e) => e.code === 'UNEXPECTED_TOKEN' && /flow-(?:map|seq)-end token/.test(e.message) && e.pos[0] === error.pos[0]);
    if (closing) return error.pos[0];
  }
  return null;
}

/**
 * `text` with each under-indented closing bracket that stands first on its line indented as the
 * line before it (which is inside the collection, so deep enough); `text` itself when there is none.
 */
export function indentFlowCollectionEnds(text: string): string {
  let out = text;
  for (let moves = 0; moves < MAX_MOVES; moves++) {
    const pos = underIndentedFlowEnd(YAML.parseDocument(out).errors);
    if (pos === null) return out;
    const lineStart = out.lastIndexOf('\n', pos - 1) + 1;
    if (out.slice(lineStart, pos).trim() !== '') return out;
    const before = out.slice(0, Math.max(lineStart - 1, 0)).split('\n');
    const previous = [...before].reverse().find((l) => l.trim() !== '') ?? '';
    const indent = /^ */.exec(previous)?.[0] ?? '';
    if (indent.length <= pos - lineStart) return out;
    out = out.slice(0, lineStart) + indent + out.slice(pos);
  }
  return out;
}
