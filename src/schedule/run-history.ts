// The scheduler's run history: one row per tick in `<target schema>.tsdbt_runs` (start, end,
// status, selection, nodes ok / error / skipped, error text), written when a run starts and again
// when it ends. A run whose scheduler died (kill -9, a crash, a lost machine) never writes its end:
// the next scheduler to take the run lock marks every such `running` row `abandoned`, since no
// scheduler can still be building it once the lock is free.
import type { Adapter, Connection, FixtureValue } from '../adapters/adapter.js';
import type { Relation } from '../adapters/relation.js';
import { utcTimestampText } from '../time/utc-text.js';

export type RunStatus = 'running' | 'success' | 'error' | 'timeout' | 'cancelled' | 'skipped' | 'abandoned';

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
const TYPES = ['text', 'timestamp', 'timestamp', 'text', 'text', 'integer', 'integer', 'integer', 'text'] as const;

const timestamp = (at: Date | null) => (at ? utcTimestampText(at) : null);

function runsTable(adapter: Adapter): Relation {
  const { target } = adapter;
  return adapter.relation({ database: target.database ?? null, schema: target.schema, identifier: RUNS_TABLE, type: 'table' });
}

async function ensureRunsTable(adapter: Adapter, conn: Connection, table: Relation): Promise<void> {
  const { sql, target } = adapter;
  await adapter.createSchemaIfMissing(conn, target.database ?? null, target.schema);
  await conn.execute(sql.createTableIfMissing(table, COLUMNS.map((name, i) => ({ name, dataType: sql.typeFor(TYPES[i] as (typeof TYPES)[number]) })), ['run_id']));
}

function upsert(adapter: Adapter, table: Relation, records: RunRecord[]): string {
  const rows: FixtureValue[][] = records.map((r) => [r.runId, timestamp(r.startedAt), timestamp(r.endedAt), r.status, r.selected, r.nodesOk, r.nodesError, r.nodesSkipped, r.error]);
  return adapter.sql.upsertValues(table, COLUMNS, ['run_id'], rows);
}

export async function recordRun(adapter: Adapter, record: RunRecord): Promise<void> {
  const table = runsTable(adapter);
  await adapter.withConnection(async (conn) => {
    await ensureRunsTable(adapter, conn, table);
    await conn.execute(upsert(adapter, table, [record]));
  });
}

/**
 * Marks `abandoned` every run still `running` in the history: called by the holder of the run lock
 * before it builds, when no other scheduler can be running one. Its end stays unknown (null); the
 * error says what happened. Returns the runs it marked.
 */
export async function markAbandonedRuns(adapter: Adapter, byRunId: string): Promise<RunRecord[]> {
  const table = runsTable(adapter);
  return adapter.withConnection(async (conn) => {
    await ensureRunsTable(adapter, conn, table);
    // Where an upsert is an insert read back last-wins (ClickHouse), a run has a `running` row and
    // maybe a final one: a run is abandoned when every row of it says `running`.
    const { rows } = await conn.execute(adapter.queries.keysWhereEveryRow(table, 'run_id', ['status', adapter.sql.quoteString('running')], ['started_at', 'selected']));
    const abandoned: RunRecord[] = rows.map((row) => ({
      runId: String(row.run_id),
      startedAt: adapter.rules.readTimestamp(row.started_at),
      endedAt: null,
      status: 'abandoned',
      selected: String(row.selected),
      nodesOk: 0,
      nodesError: 0,
      nodesSkipped: 0,
      error: `its scheduler stopped without recording the end (killed, crashed or lost); found by run ${byRunId}, which took the run lock`,
    }));
    if (abandoned.length) await conn.execute(upsert(adapter, table, abandoned));
    return abandoned;
  });
}
