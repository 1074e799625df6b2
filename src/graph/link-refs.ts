// Refs, sources and function() calls linked into each node's depends_on once every package is
// parsed, a test of a disabled or missing node disabled as dbt's process_refs does, and each unit
// test's inputs resolved against its model.
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { ParsePhase } from '../compile/parse-phase.js';
import { disableTest, disablesInstead } from './property-data-tests.js';
import type { RefIndex } from './ref-index.js';

import { nodeRefOf } from '../manifest/node-ref.js';
import { checkUnitTestInputs } from './parse-unit-tests.js';
import type { Manifest, ManifestNode, UnitTestInput } from '../manifest/types.js';
import { recordValues } from '../manifest/record-values.js';

/** A ref or source() that failed because its target did not parse (see Unparsed). */
const UNPARSED = new Set(['ref-unparsed', 'source-unparsed']);

/**
 * Link refs and sources into depends_on. As in dbt (process_refs), a data test whose ref or source
 * is disabled or missing is disabled instead of failing the parse (packages switch features off
 * this way): silently for a disabled ref, with a warning otherwise; so is a unit test of a disabled
 * model (process_models_for_unit_test). Any other node fails.
 */
export function linkRefsAndSources(manifest: Manifest, refs: RefIndex, disabled: ManifestNode[], session: ParsePhase): void {
  for (const node of recordValues(manifest.nodes)) {
    const parents = new Set<string>();
    const unresolved: TsdbtError[] = [];
    const link = (resolve: () => string) => {
      try {
        parents.add(resolve());
      } catch (err) {
        // A ref to what did not parse: that node's own error is the one to report.
        if (err instanceof TsdbtError && UNPARSED.has(err.code)) return;
        if (err instanceof TsdbtError && disablesInstead(node, err)) unresolved.push(err);
        else session.fail(err);
      }
    };
    // dbt's order: process_sources runs before process_refs, so depends_on lists sources first.
    for (const [s, t] of node.sources) link(() => refs.resolveSource(s, t, node).unique_id);
    for (const call of node.refs) link(() => refs.resolveRef(call, node).unique_id);
    for (const call of node.functions ?? []) link(() => refs.resolveFunction(call, node).unique_id);
    node.depends_on.nodes = [...parents];
    if (unresolved.length > 0) disableTest(node, unresolved, manifest, disabled);
  }
}

/** Each unit test against its model: the model exists and is SQL, an input without rows is a seed (checkUnitTestInputs). */
export function checkUnitTests(manifest: Manifest, refs: RefIndex, session: ParsePhase, seedPaths: readonly string[]): void {
  const resolveInput = (input: UnitTestInput, from: ManifestNode) =>
    input.ref ? refs.resolveRef(input.ref, from).unique_id : refs.resolveSource(input.source?.[0] ?? '', input.source?.[1] ?? '', from).unique_id;
  for (const node of recordValues(manifest.nodes)) {
    if (node.resource_type !== 'unit_test') continue;
    try {
      checkUnitTestInputs(node, manifest, resolveInput, seedPaths);
    } catch (err) {
      session.fail(err, node.original_file_path, nodeRefOf(node));
    }
  }
}
