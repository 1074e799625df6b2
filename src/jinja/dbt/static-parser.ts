// dbt's static parser, widened: what a parse-phase render of a SQL file would record (its ref(),
// source() and config() calls), read from the template's syntax tree instead of compiling and
// running it. dbt (docs: "Project Parsing", static parser) only handles models whose Jinja is
// nothing but ref/source/config calls; this also follows what a parse render provably skips or
// cannot observe: the `is_incremental()` and `execute` branches (both false while parsing), any
// expression without effects (`{{ var('x') }}`, filters, `this`, arithmetic), and calls to
// macros whose own text, and every macro they reach (dispatch included), can record nothing,
// raise nothing and read no environment variable. Anything else, or anything this cannot prove,
// answers null and the file is rendered as before. `--no-static-parser` renders every file.
import type { Expr, Root } from '../engine/ast.js';
import { references } from '../engine/codegen-scope.js';
import { parseTemplate } from '../engine/parse-template.js';
import { literalValue, NOT_LITERAL, UNKNOWN } from './static-values.js';
import type { MacroCallArgs, StaticParseResult, StaticParseScope } from './static-parse-scope.js';
import { NotStatic, SPREAD_CALL, Walker } from './static-walker.js';

export type { MacroCallArgs, StaticParseResult, StaticParseScope };

/** A text key for memoising a macro's answer per call (UNKNOWN as `?`); null for a call with a spread. */
export function macroCallKey(args: MacroCallArgs): string {
  if (args === SPREAD_CALL) return '*';
  return JSON.stringify([args.positional, Object.entries(args.keywords).sort(([a], [b]) => a.localeCompare(b))], (_k, v: unknown) => (v === UNKNOWN ? { '?': 1 } : v));
}

/** What a parse render of a template records (`calls`), or why that needs the render (`rendered`, with the line). */
export type StaticParseOutcome = { calls: StaticParseResult } | { rendered: string };

/** What a parse render of this template would record, or why only the render can tell. */
export function staticParse(ast: Root, scope: StaticParseScope): StaticParseOutcome {
  const walker = new Walker(scope, false);
  try {
    walker.statements(ast.children, 'collect');
  } catch (err) {
    if (err instanceof NotStatic) return { rendered: err.message };
    throw err;
  }
  return { calls: walker.result };
}

/** Syntax trees of macro texts (a macro is judged once per distinct call; parsed once); null: does not parse. */
const macroTrees = new Map<string, Root | null>();

/**
 * Null when a macro's text (one `{% macro %}` block) provably does nothing a parse render could
 * observe: records no ref/source/config, raises nothing, reads no env var it may lack, and reaches
 * only macros of which the same holds (checked through `scope`, which memoises); else what it may
 * do, with the line in the macro's text.
 */
export function macroTextEffect(text: string, scope: StaticParseScope, args: MacroCallArgs = SPREAD_CALL): string | null {
  let root = macroTrees.get(text);
  if (root === undefined) {
    try {
      root = parseTemplate(text, '<macro>');
    } catch {
      root = null;
    }
    macroTrees.set(text, root);
  }
  if (root === null) return 'does not parse on its own';
  const blocks = root.children.filter((n) => !(n.typename === 'Output' && n.children.every((c) => c.typename === 'TemplateData')));
  const macro = blocks[0];
  if (blocks.length !== 1 || macro?.typename !== 'Macro' || macro.dbtKind) return 'is not one macro block';
  const walker = new Walker(scope, true);
  walker.bind(['varargs', 'kwargs']);
  // The parameters, in order: [name, default expression or null].
  const params: [string, Expr | null][] = [];
  for (const p of macro.args.children) {
    if (p.typename === 'Symbol') params.push([p.value, null]);
    else if (p.typename === 'KeywordArgs') {
      for (const pair of p.children) {
        // `**kw` (a StarKwargs): the render rejects the macro ("invalid macro parameter").
        if (pair.typename !== 'Pair' || pair.key.typename !== 'Symbol') return 'has a parameter that is not a name';
        params.push([pair.key.value, pair.value]);
      }
    } else return 'has a parameter that is not a name';
  }
  if (args !== SPREAD_CALL) {
    // Jinja2 raises for arguments a macro does not take (unless it reads varargs / kwargs).
    const names = new Set(params.map(([name]) => name));
    if (args.positional.length > params.length && !references(macro.body, 'varargs')) return 'is called with more arguments than it takes';
    const extra = Object.keys(args.keywords).find((k) => !names.has(k));
    if (extra !== undefined && !references(macro.body, 'kwargs')) return `is called with an argument it does not take (${extra})`;
    if (params.slice(0, args.positional.length).some(([name]) => name in args.keywords)) return 'is called with an argument given twice';
  }
  try {
    params.forEach(([name, fallback], i) => {
      if (fallback) walker.statements([{ typename: 'Do', lineno: fallback.lineno, colno: fallback.colno, expr: fallback }], 'pure');
      const given = args === SPREAD_CALL ? UNKNOWN : i < args.positional.length ? args.positional[i] : name in args.keywords ? args.keywords[name] : fallback ? literalValue(fallback) : null;
      walker.bind([name], given === NOT_LITERAL ? UNKNOWN : given);
    });
    walker.statements(macro.body.children, 'pure');
    return null;
  } catch (err) {
    if (err instanceof NotStatic) return err.message.startsWith('calls macro ') ? err.message.replace(/^calls macro /, 'calls ') : `may act (${err.message})`;
    throw err;
  }
}
