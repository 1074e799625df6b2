// The rows of a batch's messages as a bulk load reads them: each message decoded into its row (the
// source's columns, then the loader's: topic, partition, offset, load time) or a dead letter, and
// loaded by one COPY: as COPY text (copy-text.ts, fast-decode.ts straight from the messages'
// bytes, else decode.ts), or, where the warehouse loads COPY's binary format and every column has
// a binary kind (`binaryLoadColumns`), as binary rows with the messages fast-decode.ts cannot write
// in binary loaded as text by a second COPY in the same transaction.
import type { Adapter, Connection, FixtureValue, LoadColumn } from '../adapters/adapter.js';
import type { Relation } from '../adapters/relation.js';
import { BINARY_HEADER, BINARY_TRAILER, binaryColumnKinds, timestampMicros, writeInt64Field } from './copy-binary.js';
import { TsvChunks, tsvField, type ChunkPool } from './copy-text.js';
import { decodeMessage } from './decode.js';
import { fastRowWriter, type FastRowWriter } from './fast-decode.js';
import type { KafkaMessage } from './kafka-client.js';
import { MessageBatch, type PackedMessages } from './packed-messages.js';
import type { KafkaSourceSpec } from './kafka-source.js';

interface Row {
  values: (string | null)[];
  message: KafkaMessage;
}

export type DeadLetter = FixtureValue[];

/**
 * A dead letter's bytes as text a warehouse column can hold: UTF-8, undecodable bytes and NUL shown
 * as U+FFFD (PostgreSQL's text cannot hold NUL, and a NUL in a statement breaks its wire protocol:
 * the message's batch would fail again on every retry).
 */
const readableText = (text: string) => text.replace(/\u0000/g, '\uFFFD');
const readable = (bytes: Buffer | null) => (bytes === null ? null : readableText(bytes.toString('utf8')));

/** Turns one partition's messages into rows (the source's columns, then the loader's) or dead letters. */
export function batchDecoder(spec: KafkaSourceSpec, partition: number, loadedAt: string) {
  const partitionText = String(partition);
  const deadLetter = (m: KafkaMessage, error: string): DeadLetter => [spec.topic, partition, m.offset, readable(m.key), readable(m.value), readableText(error), loadedAt];
  /** The message's row, or null with its dead letter added to `dead`. */
  const rowOf = (m: KafkaMessage, dead: DeadLetter[]): (string | null)[] | null => {
    const decoded = decodeMessage(spec, m.value);
    if (!decoded.ok) {
      dead.push(deadLetter(m, decoded.reason));
      return null;
    }
    decoded.values.push(spec.topic, partitionText, String(m.offset), loadedAt);
    return decoded.values;
  };
  /**
   * The rows of `messages`, decoded as a bulk load reads them (no row outlives its line of the
   * load), the dead letters added to `dead` on the way. Each call decodes again.
   */
  function* rows(messages: KafkaMessage[], dead: DeadLetter[]): Generator<(string | null)[]> {
    for (const m of messages) {
      const row = rowOf(m, dead);
      if (row) yield row;
    }
  }
  const fast = fastWriterOf(spec);
  // The loader's columns after the source's: topic and partition, the offset, the load time.
  const head = Buffer.from(`\t${tsvField(spec.topic)}\t${partitionText}\t`, 'utf8');
  const tail = Buffer.from(`\t${loadedAt}\n`, 'utf8');
  const more = head.length + 20 + tail.length;
  /**
   * The rows of `messages` as tab-separated chunks (Connection.bulkLoadText), decoded as the load
   * reads them, the dead letters added to `dead` on the way; `counted.rows` ends as the rows written.
   * The chunks' buffers come from `pool` when given (listed in its `taken`). Messages fast-decode.ts
   * can write go straight into the chunks; the others as decodeMessage has them.
   */
  function* textChunks(messages: MessageBatch, dead: DeadLetter[], counted: { rows: number }, pool?: { pool: ChunkPool; taken: Buffer[] }): Generator<Buffer> {
    const out = new TsvChunks(undefined, pool);
    const write = (bytes: Buffer, start: number, end: number, offset: number): boolean => {
      if (!fast?.(bytes, out, more, start, end)) return false;
      out.writeBytes(head);
      out.writeUint(offset);
      out.writeBytes(tail);
      out.rows++;
      return true;
    };
    yield* eachMessage(messages, spec.maxMessageBytes, out, write, (block, i) => {
      const row = rowOf(block.message(i), dead);
      if (row) out.addRow(row);
    });
    const rest = out.rest();
    if (rest) yield rest;
    counted.rows = out.rows;
  }
  /** Every row with its message, and the dead letters (decoded at once). */
  const all = (messages: KafkaMessage[]) => {
    const dead: DeadLetter[] = [];
    const decoded: Row[] = [];
    for (const message of messages) {
      const values = rowOf(message, dead);
      if (values) decoded.push({ values, message });
    }
    return { rows: decoded, dead };
  };
  return { rowOf, rows, textChunks, all, deadLetter };
}

const fastWriters = new WeakMap<KafkaSourceSpec, FastRowWriter | null>();

/** The spec's fast-decode.ts writer (made once per spec), null when it has none. */
function fastWriterOf(spec: KafkaSourceSpec): FastRowWriter | null {
  let fast = fastWriters.get(spec);
  if (fast === undefined) fastWriters.set(spec, (fast = fastRowWriter(spec)));
  return fast;
}

type BatchDecoder = ReturnType<typeof batchDecoder>;

/** One partition's fresh messages in a write, with the decoder that gives them its partition and load time. */
export interface DecodedPart {
  messages: MessageBatch;
  decoder: BatchDecoder;
  spec: KafkaSourceSpec;
  partition: number;
  loadedAt: string;
}

/**
 * Bulk-loads the rows of every part (several partitions' rows in one load) into `relation`, decoding
 * them as the load reads them (dead letters added to `dead`): as tab-separated bytes where the
 * connection takes them (in buffers of `pool`, given back once the load has finished: every byte
 * of them is sent by then; a failed load's are left to the collector), else as rows of text.
 * Returns the rows loaded.
 */
export async function loadRows(conn: Connection, relation: Relation, columns: LoadColumn[], parts: DecodedPart[], dead: DeadLetter[], pool: ChunkPool): Promise<number> {
  if (!conn.bulkLoadText) {
    function* rows() {
      for (const part of parts) yield* part.decoder.rows(part.messages.messages(), dead);
    }
    return conn.bulkLoad(relation, columns, rows());
  }
  const counted = parts.map(() => ({ rows: 0 }));
  const buffers = { pool, taken: [] as Buffer[] };
  function* chunks() {
    for (let i = 0; i < parts.length; i++) yield* (parts[i] as DecodedPart).decoder.textChunks((parts[i] as DecodedPart).messages, dead, counted[i] as { rows: number }, buffers);
  }
  await conn.bulkLoadText(relation, columns, chunks());
  pool.giveBack(buffers.taken);
  return counted.reduce((sum, c) => sum + c.rows, 0);
}
/**
 * Offers each message's value (read in place from its packed block, no object per message) to
 * `write` when it holds at most `maxMessageBytes`; a message it declines, or without a value or
 * too large, goes to `other` (its block and its index there). Yields `out`'s full chunks as it goes.
 */
function* eachMessage(messages: MessageBatch, maxMessageBytes: number, out: TsvChunks, write: (bytes: Buffer, start: number, end: number, offset: number) => boolean, other: (block: PackedMessages, i: number) => void): Generator<Buffer> {
  for (const block of messages.blocks) {
    const { bytes, bounds, offsets, start } = block;
    for (let i = start; i < block.end; i++) {
      const valueStart = bounds[i * 4 + 2] as number;
      const valueEnd = bounds[i * 4 + 3] as number;
      if (!(valueStart >= 0 && valueEnd - valueStart <= maxMessageBytes && write(bytes, valueStart, valueEnd, offsets[i] as number))) other(block, i - start);
      if (out.ready) yield* out.take();
    }
  }
}

/** How a table takes the loader's rows in COPY's binary format: the source columns' writer, and the load time as microseconds. */
export interface BinaryLoad {
  writer: FastRowWriter;
  loadedAtMicros: (loadedAt: string) => number;
}

/**
 * The binary form of a table's rows, or null where they go as text: the warehouse has no binary
 * load, a column's type has no binary kind, the loader's own columns are not of the kinds the
 * loader writes (text, 32- and 64-bit integers, timestamp), or the source has no fast writer (a
 * JSON Schema). Read once per load.
 */
export async function binaryLoadColumns(adapter: Adapter, conn: Connection, relation: Relation, columns: LoadColumn[], spec: KafkaSourceSpec): Promise<BinaryLoad | null> {
  if (!adapter.binaryLoadKinds || !conn.bulkLoadBinary) return null;
  const kinds = await adapter.binaryLoadKinds(conn, relation, columns.map((c) => c.name));
  const source = kinds.slice(0, spec.columns.length);
  const own = kinds.slice(spec.columns.length).join();
  if (source.some((k) => k === null) || own !== 'text,int32,int64,timestamp') return null;
  const writer = fastRowWriter(spec, binaryColumnKinds(source as NonNullable<(typeof source)[number]>[], columns.length));
  if (!writer) return null;
  return { writer, loadedAtMicros: (loadedAt) => timestampMicros(Buffer.from(loadedAt, 'latin1'), 0, loadedAt.length) };
}

/** The loader's columns of a partition's binary rows: the topic and partition before the offset, the load time after it. */
function binaryLoaderColumns(spec: KafkaSourceSpec, partition: number, loadedAtMicros: number): { head: Buffer; tail: Buffer } {
  const topic = Buffer.from(spec.topic, 'utf8');
  const head = Buffer.alloc(4 + topic.length + 8);
  head.writeInt32BE(topic.length, 0);
  topic.copy(head, 4);
  head.writeInt32BE(4, 4 + topic.length);
  head.writeInt32BE(partition, 8 + topic.length);
  const tail = Buffer.alloc(12);
  writeInt64Field(tail, 0, loadedAtMicros);
  return { head, tail };
}

/**
 * loadRows in COPY's binary format (`binary`, from binaryLoadColumns): every message fast-decode.ts
 * writes in binary goes in one binary COPY; the others (values with no binary form here, messages
 * only decode.ts reads, dead letters) then go as text through loadRows, in the same transaction.
 * Returns the rows loaded; NaN when the load time has no binary form (the caller loads as text).
 */
export async function loadRowsBinary(conn: Connection, relation: Relation, columns: LoadColumn[], binary: BinaryLoad, parts: DecodedPart[], dead: DeadLetter[], pool: ChunkPool): Promise<number> {
  const load = conn.bulkLoadBinary?.bind(conn);
  const loadedAtMicros = binary.loadedAtMicros(parts[0]?.loadedAt ?? '');
  if (!load || Number.isNaN(loadedAtMicros)) return Number.NaN;
  const { writer } = binary;
  const textBlocks: PackedMessages[][] = parts.map(() => []);
  const counted = { rows: 0 };
  const buffers = { pool, taken: [] as Buffer[] };
  function* chunks(): Generator<Buffer> {
    const out = new TsvChunks(undefined, buffers);
    out.reserve(BINARY_HEADER.length);
    out.writeBytes(BINARY_HEADER);
    for (let p = 0; p < parts.length; p++) {
      const { messages, spec, partition } = parts[p] as DecodedPart;
      const { head, tail } = binaryLoaderColumns(spec, partition, loadedAtMicros);
      const more = head.length + 12 + tail.length;
      const write = (bytes: Buffer, start: number, end: number, offset: number): boolean => {
        if (!writer(bytes, out, more, start, end)) return false;
        out.writeBytes(head);
        out.at = writeInt64Field(out.buf, out.at, offset);
        out.writeBytes(tail);
        out.rows++;
        return true;
      };
      const asText = textBlocks[p] as PackedMessages[];
      yield* eachMessage(messages, spec.maxMessageBytes, out, write, (block, i) => asText.push(block.slice(i, i + 1)));
    }
    out.reserve(BINARY_TRAILER.length);
    out.writeBytes(BINARY_TRAILER);
    const rest = out.rest();
    if (rest) yield rest;
    counted.rows = out.rows;
  }
  await load(relation, columns, chunks());
  pool.giveBack(buffers.taken);
  const textParts = parts.flatMap((part, p) => ((textBlocks[p] as PackedMessages[]).length ? [{ ...part, messages: new MessageBatch(textBlocks[p] as PackedMessages[]) }] : []));
  return counted.rows + (textParts.length ? await loadRows(conn, relation, columns, textParts, dead, pool) : 0);
}
