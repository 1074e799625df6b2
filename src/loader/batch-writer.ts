// Writes one partition's batch of messages and moves the partition's stored position past it, so
// that a crash at any instant neither loses nor duplicates an event. Two ways, picked by what the
// warehouse can do:
// - transactional (PostgreSQL): rows, dead letters and the next offset in ONE transaction, the rows
//   COPYed into a staging table and inserted with the key's ON CONFLICT DO NOTHING; or first
//   COPYed straight into the table when its unique index on the key refuses any key it holds
//   already or that comes twice (see `copyDirect`: a refusal rolls back, then the staging table);
// - append-only (ClickHouse, no transactions): append-only-writer.ts.
import { queueStatement, type Adapter, type Connection, type FixtureValue } from '../adapters/adapter.js';
import { utcTimestampText } from '../time/utc-text.js';
import { batchDecoder, binaryLoadColumns, loadRows, loadRowsBinary, type BinaryLoad, type DeadLetter, type DecodedPart } from './batch-rows.js';
import { ChunkPool } from './copy-text.js';
import type { MessageBatch } from './packed-messages.js';
import type { KafkaSourceSpec } from './kafka-source.js';
import { DEAD_LETTER_COLUMNS, OFFSET_COLUMNS, type LoaderTables } from './loader-tables.js';

export interface BatchOutcome {
  /** New rows written. */
  inserted: number;
  /** Messages whose key was already loaded, or came twice in the batch. */
  duplicates: number;
  deadLetters: number;
  /** Messages another member of the group had written already (a rebalance raced this batch). */
  skipped: number;
}

export interface BatchWriter {
  /** Where each partition resumes: every earlier message is in the table or the dead letters. */
  positions(): Promise<Map<number, number>>;
  /** Writes contiguous messages of one partition and stores the position after the last. */
  write(partition: number, messages: MessageBatch): Promise<BatchOutcome>;
  /**
   * Writes several partitions' batches (one each at most) and stores each one's position: in one
   * transaction where the warehouse has them, each partition locked and its position checked in it,
   * as `write` does for one. Returns their outcomes added up.
   */
  writeMany(writes: PartitionWrite[]): Promise<BatchOutcome>;
  /** Whether writeMany writes its batches in one transaction (else one after the other: nothing gained by grouping them). */
  readonly sharesTransactions: boolean;
  /**
   * Reads ahead what the first write asks the warehouse's catalog, while the first fetches arrive
   * (optional; never fails: the first write asks again and reports).
   */
  prepare?(): Promise<void>;
  /**
   * Moves a partition's stored position from `from` (undefined: none stored) to `to` (offset_reset
   * after the log moved under it), unless another member moved it meanwhile. Returns the position
   * stored afterwards.
   */
  reposition(partition: number, from: number | undefined, to: number): Promise<number>;
}

/** One partition's batch in a `writeMany`. */
export interface PartitionWrite {
  partition: number;
  messages: MessageBatch;
}

export const noOutcome = (): BatchOutcome => ({ inserted: 0, duplicates: 0, deadLetters: 0, skipped: 0 });

/** `total` with `more` added to it. */
export function addOutcome(total: BatchOutcome, more: BatchOutcome): BatchOutcome {
  total.inserted += more.inserted;
  total.duplicates += more.duplicates;
  total.deadLetters += more.deadLetters;
  total.skipped += more.skipped;
  return total;
}

/** The next offset of each partition (or of one) the offsets table stores for the source's group. */
export async function storedPositions(conn: Connection, adapter: Adapter, tables: LoaderTables, spec: KafkaSourceSpec, partition?: number): Promise<Map<number, number>> {
  const q = (value: string) => adapter.sql.quoteString(value);
  const where: [string, string][] = [['group_id', q(spec.groupId)], ['topic', q(spec.topic)], ...(partition === undefined ? [] : [['partition', String(partition)] as [string, string]])];
  const { rows } = await conn.execute(adapter.queries.maxByGroup(tables.offsets, 'partition', 'next_offset', where));
  return new Map(rows.map((r) => [Number(r.group_value), Number(r.max_value)]));
}

export function offsetRow(spec: KafkaSourceSpec, partition: number, next: number, at: string): FixtureValue[] {
  return [spec.groupId, spec.topic, partition, next, at];
}

/** After the table refused a direct COPY, this many batches go through the staging table before the next try. */
export const DIRECT_RETRY_AFTER = 16;

/** The table refused a batch's direct COPY (its transaction is rolled back; the staging table takes the batch). */
class DirectCopyRefused extends Error {}

/** PostgreSQL: one transaction per batch. */
export function transactionalBatchWriter(adapter: Adapter, tables: LoaderTables, spec: KafkaSourceSpec): BatchWriter {
  return new TransactionalBatchWriter(adapter, tables, spec);
}

/** transactionalBatchWriter's writer: what it remembers between batches is whether to try the direct COPY. */
class TransactionalBatchWriter implements BatchWriter {
  readonly sharesTransactions = true;
  /**
   * The direct COPY into the table is only as safe as the ON CONFLICT it replaces when the table
   * itself refuses a key it holds: without a key nothing deduplicates anyway; with one, a unique
   * index on exactly the key must exist (a table made before the key was declared may lack it:
   * there the staging path's ON CONFLICT fails as it always did). Read once per load.
   */
  private directAllowed: Promise<boolean> | null = null;
  /** The table's rows in COPY's binary format on the direct path (null: as text), read once per load. */
  private binary: Promise<BinaryLoad | null> | null = null;
  /** Batches left to write through the staging table after the table refused a direct COPY. */
  private stagedAfterRefusal = 0;
  /** The COPY text's buffers, used again from one write to the next. */
  private readonly chunkPool = new ChunkPool();

  constructor(
    private readonly adapter: Adapter,
    private readonly tables: LoaderTables,
    private readonly spec: KafkaSourceSpec,
  ) {}

  positions(): Promise<Map<number, number>> {
    return this.adapter.withConnection((conn) => storedPositions(conn, this.adapter, this.tables, this.spec));
  }

  reposition(partition: number, from: number | undefined, to: number): Promise<number> {
    const { adapter, tables, spec } = this;
    return adapter.withConnection((conn) =>
      conn.transaction(async (tx) => {
        await this.lockPartition(tx, partition);
        const stored = (await storedPositions(tx, adapter, tables, spec, partition)).get(partition);
        if (stored !== from) return stored ?? to;
        await tx.execute(adapter.sql.upsertValues(tables.offsets, OFFSET_COLUMNS, ['group_id', 'topic', 'partition'], [offsetRow(spec, partition, to, utcTimestampText(new Date()))]));
        return to;
      }),
    );
  }

  write(partition: number, messages: MessageBatch): Promise<BatchOutcome> {
    return this.writeMany([{ partition, messages }]);
  }

  /** Whether the direct COPY may be tried and the table's binary columns: read once, before the first write needs them. */
  prepare(): Promise<void> {
    return this.adapter
      .withConnection(async (conn) => {
        if (await this.canCopyDirect(conn)) await this.binaryColumns(conn);
      })
      .catch(() => undefined);
  }

  writeMany(writes: PartitionWrite[]): Promise<BatchOutcome> {
    if (writes.length === 0) return Promise.resolve(noOutcome());
    // Locked in the partitions' order: two runs writing overlapping partitions never wait on each other in a circle.
    const sorted = [...writes].sort((x, y) => x.partition - y.partition);
    return this.adapter.withConnection(async (conn) => {
      if (await this.tryDirect(conn)) {
        try {
          return await this.attempt(conn, sorted, true);
        } catch (err) {
          if (!(err instanceof DirectCopyRefused)) throw err;
        }
      }
      return this.attempt(conn, sorted, false);
    });
  }

  /**
   * One transaction: every partition locked and its stored position read, the rows of what is past
   * it COPYed into the table (`direct`) or through the staging table (several partitions' rows in
   * one COPY), the dead letters, each partition's position.
   */
  private attempt(conn: Connection, writes: PartitionWrite[], direct: boolean): Promise<BatchOutcome> {
    const { adapter, tables, spec } = this;
    const sql = adapter.sql;
    return conn.transaction(async (tx) => {
      // One writer per partition at a time, and never below the stored position: after a
      // rebalance the previous owner's last batch may still be committing, and two --once runs
      // may read the same partitions.
      for (const { partition } of writes) await this.lockPartition(tx, partition);
      const stored = await storedPositions(tx, adapter, tables, spec, writes.length === 1 ? (writes[0] as PartitionWrite).partition : undefined);
      const outcome = noOutcome();
      const loadedAt = utcTimestampText(new Date());
      const parts: DecodedPart[] = [];
      const offsets: FixtureValue[][] = [];
      for (const { partition, messages } of writes) {
        const at = stored.get(partition);
        const fresh = at === undefined || (messages.firstOffset ?? 0) >= at ? messages : messages.from(at);
        outcome.skipped += messages.length - fresh.length;
        const last = fresh.lastOffset;
        if (last === undefined) continue;
        parts.push({ messages: fresh, decoder: batchDecoder(spec, partition, loadedAt), spec, partition, loadedAt });
        offsets.push(offsetRow(spec, partition, last + 1, loadedAt));
      }
      if (parts.length === 0) return outcome;
      // The rows are decoded as the COPY reads them (the dead letters found on the way).
      let dead: DeadLetter[] = [];
      let staged = 0;
      if (direct) {
        staged = outcome.inserted = await this.copyDirect(tx, parts, dead);
      } else {
        await tx.execute(sql.createBatchTable(tables.batch, tables.loadColumns));
        for (const part of parts) {
          const one = await this.stageRows(tx, part);
          staged += one.staged;
          dead = dead.concat(one.dead);
        }
        const names = tables.loadColumns.map((c) => c.name);
        if (staged) outcome.inserted = (await tx.execute(sql.insertNewRows(tables.target, tables.batch, names, spec.key ? [spec.key] : null, ['_tsdbt_kafka_partition', '_tsdbt_kafka_offset']))).response.rowsAffected ?? staged;
      }
      // Both travel with COMMIT (one round trip); a failure fails the commit, rolling back the batch.
      if (dead.length) await queueStatement(tx, sql.upsertValues(tables.deadLetters, DEAD_LETTER_COLUMNS, ['topic', 'partition', 'offset'], dead));
      await queueStatement(tx, sql.upsertValues(tables.offsets, OFFSET_COLUMNS, ['group_id', 'topic', 'partition'], offsets));
      outcome.duplicates = staged - outcome.inserted;
      outcome.deadLetters = dead.length;
      return outcome;
    });
  }

  // The lock travels with the position read (one round trip).
  private lockPartition(tx: Connection, partition: number): Promise<void> {
    const { adapter, tables, spec } = this;
    return adapter.lockRelation(tx, tables.offsets.with({ identifier: `${tables.offsets.identifier}/${spec.groupId}/${spec.topic}/${partition}` }), { queue: true });
  }

  // A value the warehouse refused for its column (bad number, date, JSON...): the message's fault.
  private isDataError(err: unknown): boolean {
    return this.adapter.rules.isDataError(err);
  }

  /**
   * Copies the messages' rows into the batch table, decoding them as the COPY reads them. When the
   * warehouse refuses a value, the batch is copied again row by row, each in a savepoint, and the
   * refused rows become dead letters with the warehouse's error.
   */
  private async stageRows(tx: Connection, part: DecodedPart): Promise<{ staged: number; dead: DeadLetter[] }> {
    const { tables } = this;
    const { messages, decoder } = part;
    try {
      const dead: DeadLetter[] = [];
      const staged = await tx.transaction((sp) => loadRows(sp, tables.batch, tables.loadColumns, [part], dead, this.chunkPool));
      return { staged, dead };
    } catch (err) {
      if (!this.isDataError(err)) throw err;
    }
    const dead: DeadLetter[] = [];
    let staged = 0;
    for (const message of messages.messages()) {
      const row = decoder.rowOf(message, dead);
      if (!row) continue;
      try {
        await tx.transaction((sp) => sp.bulkLoad(tables.batch, tables.loadColumns, [row]));
        staged++;
      } catch (err) {
        if (!this.isDataError(err)) throw err;
        dead.push(decoder.deadLetter(message, (err as Error).message));
      }
    }
    return { staged, dead };
  }

  private canCopyDirect(conn: Connection): Promise<boolean> {
    const { adapter, tables, spec } = this;
    this.directAllowed ??= (spec.key ? adapter.hasUniqueKey(conn, tables.target, [spec.key]) : Promise.resolve(true)).catch((err: unknown) => {
      this.directAllowed = null; // asked again next time
      throw err;
    });
    return this.directAllowed;
  }

  /**
   * COPYs the rows straight into the table, which inserts exactly what the staging path would:
   * every row, since the table's unique index refuses the whole COPY if a key is already in it,
   * comes twice in the batch, or is being written by a concurrent batch (COPY waits for it, as ON
   * CONFLICT does). Any refusal (a key taken, a value the column's type refuses, any other
   * constraint) throws DirectCopyRefused: the batch's transaction is rolled back and the batch
   * written again through the staging table. A refused batch costs a COPY in vain, so after a
   * refusal the next DIRECT_RETRY_AFTER batches go through the staging table without trying.
   */
  private async copyDirect(tx: Connection, parts: DecodedPart[], dead: DeadLetter[]): Promise<number> {
    const { tables } = this;
    try {
      const binary = await this.binaryColumns(tx);
      const loaded = binary ? await loadRowsBinary(tx, tables.target, tables.loadColumns, binary, parts, dead, this.chunkPool) : Number.NaN;
      return Number.isNaN(loaded) ? await loadRows(tx, tables.target, tables.loadColumns, parts, dead, this.chunkPool) : loaded;
    } catch (err) {
      if (!this.isDataError(err) && !this.adapter.rules.isConstraintViolation(err)) throw err;
      this.stagedAfterRefusal = DIRECT_RETRY_AFTER;
      throw new DirectCopyRefused();
    }
  }

  /** The table's rows in COPY's binary format (null: as text), read once per load. */
  private binaryColumns(conn: Connection): Promise<BinaryLoad | null> {
    const { adapter, tables, spec } = this;
    this.binary ??= binaryLoadColumns(adapter, conn, tables.target, tables.loadColumns, spec).catch((err: unknown) => {
      this.binary = null; // asked again next time
      throw err;
    });
    return this.binary;
  }

  private async tryDirect(conn: Connection): Promise<boolean> {
    if (this.stagedAfterRefusal > 0) {
      this.stagedAfterRefusal--;
      return false;
    }
    return this.canCopyDirect(conn);
  }
}
