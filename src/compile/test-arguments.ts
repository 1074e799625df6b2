// A generic test's keyword arguments rendered as dbt's add_rendered_test_kwargs renders them: every
// string, at any depth in lists and mappings, is a template rendered natively in the test's
// context (`compare_model: ref('x')` arrives as a relation, `values: ["{{ var('v') }}"]` as the
// var's value, `expression: "d = {{ dbt_date.tomorrow('d0') }}"` as text); a bare
// ref/source/var/env_var/doc call gets its braces added; the column name is never rendered.
// The same function serves the parse render (collecting refs and sources) and the execute render:
// each is handed the phase it renders in (the parse phase, or the compiling Compiler's execute phase).
import { TsdbtError, formatLocation } from '../errors/tsdbt-error.js';
import { MACRO, RenderSuspended, callMacro } from '../jinja/engine/index.js';
import type { ParsePhase } from './parse-phase.js';
import type { NodeRenderer, RenderState } from './render-phase.js';
import type { ManifestNode, RefCall } from '../manifest/types.js';

/** dbt's `looks_like_func`: a bare call rendered as if it were written inside `{{ }}`. */
const LOOKS_LIKE_FUNC = /^\s*(env_var|ref|var|source|doc)\s*\(.+\)\s*$/;
/** dbt's _HAS_RENDER_CHARS_PAT: text without these is returned as it is. */
const HAS_RENDER_CHARS = /(\{[{%#]|[#}%]\})/;
/** A template that is one `{{ expression }}` and nothing else: its value is native. */
const SINGLE_EXPRESSION = /^\{\{-?([\s\S]*?)-?\}\}$/;
/** `ref('m')`, `ref('pkg', 'm')`, `source('s', 't')` with literal arguments: the usual argument. */
const LITERAL_CALL = /^\s*(ref|source)\s*\(\s*(?:'([^'\\]*)'|"([^"\\]*)")\s*(?:,\s*(?:'([^'\\]*)'|"([^"\\]*)")\s*)?\)\s*$/;

/** Does this argument hold a template (at any depth)? */
export function hasTemplate(value: unknown): boolean {
  if (typeof value === 'string') return LOOKS_LIKE_FUNC.test(value) || HAS_RENDER_CHARS.test(value);
  if (Array.isArray(value)) return value.some(hasTemplate);
  if (value && typeof value === 'object') return Object.values(value).some(hasTemplate);
  return false;
}

/**
 * Renders `kwargs` (the test's raw arguments, without `model`) in `node`'s context in `phase`. A failure names the argument and the property-file line of the test. `context`: the
 * test's context in `phase`, when the caller has made it already (the execute render calls the
 * test macro in it, as dbt renders the arguments in the context the macro gets); literal
 * ref/source calls are made in it rather than in a new one.
 */
export function renderTestArguments(phase: NodeRenderer, node: ManifestNode, kwargs: Record<string, unknown>, state: RenderState, context?: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(kwargs)) {
    out[key] = key === 'column_name' && typeof value === 'string' ? value : located(node, `argument '${key}'`, () => renderDeep(phase, node, value, state, context));
  }
  return out;
}

/** Runs a render; a user error in it is reported at the test's line in its property file. */
function located<T>(node: ManifestNode, what: string, render: () => T): T {
  try {
    return render();
  } catch (err) {
    if (err instanceof RenderSuspended || !(err instanceof TsdbtError) || err.category !== 'user') throw err;
    const test = node.test_metadata ? `${node.test_metadata.namespace ? `${node.test_metadata.namespace}.` : ''}${node.test_metadata.name}` : node.name;
    const inner = err.location && err.location.file !== node.original_file_path ? ` (${formatLocation(err.location)})` : '';
    throw new TsdbtError(`${what} of test '${test}' could not be rendered: ${err.message}${inner}`, {
      code: 'test-argument-render',
      location: { file: node.original_file_path, line: node.line },
      hint: err.hint ?? 'test arguments and configs are Jinja templates: check the expression (macros of packages are called as package.macro(...))',
      cause: err,
    });
  }
}

function renderDeep(phase: NodeRenderer, node: ManifestNode, value: unknown, state: RenderState, context?: Record<string, unknown>): unknown {
  if (typeof value === 'string') return renderNative(phase, node, value, state, context);
  if (Array.isArray(value)) return value.map((v) => renderDeep(phase, node, v, state, context));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(phase, node, v, state, context)]));
  }
  return value;
}

/**
 * dbt's native rendering (quoted_native_concat): a template that is a single `{{ expression }}`
 * yields the expression's value (a relation, a list, a number...); anything else renders to text.
 * `context`: the node's context in `phase`, if the caller has one (literal calls are made in it).
 */
export function renderNative(phase: NodeRenderer, node: ManifestNode, text: string, state: RenderState, context?: Record<string, unknown>): unknown {
  const template = LOOKS_LIKE_FUNC.test(text) ? `{{ ${text} }}` : text;
  if (!HAS_RENDER_CHARS.test(template)) return template;
  // Jinja drops one trailing newline (a YAML block scalar's) before it looks at the template.
  const single = SINGLE_EXPRESSION.exec(template.endsWith('\n') ? template.slice(0, -1) : template);
  const called = single ? literalCall(phase, node, single[1] as string, state, context) : NOT_A_LITERAL_CALL;
  if (called !== NOT_A_LITERAL_CALL) return called;
  if (single && compiles(phase, node, captureTemplate(single[1] as string))) {
    let captured: unknown = null;
    const capture = (v: unknown) => {
      captured = v;
      return '';
    };
    phase.render(node, { ...state, extra: { ...state.extra, __tsdbt_capture: capture } }, captureTemplate(single[1] as string));
    return captured;
  }
  return phase.render(node, state, template).sql;
}

const NOT_A_LITERAL_CALL = Symbol('not a literal call');

/** Every generic test's `model` argument: `get_where_subquery(ref('m'))`. */
const WHERE_SUBQUERY_CALL = /^\s*get_where_subquery\s*\(([^()]*\([^()]*\))\s*\)\s*$/;

/**
 * `ref('x')` / `source('s', 't')` with literal arguments, and `get_where_subquery(...)` of one
 * (every test's `model`), called directly in the node's context: the same functions the template
 * would call, recording the same refs, without compiling a template for each test (each test's text
 * differs, and compiling it cost as much as the rest of the test's compile). A project macro that
 * overrides `ref` or `source` goes through the template.
 */
function literalCall(phase: NodeRenderer, node: ManifestNode, expression: string, state: RenderState, given?: Record<string, unknown>): unknown {
  const where = WHERE_SUBQUERY_CALL.exec(expression);
  const call = literalRelationCall(where ? (where[1] as string) : expression);
  if (!call) return NOT_A_LITERAL_CALL;
  const context = given ?? phase.contextFor(node, state);
  const fn = context[call.fn];
  if (typeof fn !== 'function' || MACRO in fn) return NOT_A_LITERAL_CALL;
  const relation = (fn as (...args: string[]) => unknown)(...call.args);
  if (!where) return relation;
  const macro = context.get_where_subquery;
  return typeof macro === 'function' ? callMacro(macro as (...args: unknown[]) => unknown, [relation]) : NOT_A_LITERAL_CALL;
}

/** A literal `ref('m')`, `ref('pkg', 'm')` or `source('s', 't')` call: the function and its arguments; null for anything else. */
function literalRelationCall(expression: string): { fn: 'ref' | 'source'; args: string[] } | null {
  const m = LITERAL_CALL.exec(expression);
  if (!m) return null;
  const first = m[2] ?? m[3] ?? '';
  const second = m[4] ?? m[5];
  return { fn: m[1] as 'ref' | 'source', args: second === undefined ? [first] : [first, second] };
}

/**
 * A generic test's `model` argument as the parse writes it, `{{ get_where_subquery(ref('m')) }}`
 * (or of a literal `source(...)`): the call inside; null for any other text.
 */
export function whereSubqueryOfLiteral(model: string): { fn: 'ref' | 'source'; args: string[] } | null {
  const single = SINGLE_EXPRESSION.exec(model);
  const where = single ? WHERE_SUBQUERY_CALL.exec(single[1] as string) : null;
  return where ? literalRelationCall(where[1] as string) : null;
}

function captureTemplate(expression: string): string {
  return `{{ __tsdbt_capture(${expression}) }}`;
}

/** `{{ a }} and {{ b }}` is not one expression: wrapping its inside does not parse. */
function compiles(phase: NodeRenderer, node: ManifestNode, source: string): boolean {
  try {
    phase.session.jinja.compile({ path: node.original_file_path, source });
    return true;
  } catch (err) {
    if (err instanceof TsdbtError && err.code === 'jinja-syntax') return false;
    throw err;
  }
}

/** The `ref(...)` or `source(...)` call that gives a generic test its `model` argument. */
export interface ModelCall {
  fn: 'ref' | 'source';
  args: string[];
  kwargs: Record<string, string>;
}

/**
 * The parse render of a generic test's macro (`macro`: `[namespace.]test_<name>`), called with the
 * test's `model` and arguments: its `config()` calls are pushed to `configCalls` and the `ref()` /
 * `source()` calls of its body to `relations` (graph/parse-generic-tests.ts applies them). The
 * parse render has no warehouse; a macro that fails there is judged when it runs.
 */
export function collectTestMacroConfig(
  parse: ParsePhase,
  node: ManifestNode,
  macro: string,
  model: ModelCall,
  args: Record<string, unknown>,
  configCalls: Record<string, unknown>[],
  relations: { refs: RefCall[]; sources: [string, string][] },
): void {
  // The template text names only the macro and ref/source, the call's arguments come from the
  // context: one compiled template serves every test of a macro (compiled once, not once per test).
  const extra = { _dbt_generic_test_kwargs: { ...args }, _dbt_test_model_args: model.args, _dbt_test_model_kwargs: model.kwargs };
  const state = { refs: [] as RefCall[], sources: [] as [string, string][], configCalls, extra };
  try {
    parse.render(node, state, `{{ ${macro}(model=${model.fn}(*_dbt_test_model_args, **_dbt_test_model_kwargs), **_dbt_generic_test_kwargs) }}`);
  } catch {
    // Reported when the test runs, with the line in the macro.
  }
  // The first call recorded is the template's own `model` argument, which the test's refs (or
  // sources) already hold, as dbt records it once, from the rendered arguments.
  for (const ref of model.fn === 'ref' ? state.refs.slice(1) : state.refs) relations.refs.push(ref);
  for (const source of model.fn === 'source' ? state.sources.slice(1) : state.sources) relations.sources.push(source);
}
