// Static scan of a macro file: the top-level {% macro %}, {% test %}, {% materialization %},
// {% docs %} and {% snapshot %} blocks with their lines (no rendering).
import type { Arg, NodeList, Root } from './ast.js';

/** A top-level block found in a template file. */
export interface MacroInfo {
  /** Callable name: `my_macro`, `test_<name>` for tests, `materialization_<name>_<adapter>`; the block name for docs/snapshot. */
  name: string;
  /** 1-based line of the opening tag. */
  line: number;
  kind: 'macro' | 'test' | 'materialization' | 'docs' | 'snapshot';
  /** Parameter names (positional and those with defaults), in order. */
  args: string[];
  /** Materializations: the adapter (`default` when not given). */
  adapter?: string;
  /** Tests and materializations: the name as written in the tag (`not_null`, `table`). */
  blockName?: string;
  /** Materializations: the model languages they build (`supported_languages`, dbt's default `['sql']`). */
  supportedLanguages?: string[];
  /** Docs and snapshot blocks: the raw text between the tags. */
  body?: string;
}

function paramNames(args: NodeList<Arg>): string[] {
  const out: string[] = [];
  for (const a of args.children) {
    // A keyword's key is a name (the parser refuses others); `**kw` gives no name.
    if (a.typename === 'KeywordArgs') for (const p of a.children) out.push(p.typename === 'Pair' && p.key.typename === 'Symbol' ? p.key.value : 'undefined');
    else if (a.typename === 'Symbol') out.push(a.value);
  }
  return out;
}

/** Lists the top-level blocks of a parsed template. */
export function scanAst(root: Root): MacroInfo[] {
  const out: MacroInfo[] = [];
  for (const n of root.children) {
    if (n.typename === 'Macro') {
      const kind = n.dbtKind ?? 'macro';
      const info: MacroInfo = { name: n.name.value, line: n.lineno + 1, kind, args: paramNames(n.args) };
      if (kind === 'materialization') {
        info.adapter = n.adapter;
        info.supportedLanguages = n.supportedLanguages ?? ['sql'];
      }
      if (kind !== 'macro') info.blockName = n.blockName;
      out.push(info);
    } else if (n.typename === 'DbtBlock') {
      out.push({ name: n.name, line: n.lineno + 1, kind: n.kind, args: [], body: n.raw });
    }
  }
  return out;
}
