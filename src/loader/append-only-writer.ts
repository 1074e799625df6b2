// The batch writer where the warehouse has no transactions (ClickHouse): dead letters first, then
// the rows with an insert deduplication token made from the offset range, then the offset. The
// position on start is the furthest of the stored offset and the offsets recorded in the rows and
// dead letters themselves, so a crash between the steps re-reads nothing that was written.
import type { Adapter } from '../adapters/adapter.js';
import { utcTimestampText } from '../time/utc-text.js';
import { batchDecoder, type DeadLetter } from './batch-rows.js';
import { addOutcome, noOutcome, offsetRow, storedPositions, type BatchOutcome, type BatchWriter } from './batch-writer.js';
import type { KafkaSourceSpec } from './kafka-source.js';
import { DEAD_LETTER_COLUMNS, OFFSET_COLUMNS, type LoaderTables } from './loader-tables.js';
import type { MessageBatch } from './packed-messages.js';

/** ClickHouse: ordered, idempotent inserts (no transactions). */
export function appendOnlyBatchWriter(adapter: Adapter, tables: LoaderTables, spec: KafkaSourceSpec): BatchWriter {
  const sql = adapter.sql;
  const isDataError = (err: unknown) => adapter.rules.isDataError(err);
  const q = (value: string) => sql.quoteString(value);
  return {
    positions: () =>
      adapter.withConnection(async (conn) => {
        const positions = await storedPositions(conn, adapter, tables, spec);
        // The highest offset recorded per partition, in the rows and in the dead letters.
        const recorded = [
          adapter.queries.maxByGroup(tables.target, '_tsdbt_kafka_partition', '_tsdbt_kafka_offset', [['_tsdbt_kafka_topic', q(spec.topic)]]),
          adapter.queries.maxByGroup(tables.deadLetters, 'partition', 'offset', [['topic', q(spec.topic)]]),
        ];
        for (const query of recorded) {
          for (const row of (await conn.execute(query)).rows) {
            const partition = Number(row.group_value);
            positions.set(partition, Math.max(positions.get(partition) ?? 0, Number(row.max_value) + 1));
          }
        }
        return positions;
      }),

    // Only the stored offset moves: the rows and dead letters keep their offsets, and positions()
    // takes the furthest of them, so a reset below them (a recreated topic) does not hold here.
    reposition: async (partition, _from, to) => {
      await adapter.withConnection((conn) => conn.execute(sql.upsertValues(tables.offsets, OFFSET_COLUMNS, ['group_id', 'topic', 'partition'], [offsetRow(spec, partition, to, utcTimestampText(new Date()))])));
      return to;
    },

    write,
    sharesTransactions: false,
    // No transaction to share: each batch written as `write` writes it, one after the other.
    writeMany: async (writes) => {
      const total = noOutcome();
      for (const { partition, messages } of writes) addOutcome(total, await write(partition, messages));
      return total;
    },
  };

  function write(partition: number, messages: MessageBatch): Promise<BatchOutcome> {
    return adapter.withConnection(async (conn) => {
        const outcome: BatchOutcome = { inserted: 0, duplicates: 0, deadLetters: 0, skipped: 0 };
        const first = messages.firstOffset;
        const last = messages.lastOffset;
        if (first === undefined || last === undefined) return outcome;
        const loadedAt = utcTimestampText(new Date());
        const decoder = batchDecoder(spec, partition, loadedAt);
        const prepared = decoder.all(messages.messages());
        // Every message becomes a row, repeats of a key included: the table's ReplacingMergeTree on
        // the key collapses them when parts merge (or under FINAL), and each message's offset stays
        // recorded in the table, which is where a restart after a crash resumes from.
        const rows = prepared.rows;
        const token = `${spec.topic}/${partition}/${first}-${last}`;
        const writeDead = async (dead: DeadLetter[]) => {
          if (dead.length) await conn.execute(sql.upsertValues(tables.deadLetters, DEAD_LETTER_COLUMNS, ['topic', 'partition', 'offset'], dead));
          outcome.deadLetters += dead.length;
        };
        await writeDead(prepared.dead);
        if (rows.length) {
          try {
            outcome.inserted = await conn.bulkLoad(tables.target, tables.loadColumns, rows.map((r) => r.values), { insertToken: token });
          } catch (err) {
            if (!isDataError(err)) throw err;
            // One row at a time, in offset order, each refused row's dead letter written before the
            // next row: everything below the highest written offset is accounted for.
            for (const row of rows) {
              try {
                outcome.inserted += await conn.bulkLoad(tables.target, tables.loadColumns, [row.values], { insertToken: `${spec.topic}/${partition}/${row.message.offset}` });
              } catch (rowErr) {
                if (!isDataError(rowErr)) throw rowErr;
                await writeDead([decoder.deadLetter(row.message, (rowErr as Error).message)]);
              }
            }
          }
        }
        await conn.execute(sql.upsertValues(tables.offsets, OFFSET_COLUMNS, ['group_id', 'topic', 'partition'], [offsetRow(spec, partition, last + 1, loadedAt)]));
        return outcome;
    });
  }
}
