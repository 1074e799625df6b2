// What templates reach the warehouse through at execution time: `adapter.execute`,
// `adapter.get_relation`, `adapter.get_columns_in_relation`, ... and the `store_result` /
// `load_result` pair that dbt's `statement` block and `run_query` are built on. Each call is a
// question to the current render's replay (render-replay.ts); at parse time (`execute` false) they
// answer as dbt's parser does: no relation, no columns, no rows, and nothing is changed, whatever
// the arguments (dbt's `@available.parse_none` / `parse_list` replace the whole method while parsing,
// so `adapter.get_columns_in_relation(adapter.get_relation(...))` parses though the relation is None).
// The members themselves live in warehouse-statements.ts and warehouse-relations.ts, over what they
// share (warehouse-access.ts); this module puts them together per phase and connects them.
import type { Adapter } from '../../adapters/adapter.js';
import { standardizeGrantsDict } from './materialization-context.js';
import { snapshotMembers } from './snapshot-members.js';
import type { ApiColumn } from './api-column.js';
import { callArgs } from '../pylib/args/index.js';
import type { RenderPhase } from './render-state.js';
import { WarehouseRenders, type RenderReplay, type RunState } from './render-replay.js';
import { warehouseAccess, type TemplateWarehouseOptions } from './warehouse-access.js';
import { dialectQuestions, resultStore, statementCalls } from './warehouse-statements.js';
import { columnComparisons, relationChanges, relationQuestions } from './warehouse-relations.js';

export { relationArgument } from './warehouse-access.js';
export type { TemplateResponse, TemplateWarehouseOptions } from './warehouse-access.js';

/** The warehouse members of a template context for one phase. */
export interface WarehouseMembers {
  /** Merged into `adapter`. */
  adapter: Record<string, unknown>;
  /** Top-level context functions. */
  context: Record<string, unknown>;
}

/** The `adapter.*` calls and context functions a template reaches the warehouse through, for one render phase. */
export function warehouseMembers(options: TemplateWarehouseOptions, phase: RenderPhase): WarehouseMembers {
  const w = warehouseAccess(options, phase);
  const relations = relationQuestions(w);
  const snapshot = snapshotMembers({ parse: w.parse, columnsIn: (relation) => (relations.get_columns_in_relation as (r: unknown) => ApiColumn[])(relation) });
  return {
    // dbt's standardize_grants_dict is an adapter method every template may call (apply_grants does, from any materialization).
    adapter: { ...statementCalls(w), ...relations, ...relationChanges(w), ...columnComparisons(w), ...dialectQuestions(w, options), ...snapshot, standardize_grants_dict: (...values: unknown[]) => standardizeGrantsDict(callArgs(values, ['grants_table']).grants_table) },
    context: resultStore(w),
  };
}

/** Warehouse members for renders that are not connected: parse-time answers, and a clear error at execution time. */
export const offlineWarehouse = (() => {
  const perPhase = new Map<RenderPhase, WarehouseMembers>();
  return (phase: RenderPhase): WarehouseMembers => {
    let members = perPhase.get(phase);
    if (!members) perPhase.set(phase, (members = warehouseMembers({ adapter: null, renders: null, log: () => undefined }, phase)));
    return members;
  };
})();

/**
 * Connects a project's templates to the warehouse for the rest of the command: execute-phase
 * renders run through the returned WarehouseRenders (Compiler.withWarehouse) answer their
 * `run_query` / `adapter.*` calls on the connection they are given.
 */
export function connectTemplates(session: { attachWarehouse(members: (phase: RenderPhase) => WarehouseMembers, replay: () => RenderReplay | null): void; runState?: RunState }, adapter: Adapter, log: (message: string) => void): WarehouseRenders {
  const renders = new WarehouseRenders();
  renders.runState = session.runState ?? null;
  session.attachWarehouse((phase) => warehouseMembers({ adapter, renders, log }, phase), () => renders.current);
  return renders;
}
