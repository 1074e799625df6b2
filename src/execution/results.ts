// Results of running nodes, in run_results.json v6's vocabulary.
import type { AdapterResponse } from '../adapters/adapter.js';

/** dbt's node statuses: models/seeds/snapshots succeed or error; tests pass, warn, fail or error. */
export type NodeStatus = 'success' | 'error' | 'skipped' | 'pass' | 'fail' | 'warn' | 'no-op' | 'runtime error';

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
}

/** A node failed in a way that should stop its descendants. */
export function blocksDescendants(result: NodeResult): boolean {
  return result.status === 'error' || result.status === 'fail' || result.status === 'skipped' || result.status === 'runtime error';
}
