// dbt's `depends_on.macros`: the macros a node's template calls, and for each macro the macros its
// own text calls (dbt's ManifestLoader.macro_depends_on). `state:modified.macros` walks these edges:
// a node is modified when a macro it reaches changed. Found statically in the Jinja tags of the
// text, as dbt does for macros: `name(...)`, `package.name(...)`, and `adapter.dispatch('name')`,
// which reaches every `<prefix>__name` implementation this adapter could dispatch to (dbt only
// records the dispatching macro itself, so a change of `postgres__name` went unseen).
import type { MacroScope } from '../jinja/dbt/macro-scope.js';
import type { Manifest, ManifestNode } from './types.js';

const TAG = /\{\{([\s\S]*?)\}\}|\{%([\s\S]*?)%\}/g;
const CALL = /(?<![\w.])([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?\s*\(/g;
const DISPATCH = /adapter\s*\.\s*dispatch\s*\(\s*(?:macro_name\s*=\s*)?['"](\w+)['"]/g;
/** Names that are dbt context functions, never macros of a project. */
const BUILTIN_CALLS = new Set(['ref', 'source', 'config', 'var', 'env_var', 'return', 'log', 'print', 'caller', 'range', 'loop', 'adapter', 'exceptions', 'modules', 'api']);

interface CallSite {
  namespace: string | null;
  name: string;
}

/** The macro calls in the Jinja tags of `text` (comments and plain SQL ignored). */
export function macroCallsIn(text: string): { calls: CallSite[]; dispatches: string[] } {
  const calls: CallSite[] = [];
  const dispatches: string[] = [];
  for (const tag of text.replace(/\{#[\s\S]*?#\}/g, '').matchAll(TAG)) {
    const body = (tag[1] ?? tag[2] ?? '').replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, '""');
    const raw = tag[1] ?? tag[2] ?? '';
    for (const m of raw.matchAll(DISPATCH)) dispatches.push(m[1] as string);
    for (const m of body.matchAll(CALL)) {
      const [first, second] = [m[1] as string, m[2]];
      if (second === undefined) {
        if (!BUILTIN_CALLS.has(first)) calls.push({ namespace: null, name: first });
      } else if (first !== 'adapter') calls.push({ namespace: first, name: second });
    }
  }
  return { calls, dispatches };
}

/** Resolves call sites to macro unique_ids, as seen from `packageName`. */
function resolveCalls(text: string, packageName: string, manifest: Manifest, scope: MacroScope, self?: string): string[] {
  const out = new Set<string>();
  const { calls, dispatches } = macroCallsIn(text);
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
  for (const macro of Object.values(manifest.macros)) {
    macro.depends_on.macros = resolveCalls(macro.macro_sql, macro.package_name, manifest, scope, macro.unique_id);
  }
  for (const node of Object.values(manifest.nodes)) node.depends_on.macros = nodeMacros(node, manifest, scope);
}

/** The macros a node's template, test macro and hooks call (its `depends_on.macros`). */
export function nodeMacros(node: ManifestNode, manifest: Manifest, scope: MacroScope): string[] {
  if (node.resource_type === 'seed' || node.resource_type === 'unit_test') return [];
  const found = new Set(resolveCalls(node.raw_code, node.package_name, manifest, scope));
  // A generic test depends on its test macro (dbt's `macro.<package>.test_<name>`).
  const meta = node.test_metadata;
  if (meta) {
    const name = `test_${meta.name}`;
    const ns = meta.namespace ?? scope.visibleMacros(node.package_name).get(name);
    if (ns && manifest.macros[`macro.${ns}.${name}`]) found.add(`macro.${ns}.${name}`);
  }
  // Hooks call macros too.
  for (const hook of [...node.config.pre_hook, ...node.config.post_hook]) for (const id of resolveCalls(hook.sql, node.package_name, manifest, scope)) found.add(id);
  return [...found].sort();
}
