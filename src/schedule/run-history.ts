// The scheduler's run history: one row per tick in `<target schema>.tsdbt_runs` (start, end,
// status, selection, nodes ok / error / skipped, error text), written when a run starts and again
// when it ends, so a build that never finished shows as `running`.
import type { Adapter, FixtureValue } from '../adapters/adapter.js';
import { utcTimestampText } from '../time/utc-text.js';

export type RunStatus = 'running' | 'success' | 'error' | 'timeout' | 'cancelled' | 'skipped';

export interface RunRecord {
  runId: string;
  startedAt: Date;
  endedAt: Date | null;
  status: RunStatus;
  selected: string;
  nodesOk: number;
  nodesError: number;
  nodesSkipped: number;
  error: string | null;
}

export const RUNS_TABLE = 'tsdbt_runs';
const COLUMNS = ['run_id', 'started_at', 'ended_at', 'status', 'selected', 'nodes_ok', 'nodes_error', 'nodes_skipped', 'error'];

const timestamp = (at: Date | null) => (at ? utcTimestampText(at) : null);

export async function recordRun(adapter: Adapter, record: RunRecord): Promise<void> {
  const { sql, target } = adapter;
  const table = adapter.relation({ database: target.database ?? null, schema: target.schema, identifier: RUNS_TABLE, type: 'table' });
  const types = ['text', 'timestamp', 'timestamp', 'text', 'text', 'integer', 'integer', 'integer', 'text'] as const;
  const row: FixtureValue[] = [record.runId, timestamp(record.startedAt), timestamp(record.endedAt), record.status, record.selected, record.nodesOk, record.nodesError, record.nodesSkipped, record.error];
  await adapter.withConnection(async (conn) => {
    await adapter.createSchemaIfMissing(conn, target.database ?? null, target.schema);
    await conn.execute(sql.createTableIfMissing(table, COLUMNS.map((name, i) => ({ name, dataType: sql.typeFor(types[i] as (typeof types)[number]) })), ['run_id']));
    await conn.execute(sql.upsertValues(table, COLUMNS, ['run_id'], [row]));
  });
}
