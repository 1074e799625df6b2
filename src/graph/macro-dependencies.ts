// dbt's `depends_on.macros`: the macros a node's template calls, and for each macro the macros its
// own text calls (dbt's ManifestLoader.macro_depends_on). `state:modified.macros` walks these edges:
// a node is modified when a macro it reaches changed. Found statically in the Jinja tags of the
// text, as dbt does for macros: `name(...)`, `package.name(...)`, and `adapter.dispatch('name')`,
// which reaches every `<prefix>__name` implementation this adapter could dispatch to (dbt only
// records the dispatching macro itself, so a change of `postgres__name` went unseen).
import type { MacroScope } from '../jinja/dbt/macro-scope.js';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import { recordValues } from '../manifest/record-values.js';

const TAG = /\{\{([\s\S]*?)\}\}|\{%([\s\S]*?)%\}/g;
const CALL = /(?<![\w.])([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?\s*\(/g;
const DISPATCH = /adapter\s*\.\s*dispatch\s*\(\s*(?:macro_name\s*=\s*)?['"](\w+)['"]/g;
/** Names that are dbt context functions, never macros of a project. */
const BUILTIN_CALLS = new Set(['ref', 'source', 'config', 'var', 'env_var', 'return', 'log', 'print', 'caller', 'range', 'loop', 'adapter', 'exceptions', 'modules', 'api']);

interface CallSite {
  namespace: string | null;
  name: string;
}

/** The macro calls and dispatched names of one tag's text (what lies between its delimiters). */
interface TagCalls {
  calls: readonly CallSite[];
  dispatches: readonly string[];
}

/**
 * The macro calls in the Jinja tags of `text` (comments and plain SQL ignored). `memo` keeps each
 * tag text's calls: the tags of a project's models repeat (`{% if is_incremental() %}`, `{{ this }}`,
 * a macro call), so 10,000 models' tags are scanned once per distinct text. The call sites are
 * shared between the texts that hold a tag: read them, never change them.
 */
export function macroCallsIn(text: string, memo?: Map<string, TagCalls>): { calls: CallSite[]; dispatches: string[] } {
  const calls: CallSite[] = [];
  const dispatches: string[] = [];
  const scanned = text.includes('{#') ? text.replace(/\{#[\s\S]*?#\}/g, '') : text;
  TAG.lastIndex = 0;
  for (let tag = TAG.exec(scanned); tag !== null; tag = TAG.exec(scanned)) {
    const raw = tag[1] ?? tag[2] ?? '';
    let found = memo?.get(raw);
    if (!found) {
      found = tagCalls(raw);
      memo?.set(raw, found);
    }
    for (const call of found.calls) calls.push(call);
    for (const name of found.dispatches) dispatches.push(name);
  }
  return { calls, dispatches };
}

/** The calls of one tag's text (string literals blanked first, so a call inside one is none). */
function tagCalls(raw: string): TagCalls {
  const calls: CallSite[] = [];
  const dispatches: string[] = [];
  const body = raw.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, '""');
  for (const m of raw.matchAll(DISPATCH)) dispatches.push(m[1] as string);
  for (const m of body.matchAll(CALL)) {
    const [first, second] = [m[1] as string, m[2]];
    if (second === undefined) {
      if (!BUILTIN_CALLS.has(first)) calls.push({ namespace: null, name: first });
    } else if (first !== 'adapter') calls.push({ namespace: first, name: second });
  }
  return { calls, dispatches };
}

/** Resolves call sites to macro unique_ids, as seen from `packageName`. */
function resolveCalls(text: string, packageName: string, manifest: Pick<Manifest, 'macros'>, scope: MacroScope, self?: string, tags?: Map<string, TagCalls>): string[] {
  const out = new Set<string>();
  const { calls, dispatches } = macroCallsIn(text, tags);
  for (const call of calls) {
    const ns = call.namespace ?? scope.visibleMacros(packageName).get(call.name);
    if (ns === undefined) continue;
    const id = `macro.${ns}.${call.name}`;
    if (id !== self && manifest.macros[id]) out.add(id);
  }
  for (const name of dispatches) {
    for (const macro of Object.values(manifest.macros)) {
      if (macro.unique_id === self) continue;
      if (macro.name === name || scope.dispatchPrefixes.some((prefix) => macro.name === `${prefix}__${name}`)) out.add(macro.unique_id);
    }
  }
  return [...out].sort();
}

/** Fills `depends_on.macros` of every macro and node of the manifest. */
export function linkMacroDependencies(manifest: Manifest, scope: MacroScope): void {
  const tags = new Map<string, TagCalls>();
  for (const macro of Object.values(manifest.macros)) {
    macro.depends_on.macros = resolveCalls(macro.macro_sql, macro.package_name, manifest, scope, macro.unique_id, tags);
  }
  // Generic tests of one macro share their text (`{{ test_not_null(**_dbt_generic_test_kwargs) }}`): resolved once.
  const memo = new Map<string, string[]>();
  for (const node of recordValues(manifest.nodes)) node.depends_on.macros = nodeMacros(node, manifest, scope, memo, tags);
}

/**
 * The macros a node's template, test macro and hooks call (its `depends_on.macros`); `memo`
 * keeps the calls of texts already seen (by package), for texts many nodes share, and `tags` each
 * tag text's calls (macroCallsIn).
 */
export function nodeMacros(node: ManifestNode, manifest: Manifest, scope: MacroScope, memo?: Map<string, string[]>, tags?: Map<string, TagCalls>): string[] {
  if (node.resource_type === 'seed' || node.resource_type === 'unit_test') return [];
  const meta = node.test_metadata;
  // A generic test without hooks depends on what its text and its test macro give: the same
  // list for every such test of that macro, sorted once.
  const whole = memo && meta && node.config.pre_hook.length === 0 && node.config.post_hook.length === 0 ? `${node.package_name}\0${node.raw_code}\0${meta.namespace ?? ''}.${meta.name}` : undefined;
  const done = whole === undefined ? undefined : memo?.get(whole);
  if (done) return done.slice();
  const key = memo && meta ? `${node.package_name}\0${node.raw_code}` : undefined;
  let calls = key === undefined ? undefined : memo?.get(key);
  if (!calls) {
    calls = resolveCalls(node.raw_code, node.package_name, manifest, scope, undefined, tags);
    if (key !== undefined) memo?.set(key, calls);
  }
  const found = new Set(calls);
  // A generic test depends first on its test macro (dbt's `macro.<package>.test_<name>`), then on
  // get_where_subquery, which its `model` argument calls (`{{ get_where_subquery(ref('x')) }}`), in
  // the order dbt's parse render records them; the rest follow, sorted. dbt's own not_null and
  // unique are not rendered at parse (render_test_update's static path): just their macro (the
  // compile adds get_where_subquery, compile/compiler.ts).
  const first: string[] = [];
  if (meta) {
    const id = testMacroId(meta, node.package_name, scope);
    if (id !== undefined && manifest.macros[id]) first.push(id);
    const where = scope.macroId(node.package_name, 'get_where_subquery');
    if (!(id !== undefined && STATIC_TEST_MACROS.has(id)) && where !== undefined && manifest.macros[where]) first.push(where);
  }
  // Hooks call macros too.
  for (const hook of [...node.config.pre_hook, ...node.config.post_hook]) for (const id of resolveCalls(hook.sql, node.package_name, manifest, scope, undefined, tags)) found.add(id);
  for (const id of first) found.delete(id);
  const macros = [...first, ...[...found].sort()];
  if (whole !== undefined) memo?.set(whole, macros.slice());
  return macros;
}

/** The generic tests dbt parses without rendering (schema_generic_tests.py, render_test_update). */
export const STATIC_TEST_MACROS: ReadonlySet<string> = new Set(['macro.dbt.test_not_null', 'macro.dbt.test_unique']);

/** The `{% test %}` macro a generic test of `packageName` calls: `macro.<namespace>.test_<name>`. */
export function testMacroId(meta: { namespace: string | null; name: string }, packageName: string, scope: MacroScope): string | undefined {
  return meta.namespace ? `macro.${meta.namespace}.test_${meta.name}` : scope.macroId(packageName, `test_${meta.name}`);
}

/** `config(...)` or `config.set(...)`: what configures the node rendering it. */
const CONFIG_CALL = /(?<![\w.])config\s*(?:\(|\.\s*set\s*\()/;
/** `log(...)`, `print(...)`, `exceptions.warn(...)`: what prints while the parse renders it (dbt's parse render prints them). */
const PRINT_CALL = /(?<![\w.])(?:log|print)\s*\(|\bexceptions\s*\.\s*warn\s*\(/;
/** `ref(...)`, `source(...)` (or `builtins.ref(...)`): what the parse render records as the node's dependencies. */
const RELATION_CALL = /(?<![\w.])(?:builtins\s*\.\s*)?(?:ref|source)\s*\(/;
/** Calls this analysis cannot follow: a dispatch of a computed name, a macro looked up at run time. */
const UNFOLLOWABLE = /adapter\s*\.\s*dispatch\s*\(\s*(?:macro_name\s*=\s*)?[^'"\s]|context\s*\[|\bcaller\s*\(/;

/**
 * Whether rendering macro `id` may call `config()`, print (log, print, exceptions.warn) or call
 * `ref()`/`source()`: its text does, or a macro it calls (through dispatch too) may, or it calls
 * something this cannot follow. A generic test whose macro can neither configure it, print nor add
 * a dependency needs no parse render (dbt renders every one: 20,000 renders of a 10,000-model
 * project's tests, each finding nothing). Memoised per macro in `memo`.
 */
export function macroNeedsParseRender(id: string, macros: Pick<Manifest, 'macros'>, scope: MacroScope, memo: Map<string, boolean>): boolean {
  const known = memo.get(id);
  if (known !== undefined) return known;
  const macro = macros.macros[id];
  if (!macro) return true;
  memo.set(id, true); // recursion: assumed to configure (a cycle is rare; assuming is safe)
  const text = macro.macro_sql;
  const may =
    CONFIG_CALL.test(text) ||
    PRINT_CALL.test(text) ||
    RELATION_CALL.test(text) ||
    UNFOLLOWABLE.test(text) ||
    resolveCalls(text, macro.package_name, macros, scope, id).some((callee) => macroNeedsParseRender(callee, macros, scope, memo));
  memo.set(id, may);
  return may;
}
