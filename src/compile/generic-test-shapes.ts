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

/** The built-in tests whose macros print their arguments and do nothing else with them. */
const PRINTING_TESTS = new Set(['not_null', 'unique']);
/** What the render of those macros calls by name; a project macro of one of these names could read anything. */
const CALLED = ['adapter', 'config', 'return', 'should_store_failures'];

const MODEL = '\u0000tsdbt:model\u0000';
const COLUMN = '\u0000tsdbt:column_name\u0000';
const MARKERS = /(\u0000tsdbt:(?:model|column_name)\u0000)/;

/** A rendered shape: text pieces with the markers as their own pieces; null when it could not be rendered. */
type Shape = string[] | null;

export class GenericTestShapes {
  private readonly shapes = new Map<string, Shape>();
  private readonly eligible = new Map<string, boolean>();

  constructor(private readonly scope: MacroScope) {}

  /**
   * The test's compiled text (not trimmed), or undefined when it takes the usual path. `render`
   * renders the test's macro with the given arguments (in the test's context): called once per shape.
   */
  text(node: ManifestNode, kwargs: Record<string, unknown>, render: (kwargs: Record<string, unknown>) => unknown): string | undefined {
    const meta = node.test_metadata;
    if (!meta || meta.namespace || !PRINTING_TESTS.has(meta.name)) return undefined;
    const { model, column_name: column } = kwargs;
    if (typeof column !== 'string' || model === undefined || Object.keys(kwargs).length !== 2) return undefined;
    const storeFailures = node.config.store_failures ?? null;
    if (storeFailures !== null && typeof storeFailures !== 'boolean') return undefined;
    if (!this.isEligible(node.package_name, meta.name)) return undefined;
    const key = `${node.package_name}\u0000${meta.name}\u0000${String(storeFailures)}`;
    let shape = this.shapes.get(key);
    if (shape === undefined) {
      shape = renderShape(render);
      this.shapes.set(key, shape);
    }
    if (shape === null) return undefined;
    let out = '';
    for (const piece of shape) out += piece === MODEL ? runtime.S(model) : piece === COLUMN ? column : piece;
    return out;
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

function renderShape(render: (kwargs: Record<string, unknown>) => unknown): Shape {
  let text: string;
  try {
    text = String(render({ model: MODEL, column_name: COLUMN }));
  } catch {
    return null; // each test renders its macro, and reports what goes wrong there
  }
  return text.split(MARKERS).filter((piece) => piece !== '');
}
