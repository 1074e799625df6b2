// Moves one Kafka topic into its source table, exactly once: every batch's rows, its dead letters
// and the partition's next offset are written in ONE transaction, and the consumer starts from the
// offsets stored in the warehouse (never from Kafka's committed offsets), so a crash at any
// instant neither loses nor duplicates an event. The idempotency key makes a producer's duplicate
// a no-op. A run with `untilEnd` stops at the end offsets seen when it started (`tsdbt load --once`).
import type { Adapter, Connection, LoadColumn } from '../adapters/adapter.js';
import type { Relation } from '../adapters/relation.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { decodeMessage } from './decode.js';
import type { KafkaConsumerHandle, KafkaMessage, KafkaTransport, Watermark } from './kafka-client.js';
import type { KafkaSourceSpec } from './kafka-source.js';

export const OFFSETS_TABLE = 'tsdbt_kafka_offsets';
/** The dead-letter table of a source table: `<table>__dlq`, in the same schema. */
export const deadLetterTable = (table: string) => `${table}__dlq`;

export interface LoadResult {
  /** New rows written. */
  loaded: number;
  /** Messages whose key was already loaded (redeliveries, producer retries). */
  duplicates: number;
  /** Messages written to the dead-letter table instead. */
  deadLetters: number;
  /** Messages read. */
  messages: number;
}

interface Tables {
  target: Relation;
  offsets: Relation;
  deadLetters: Relation;
  batch: Relation;
  loadColumns: LoadColumn[];
}

async function ensureTables(adapter: Adapter, conn: Connection, spec: KafkaSourceSpec): Promise<Tables> {
  const { source } = spec;
  const sql = adapter.sql;
  const relation = (identifier: string) => adapter.relation({ database: source.database, schema: source.schema, identifier, type: 'table' });
  await adapter.createSchemaIfMissing(conn, source.database, source.schema);
  const loadColumns: LoadColumn[] = [
    ...spec.columns.map((c) => ({ name: c.name, dataType: c.dataType })),
    { name: '_tsdbt_kafka_topic', dataType: sql.typeFor('text') },
    { name: '_tsdbt_kafka_partition', dataType: sql.typeFor('integer') },
    { name: '_tsdbt_kafka_offset', dataType: sql.typeFor('bigint') },
    { name: '_tsdbt_loaded_at', dataType: sql.typeFor('timestamp') },
  ];
  const target = relation(source.identifier);
  await conn.execute(sql.createTableIfMissing(target, loadColumns, spec.key ? [spec.key] : null));
  const offsets = relation(OFFSETS_TABLE);
  await conn.execute(
    sql.createTableIfMissing(
      offsets,
      [
        { name: 'group_id', dataType: sql.typeFor('text') },
        { name: 'topic', dataType: sql.typeFor('text') },
        { name: 'partition', dataType: sql.typeFor('integer') },
        { name: 'next_offset', dataType: sql.typeFor('bigint') },
        { name: 'updated_at', dataType: sql.typeFor('timestamp') },
      ],
      ['group_id', 'topic', 'partition'],
    ),
  );
  const deadLetters = relation(deadLetterTable(source.identifier));
  await conn.execute(
    sql.createTableIfMissing(
      deadLetters,
      [
        { name: 'topic', dataType: sql.typeFor('text') },
        { name: 'partition', dataType: sql.typeFor('integer') },
        { name: 'offset', dataType: sql.typeFor('bigint') },
        { name: 'key', dataType: sql.typeFor('text') },
        { name: 'payload', dataType: sql.typeFor('text') },
        { name: 'error', dataType: sql.typeFor('text') },
        { name: 'failed_at', dataType: sql.typeFor('timestamp') },
      ],
      ['topic', 'partition', 'offset'],
    ),
  );
  return { target, offsets, deadLetters, batch: sql.temporaryRelation(`tsdbt_kafka_batch_${source.identifier}`.slice(0, 60)), loadColumns };
}

async function storedOffsets(conn: Connection, adapter: Adapter, tables: Tables, spec: KafkaSourceSpec): Promise<Map<number, number>> {
  const q = adapter.sql.quoteString;
  const { rows } = await conn.execute(`select partition, next_offset from ${tables.offsets.render()} where group_id = ${q(spec.groupId)} and topic = ${q(spec.topic)}`);
  return new Map(rows.map((r) => [Number(r.partition), Number(r.next_offset)]));
}

/** A value the warehouse refused for its column (bad number, date, JSON...): the message's fault. */
function isDataError(err: unknown): boolean {
  const e = err as { category?: string; code?: string };
  return e.category === 'database' && typeof e.code === 'string' && /^(sqlstate-22|sqlstate-23502|clickhouse-(6|27|38|41|53|69|70|72)$)/.test(e.code);
}

interface Row {
  values: (string | null)[];
  message: KafkaMessage;
}

/**
 * Copies the decoded rows into the batch table. When the warehouse refuses a value, the batch is
 * copied again row by row, each in a savepoint, and the refused rows become dead letters with the
 * warehouse's error: a bad value never stops the stream, and is never dropped silently.
 */
async function stageRows(tx: Connection, tables: Tables, rows: Row[], dead: (string | number | null)[][], deadLetter: (m: KafkaMessage, error: string) => (string | number | null)[]): Promise<number> {
  try {
    await tx.transaction((sp) => sp.bulkLoad(tables.batch, tables.loadColumns, rows.map((r) => r.values)));
    return rows.length;
  } catch (err) {
    if (!isDataError(err)) throw err;
  }
  let staged = 0;
  for (const row of rows) {
    try {
      await tx.transaction((sp) => sp.bulkLoad(tables.batch, tables.loadColumns, [row.values]));
      staged++;
    } catch (err) {
      if (!isDataError(err)) throw err;
      dead.push(deadLetter(row.message, (err as Error).message));
    }
  }
  return staged;
}

/** Writes one partition's messages [first, last] and its next offset in one transaction. */
async function writeBatch(adapter: Adapter, tables: Tables, spec: KafkaSourceSpec, partition: number, messages: KafkaMessage[], result: LoadResult): Promise<void> {
  const loadedAt = new Date().toISOString().replace('T', ' ').replace('Z', '');
  const rows: Row[] = [];
  const dead: (string | number | null)[][] = [];
  const deadLetter = (m: KafkaMessage, error: string) => [spec.topic, partition, m.offset, m.key?.toString('utf8') ?? null, m.value?.toString('utf8') ?? null, error, loadedAt];
  for (const m of messages) {
    const decoded = decodeMessage(spec, m.value);
    if (decoded.ok) rows.push({ values: [...decoded.values, spec.topic, String(partition), String(m.offset), loadedAt], message: m });
    else dead.push(deadLetter(m, decoded.reason));
  }
  const next = (messages[messages.length - 1]?.offset ?? -1) + 1;
  const sql = adapter.sql;
  await adapter.withConnection((conn) =>
    conn.transaction(async (tx) => {
      const batchDead = [...dead];
      let inserted = 0;
      let staged = 0;
      if (rows.length) {
        await tx.execute(sql.createBatchTable(tables.batch, tables.loadColumns));
        staged = await stageRows(tx, tables, rows, batchDead, deadLetter);
        const names = tables.loadColumns.map((c) => c.name);
        if (staged) inserted = (await tx.execute(sql.insertNewRows(tables.target, tables.batch, names, spec.key ? [spec.key] : null, ['_tsdbt_kafka_partition', '_tsdbt_kafka_offset']))).response.rowsAffected ?? staged;
      }
      if (batchDead.length) {
        await tx.execute(sql.upsertValues(tables.deadLetters, ['topic', 'partition', 'offset', 'key', 'payload', 'error', 'failed_at'], ['topic', 'partition', 'offset'], batchDead));
      }
      await tx.execute(
        sql.upsertValues(tables.offsets, ['group_id', 'topic', 'partition', 'next_offset', 'updated_at'], ['group_id', 'topic', 'partition'], [[spec.groupId, spec.topic, partition, next, loadedAt]]),
      );
      result.loaded += inserted;
      result.duplicates += staged - inserted;
      result.deadLetters += batchDead.length;
      result.messages += messages.length;
    }),
  );
}

export interface LoadOptions {
  transport: KafkaTransport;
  /** Stop at the end offsets seen at the start (`--once`). */
  untilEnd: boolean;
  /** Continuous mode: stops when aborted. */
  signal?: AbortSignal;
  /** For messages: where the brokers are. */
  brokersLabel?: string;
}

/** Loads one Kafka-fed source. */
export async function loadSource(adapter: Adapter, spec: KafkaSourceSpec, options: LoadOptions): Promise<LoadResult> {
  const result: LoadResult = { loaded: 0, duplicates: 0, deadLetters: 0, messages: 0 };
  // Several loaders may start at once: one creates the tables while the others wait on its lock
  // (CREATE TABLE IF NOT EXISTS alone races on PostgreSQL's catalog).
  const tables = await adapter.withConnection((conn) =>
    conn.transaction(async (tx) => {
      await adapter.lockRelation(tx, adapter.relation({ database: spec.source.database, schema: spec.source.schema, identifier: spec.source.identifier, type: 'table' }));
      return ensureTables(adapter, tx, spec);
    }),
  );
  const stored = await adapter.withConnection((conn) => storedOffsets(conn, adapter, tables, spec));
  let ends: Watermark[];
  try {
    ends = await options.transport.watermarks(spec.topic);
  } catch (err) {
    throw new TsdbtError(`cannot read topic '${spec.topic}' from Kafka at ${options.brokersLabel ?? 'the brokers'}: ${(err as Error).message}`, {
      code: 'kafka-unreachable',
      category: 'database',
      retriable: true,
      hint: 'check --brokers (or TSDBT_KAFKA_BROKERS, or kafka.brokers in the profile target) and that the topic exists',
      cause: err,
    });
  }
  // Where each partition resumes: the warehouse's stored offset, else the configured start.
  const next = new Map<number, number>();
  const end = new Map<number, number>();
  /** Where a partition nobody has written yet starts (earliest: its low watermark). */
  const initial = new Map<number, number>();
  for (const w of ends) {
    initial.set(w.partition, spec.start === 'earliest' ? w.low : w.high);
    next.set(w.partition, stored.get(w.partition) ?? (initial.get(w.partition) as number));
    end.set(w.partition, w.high);
  }
  const pending = (only?: Set<number>) => [...next.entries()].filter(([p, n]) => n < (end.get(p) ?? 0) && (!only || only.has(p)));
  if (options.untilEnd && pending().length === 0) return result;
  /** The partitions this member owns (members of one group share them), known after joining. */
  let assigned: Set<number> | null = null;

  // The positions live in the warehouse, keyed by the source's group_id. The Kafka consumer group
  // (the same id) only shares the partitions among processes; its committed offsets are unused.
  const transportGroup = spec.groupId;
  let failure: unknown = null;
  let handle: KafkaConsumerHandle | null = null;
  /** The batch being written: a stop waits for it to commit. */
  let inFlight: Promise<void> | null = null;
  try {
    await new Promise<void>((resolve) => {
      // --once ends when the whole topic is loaded up to the end offsets, not just this member's
      // partitions: another member may leave with work undone, and its partitions move here. The
      // warehouse's offsets say what every member has written.
      let checking = false;
      const finishIfDone = () => {
        if (options.signal?.aborted) return resolve();
        if (!options.untilEnd || !assigned || pending(assigned).length > 0 || checking) return;
        checking = true;
        void adapter
          .withConnection((conn) => storedOffsets(conn, adapter, tables, spec))
          .then((latest) => {
            checking = false;
            if ([...end.entries()].every(([p, high]) => (latest.get(p) ?? initial.get(p) ?? 0) >= high)) resolve();
            else setTimeout(finishIfDone, 250);
          })
          .catch(() => {
            checking = false;
            setTimeout(finishIfDone, 250);
          });
      };
      options.signal?.addEventListener('abort', () => resolve(), { once: true });
      void options.transport
        .consume(
          spec.topic,
          {
            groupId: transportGroup,
            fromBeginning: spec.start === 'earliest',
            onAssigned: (partitions) => {
              assigned = new Set(partitions);
              // Each owned partition starts at the warehouse's position (another member may have
              // moved it since this process read the offsets).
              void adapter
                .withConnection((conn) => storedOffsets(conn, adapter, tables, spec))
                .then((latest) => {
                  for (const partition of partitions) {
                    const offset = Math.max(next.get(partition) ?? 0, latest.get(partition) ?? 0);
                    next.set(partition, offset);
                    handle?.seek(partition, offset);
                  }
                  finishIfDone();
                });
            },
          },
          async ({ partition, messages: fetched }, control) => {
          const from = next.get(partition) ?? 0;
          const stop = options.untilEnd ? (end.get(partition) ?? 0) : Number.POSITIVE_INFINITY;
          const messages = fetched.filter((m) => m.offset >= from && m.offset < stop);
          const first = messages[0];
          const last = messages[messages.length - 1];
          // A fetch that starts past the stored position (before our seek took effect) is never
          // written: writing it would skip messages. Seek again and wait for the right one.
          if (first && first.offset !== from) {
            control.seek(partition, from);
            return;
          }
          try {
            if (last) {
              inFlight = writeBatch(adapter, tables, spec, partition, messages, result);
              await inFlight;
              next.set(partition, last.offset + 1);
              control.done(partition, last.offset);
            }
          } catch (err) {
            failure = err;
            resolve();
            throw err;
          }
          finishIfDone();
        })
        .then((h) => {
          handle = h;
          for (const partition of assigned ?? []) h.seek(partition, next.get(partition) ?? 0);
          finishIfDone();
        })
        .catch((err: unknown) => {
          failure = err;
          resolve();
        });
    });
  } finally {
    await (inFlight as Promise<void> | null)?.catch(() => undefined);
    await (handle as KafkaConsumerHandle | null)?.stop().catch(() => undefined);
  }
  if (failure) throw failure;
  return result;
}
