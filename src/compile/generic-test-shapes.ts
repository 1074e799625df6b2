// dbt's built-in `not_null` and `unique` tests, rendered once per shape instead of once per test.
// Their macros (global_project/macros/generic_tests.sql) only print their `model` and
// `column_name` arguments, so the text a test gets is the macro's text rendered with markers in
// place of the two arguments, each marker then replaced by what `{{ }}` prints for the test's own
// argument. A project of 10,000 models has 20,000 such tests, and calling the two macros of each
// (the test and its dispatched `default__` implementation, with `adapter.dispatch` and
// `should_store_failures()`) was half of their compile.
//
// The shape is the macro's only input besides the arguments: the node's package (which macros it
// sees) and its `store_failures` config (`should_store_failures()`). A test takes the usual path,
// rendering its macro, when anything could make its text depend on more: a macro of the project or
// a package named like one the render calls (or any other implementation `adapter.dispatch` could
// find), arguments other than `model` and `column_name`, a `store_failures` that is not a boolean.
import { runtime } from '../jinja/engine/runtime.js';
import { GLOBAL_NAMESPACE, type MacroScope } from '../jinja/dbt/macro-scope.js';
import type { ManifestNode } from '../manifest/types.js';
import { whereSubqueryOfLiteral } from './test-arguments.js';

/** The built-in tests whose macros print their arguments and do nothing else with them. */
const PRINTING_TESTS = new Set(['not_null', 'unique']);
/** What the render of those macros calls by name; a project macro of one of these names could read anything. */
const CALLED = ['adapter', 'config', 'return', 'should_store_failures'];

/** What a test's `model` argument calls by name (`{{ get_where_subquery(ref('m')) }}`, which reads `config.get('where')`). */
const MODEL_CALLED = ['get_where_subquery', 'ref', 'source', 'config', 'return'];

const MODEL = '\u0000tsdbt:model\u0000';
const COLUMN = '\u0000tsdbt:column_name\u0000';
const MARKERS = /(\u0000tsdbt:(?:model|column_name)\u0000)/;

/** A rendered shape: text pieces with the markers as their own pieces; null when it could not be rendered. */
type Shape = string[] | null;

export class GenericTestShapes {
  private readonly shapes = new Map<string, Shape>();
  private readonly eligible = new Map<string, boolean>();
  private readonly plainModel = new Map<string, boolean>();

  constructor(private readonly scope: MacroScope) {}

  /**
   * The test's compiled text (not trimmed), or undefined when it takes the usual path. `render`
   * renders the test's macro with the given arguments (in the test's context): called once per shape.
   */
  text(node: ManifestNode, kwargs: Record<string, unknown>, render: (kwargs: Record<string, unknown>) => unknown): string | undefined {
    const { model, column_name: column } = kwargs;
    if (typeof column !== 'string' || model === undefined || Object.keys(kwargs).length !== 2) return undefined;
    const key = this.shapeKey(node);
    if (key === undefined) return undefined;
    let shape = this.shapes.get(key);
    if (shape === undefined) {
      shape = renderShape(render);
      this.shapes.set(key, shape);
    }
    return shape === null ? undefined : fill(shape, model, column);
  }

  /**
   * The test's compiled text (not trimmed) without a context or a macro call, or undefined when
   * it takes `text`'s way: for a test whose arguments are as the parse writes them (`column_name`
   * and `model: "{{ get_where_subquery(ref('m')) }}"`, or of a literal `source(...)`), without a
   * `where` config, in a package where dbt's `get_where_subquery`, `ref`, `source` and `config`
   * are not replaced, and whose shape is rendered already. `get_where_subquery` then gives the
   * relation itself, which `resolve` (the phase's ref or source resolution) gives; a resolution
   * that fails leaves the test to `text`'s way, which reports it.
   */
  direct(node: ManifestNode, rawKwargs: Record<string, unknown>, resolve: (fn: 'ref' | 'source', args: string[]) => unknown): string | undefined {
    const { model, column_name: column } = rawKwargs;
    if (typeof column !== 'string' || typeof model !== 'string' || Object.keys(rawKwargs).length !== 2) return undefined;
    if (node.config.where !== undefined && node.config.where !== null) return undefined;
    const key = this.shapeKey(node);
    const shape = key === undefined ? undefined : this.shapes.get(key);
    if (!shape || !this.isPlainModel(node.package_name)) return undefined;
    const call = whereSubqueryOfLiteral(model);
    if (!call) return undefined;
    let relation: unknown;
    try {
      relation = resolve(call.fn, call.args);
    } catch {
      return undefined;
    }
    return fill(shape, relation, column);
  }

  /** The key of the test's shape, or undefined when its text could depend on more than its arguments. */
  private shapeKey(node: ManifestNode): string | undefined {
    const meta = node.test_metadata;
    if (!meta || meta.namespace || !PRINTING_TESTS.has(meta.name)) return undefined;
    const storeFailures = node.config.store_failures ?? null;
    if (storeFailures !== null && typeof storeFailures !== 'boolean') return undefined;
    if (!this.isEligible(node.package_name, meta.name)) return undefined;
    return `${node.package_name}\u0000${meta.name}\u0000${String(storeFailures)}`;
  }

  /** Whether a test's `model` argument in this package is dbt's get_where_subquery of dbt's ref or source. */
  private isPlainModel(packageName: string): boolean {
    let ok = this.plainModel.get(packageName);
    if (ok === undefined) {
      const own = this.scope.projectMacroNames(packageName);
      ok = MODEL_CALLED.every((name) => !own.has(name));
      this.plainModel.set(packageName, ok);
    }
    return ok;
  }

  /** Whether the test's render in this package reaches only dbt's own macros. */
  private isEligible(packageName: string, test: string): boolean {
    const key = `${packageName}\u0000${test}`;
    let ok = this.eligible.get(key);
    if (ok === undefined) {
      const own = this.scope.projectMacroNames(packageName);
      const macro = `test_${test}`;
      const implementations = this.scope.dispatchCandidates(macro, GLOBAL_NAMESPACE);
      ok =
        !own.has(macro) &&
        CALLED.every((name) => !own.has(name)) &&
        implementations.length === 1 &&
        implementations[0]?.[0] === GLOBAL_NAMESPACE &&
        implementations[0][1] === `default__${macro}`;
      this.eligible.set(key, ok);
    }
    return ok;
  }
}

/** A shape's text with the test's model and column put in. */
function fill(shape: string[], model: unknown, column: string): string {
  let out = '';
  for (const piece of shape) out += piece === MODEL ? runtime.S(model) : piece === COLUMN ? column : piece;
  return out;
}

function renderShape(render: (kwargs: Record<string, unknown>) => unknown): Shape {
  let text: string;
  try {
    text = String(render({ model: MODEL, column_name: COLUMN }));
  } catch {
    return null; // each test renders its macro, and reports what goes wrong there
  }
  return text.split(MARKERS).filter((piece) => piece !== '');
}
