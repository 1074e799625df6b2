// What a Kafka load left in a warehouse project, for the exactly-once tests that kill `tsdbt load`:
// the loaded rows as `partition/offset event_id` and the stored position per partition, and the
// rows the table must hold for those positions (every message below them, nothing else).
import type { WarehouseProject } from './warehouse-project.js';

export interface LoadedState {
  rows: string[];
  positions: Map<number, number>;
}

/** The rows of `<schema>_raw.events` and the positions in `<schema>_raw.tsdbt_kafka_offsets` (empty before the first write). */
export async function loadedState(p: WarehouseProject): Promise<LoadedState> {
  const rows = await p.sql(`select _tsdbt_kafka_partition as p, _tsdbt_kafka_offset::int as o, event_id from ${p.schema}_raw.events`).catch(() => []);
  const stored = await p.sql(`select "partition" as p, next_offset::int as n from ${p.schema}_raw.tsdbt_kafka_offsets`).catch(() => []);
  return { rows: rows.map((r) => `${String(r.p)}/${String(r.o)} ${String(r.event_id)}`).sort(), positions: new Map(stored.map((s) => [Number(s.p), Number(s.n)])) };
}

/** What the table must hold when the positions are `positions`; `oracle` maps each key sent to its `partition/offset`. */
export function expectedBelow(oracle: Map<string, string>, positions: Map<number, number>): string[] {
  return [...oracle.entries()]
    .filter(([, at]) => {
      const [partition, offset] = at.split('/').map(Number) as [number, number];
      return offset < (positions.get(partition) ?? 0);
    })
    .map(([key, at]) => `${at} ${key}`)
    .sort();
}
