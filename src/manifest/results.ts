// Results of running nodes, in run_results.json v6's vocabulary.
import type { TsdbtError } from '../errors/tsdbt-error.js';

/** What the warehouse said about a statement (adapters/adapter.ts re-exports it). */
export interface AdapterResponse {
  /** The database's status text, e.g. `SELECT 120`, `INSERT 0 5`, `CREATE VIEW`. */
  message: string;
  /** The command word, e.g. `SELECT`, `INSERT`, `CREATE`. */
  code: string;
  rowsAffected?: number;
  /** The warehouse's id of the statement (dbt's AdapterResponse.query_id; dbt-clickhouse's query_id). */
  queryId?: string;
}

/**
 * A response as run_results.json and hooks hold it, dbt's `AdapterResponse.to_dict(omit_none=True)`:
 * no `rows_affected` key when the warehouse reported none, so a hook's
 * `adapter_response.get('rows_affected')` is None, not Undefined.
 */
export function adapterResponseDict(response: Omit<AdapterResponse, 'code'> & { code?: string }): { _message: string; code?: string; rows_affected?: number; query_id?: string } {
  return {
    _message: response.message,
    code: response.code,
    ...(response.rowsAffected === undefined ? {} : { rows_affected: response.rowsAffected }),
    ...(response.queryId === undefined ? {} : { query_id: response.queryId }),
  };
}

/** dbt's node statuses: models/seeds/snapshots succeed or error; tests pass, warn, fail or error. */
export type NodeStatus = 'success' | 'error' | 'skipped' | 'pass' | 'fail' | 'warn' | 'no-op' | 'runtime error' | 'partial success';

export interface TimingInfo {
  name: 'compile' | 'execute';
  started_at: string;
  completed_at: string;
}

export interface NodeResult {
  unique_id: string;
  status: NodeStatus;
  timing: TimingInfo[];
  thread_id: string;
  /** Seconds. */
  execution_time: number;
  adapter_response: Partial<AdapterResponse> & Record<string, unknown>;
  message: string | null;
  /** Tests: number of failing rows (fail_calc). */
  failures: number | null;
  compiled_code?: string | null;
  relation_name?: string | null;
  /** Why the node was skipped, when it was. */
  skipped_because?: string;
  /** Microbatch models: the windows that succeeded and failed. */
  batch_results?: { successful: [string, string][]; failed: [string, string][] } | null;
  /** The error is one a retry may cure (connection lost, serialization failure), not the SQL's. */
  retriable?: boolean;
  /**
   * The error of a failed node, naming the node (not written to run_results.json; the summary groups
   * identical ones). On a `skipped` result, the error of an ephemeral model the node inlines: dbt's
   * "ERROR SKIP", which fails the run.
   */
  error?: TsdbtError;
}

/** The ephemeral model an error of node `nodeId` came from, when the node inlines it (not the node itself). */
export function ephemeralCause(error: TsdbtError, nodeId: string): string | undefined {
  return error.ephemeralId !== undefined && error.ephemeralId !== nodeId ? error.ephemeralId : undefined;
}

/** dbt's message for a node skipped because an ephemeral model it inlines did not compile. */
export function ephemeralSkipMessage(nodeId: string, ephemeralId: string): string {
  return `Compilation Error in ${nodeId}, caused by compilation error in referenced ephemeral model ${ephemeralId}`;
}

/** A node skipped because an ephemeral model it inlines failed to compile: an error, as dbt counts it. */
export function isErrorSkip(result: NodeResult): boolean {
  return result.status === 'skipped' && result.error !== undefined;
}

/**
 * A node failed in a way that should stop its descendants. A microbatch model with some failed
 * windows (`partial success`) blocks too: its table is incomplete, and building on it would
 * publish the gap downstream.
 */
export function blocksDescendants(result: NodeResult): boolean {
  return result.status === 'partial success' || result.status === 'error' || result.status === 'fail' || result.status === 'skipped' || result.status === 'runtime error';
}

/** A result that stops a fail-fast run: dbt's call_runner raises FailFastError on Error, Fail and PartialSuccess. */
export function failsFast(result: NodeResult): boolean {
  return result.status === 'error' || result.status === 'fail' || result.status === 'partial success' || result.status === 'runtime error';
}

/** The message of a node a fail-fast run did not run (dbt's execute_nodes, mark_node_as_skipped). */
export const FAIL_FAST_SKIP = 'Skipping due to fail_fast';

/** A result of a project hook (dbt's HookNode, `operation.<package>.<package>-on-run-end-<n>`), not of a node of the DAG. */
export function isHookResult(result: NodeResult): boolean {
  return /^operation\.[^.]+\.[^.]+-on-run-(start|end)-\d+$/.test(result.unique_id);
}
