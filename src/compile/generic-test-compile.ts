// A generic test's compiled SQL: its arguments rendered natively in the test's context and its
// macro (`[namespace.]test_<name>`) called with them, or, for dbt's not_null and unique, its
// shape's text with its relation put in (generic-test-shapes.ts).
import { TsdbtError } from '../errors/tsdbt-error.js';
import { callMacro } from '../jinja/engine/index.js';
import type { ManifestNode } from '../manifest/types.js';
import type { ExecutePhase } from './execute-phase.js';
import type { GenericTestShapes } from './generic-test-shapes.js';
import { renderTestArguments } from './test-arguments.js';

export function compileGenericTest(phase: ExecutePhase, shapes: GenericTestShapes, node: ManifestNode): string {
  const meta = node.test_metadata as NonNullable<ManifestNode['test_metadata']>;
  // Most tests (dbt's not_null and unique on a ref) need no context of their own: their shape's text with their relation put in.
  const direct = shapes.direct(node, meta.kwargs, (fn, args) => relationCall(phase, fn, args, node));
  if (direct !== undefined) return direct;
  const state = { refs: [], sources: [], configCalls: [] };
  // One context for the arguments and the macro, as dbt renders them (and one context per test
  // instead of two: 20,000 tests make 20,000 fewer contexts and macro-file instances).
  const context = phase.contextFor(node, state);
  // dbt renders every argument natively, `model` (`{{ get_where_subquery(ref('x')) }}`, a macro
  // projects may override) included: `compare_model: ref('x')` arrives as a relation, not text.
  const kwargs = renderTestArguments(phase, node, meta.kwargs, state, context);
  const render = (args: Record<string, unknown>) => callMacro(testMacro(node, context), [], args);
  // dbt's not_null and unique print their arguments: their text is rendered once per shape.
  const text = shapes.text(node, kwargs, render);
  return text ?? String(render(kwargs));
}

/**
 * A compiled generic test depends on the get_where_subquery its `model` argument called. dbt
 * records every macro a render calls at the top (MacroGenerator.track_call); dbt's own not_null
 * and unique, parsed without a render, gain it here, as in dbt's manifest after compile. A new
 * list: the parse shares one list among many tests.
 */
export function recordWhereSubquery(phase: ExecutePhase, node: ManifestNode): void {
  const id = phase.session.scope.macroId(node.package_name, 'get_where_subquery');
  if (id !== undefined && !node.depends_on.macros.includes(id)) node.depends_on.macros = [...node.depends_on.macros, id];
}

/** What `ref(...)` / `source(...)` with these literal arguments gives in `node`'s execute-phase render. */
function relationCall(phase: ExecutePhase, fn: 'ref' | 'source', args: string[], node: ManifestNode): unknown {
  const { services } = phase;
  if (fn === 'source') {
    if (args.length !== 2) throw new TsdbtError('source() takes two strings: source(source_name, table_name)', { code: 'source-args' });
    return services.resolveSource(args[0] as string, args[1] as string, node);
  }
  const call = args.length === 2 ? { package: args[0] as string, name: args[1] as string, version: null } : { name: args[0] as string, package: null, version: null };
  return services.resolveRef(call, node);
}

/** The generic test's macro (`[namespace.]test_<name>`) in the test's context. */
function testMacro(node: ManifestNode, context: Record<string, unknown>): (...args: unknown[]) => unknown {
  const meta = node.test_metadata as NonNullable<ManifestNode['test_metadata']>;
  const macroName = `test_${meta.name}`;
  const holder = meta.namespace ? (context[meta.namespace] as Record<string, unknown> | undefined) : context;
  const macro = holder?.[macroName];
  if (typeof macro !== 'function') {
    throw new TsdbtError(`no generic test named '${meta.namespace ? `${meta.namespace}.` : ''}${meta.name}'`, {
      code: 'test-macro-not-found',
      location: { file: node.original_file_path, line: node.line },
      hint: `define it with {% test ${meta.name}(model, column_name) %} in a macros/ or tests/generic/ file, or install the package that provides it`,
    });
  }
  return macro as (...args: unknown[]) => unknown;
}
