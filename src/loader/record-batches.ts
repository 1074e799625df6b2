// One partition's record set from a Fetch response, read straight into packed messages
// (packed-messages.ts): the records at or after the offset fetched from, without control records
// (transaction markers) and without the messages of aborted transactions, as kafkajs' consumer hands
// them over (consumer/batch.js), but with no object per message. Kafka's record batch (magic 2):
//   base_offset INT64, batch_length INT32, partition_leader_epoch INT32, magic INT8, crc UINT32,
//   attributes INT16 (bits 0-2 codec, 4 transactional, 5 control), last_offset_delta INT32,
//   base_timestamp INT64, max_timestamp INT64, producer_id INT64, producer_epoch INT16,
//   base_sequence INT32, record_count INT32, records (compressed together when a codec is set);
// a record: length VARINT, attributes INT8, timestamp_delta VARLONG, offset_delta VARINT,
//   key (VARINT length, -1 null, bytes), value (likewise), headers (VARINT count, ...).
// The CRC is not checked, as kafkajs does not check it (TCP checksums the bytes; Kafka's own
// consumer can skip it too). A batch cut short at the end of the set (the broker fills the byte
// budget with whole batches but may send part of the next) is left for the next fetch, as kafkajs
// leaves it. Compressed batches are decompressed by kafkajs' codecs (GZIP, and whatever a program
// registered); a set of legacy message sets (magic 0 or 1) is decoded by kafkajs.
import { codecOf, legacyMessages, type AbortedTransaction } from './kafkajs-internals.js';
import { PackedMessages } from './packed-messages.js';

export interface RecordSetRead {
  /** The readable messages at or after the fetched offset. */
  messages: PackedMessages;
  /** Records in the set, of any kind, before the fetched offset too (kafkajs' rawMessages). */
  records: number;
  /** The first record at or after the fetched offset, of any kind (null: none). */
  firstWithin: number | null;
  /** The last record at or after the fetched offset, of any kind (null: none). */
  lastWithin: number | null;
}

const HEADER_BYTES = 61;
/** Fewer bytes than this left in the set: no batch follows (kafkajs' RECORD_BATCH_OVERHEAD). */
const BATCH_OVERHEAD = 49;
const MAGIC_AT = 16;
const TRANSACTIONAL = 0x10;
const CONTROL = 0x20;
const CODEC_MASK = 0x07;

/** A record batch's place in the set. */
interface BatchInfo {
  at: number;
  end: number;
  attributes: number;
  count: number;
}

/** Reads `recordSet`, fetched from `fetchOffset`, with the broker's list of aborted transactions. */
export async function readRecordSet(recordSet: Buffer, fetchOffset: number, aborted: readonly AbortedTransaction[]): Promise<RecordSetRead> {
  if (recordSet.length > MAGIC_AT && recordSet.readInt8(MAGIC_AT) !== 2) return readLegacy(recordSet, fetchOffset);
  const batches = batchesOf(recordSet);
  let capacity = 0;
  for (const b of batches) capacity += b.count;
  const out = new PackedWriter(capacity);
  const filter = aborted.length > 0 ? new AbortFilter(aborted) : null;
  for (const batch of batches) {
    const { at, attributes } = batch;
    const baseOffset = recordSet.readInt32BE(at) * 2 ** 32 + recordSet.readUInt32BE(at + 4);
    const control = (attributes & CONTROL) !== 0;
    const producerId = filter ? recordSet.readBigInt64BE(at + 43) : 0n;
    const codec = (attributes & CODEC_MASK) === 0 ? null : codecOf(attributes);
    let source: Buffer;
    let from: number;
    let to: number;
    if (codec) {
      source = await codec.decompress(recordSet.subarray(at + HEADER_BYTES, batch.end));
      from = 0;
      to = source.length;
    } else {
      source = recordSet;
      from = at + HEADER_BYTES;
      to = batch.end;
    }
    out.readRecords(source, from, to, batch.count, baseOffset, fetchOffset, control, (attributes & TRANSACTIONAL) !== 0, producerId, filter);
  }
  return out.finish();
}

/** The whole record batches of the set. */
function batchesOf(recordSet: Buffer): BatchInfo[] {
  const batches: BatchInfo[] = [];
  let at = 0;
  while (recordSet.length - at >= BATCH_OVERHEAD) {
    const end = at + 12 + recordSet.readInt32BE(at + 8);
    if (end > recordSet.length || end < at + HEADER_BYTES) break;
    batches.push({ at, end, attributes: recordSet.readInt16BE(at + 21), count: recordSet.readInt32BE(at + 57) });
    at = end;
  }
  return batches;
}

/**
 * kafkajs' filter of aborted transactions' messages (consumer/filterAbortedMessages.js), over the
 * records at or after the fetched offset in order: a record at or past the first offset of the next
 * aborted transaction starts it (for its producer); its producer's ABORT marker ends it; a record
 * of a transactional batch whose producer has an aborted transaction open is dropped. kafkajs takes
 * any record whose key is four zero bytes for the ABORT marker; here only a control record's.
 */
class AbortFilter {
  private next = 0;
  private readonly open = new Set<bigint>();

  constructor(private readonly aborted: readonly AbortedTransaction[]) {}

  /** Whether the record is kept (control records are told of here and dropped by the caller). */
  keep(offset: number, producerId: bigint, transactional: boolean, abortMarker: boolean): boolean {
    const { aborted } = this;
    while (this.next < aborted.length && offset >= (aborted[this.next] as AbortedTransaction).firstOffset) this.open.add((aborted[this.next++] as AbortedTransaction).producerId);
    if (abortMarker) {
      this.open.delete(producerId);
      return true;
    }
    return !(transactional && this.open.has(producerId));
  }
}

/** Fills the packed arrays while the records are read; the bytes kept are those of the set (copied once at the end when they lie in several buffers). */
class PackedWriter {
  private readonly offsets: Float64Array;
  private readonly bounds: Int32Array;
  private count = 0;
  private records = 0;
  private firstWithin: number | null = null;
  private lastWithin: number | null = null;
  /** The buffers the kept keys and values lie in, and where each starts in the copy made of them. */
  private readonly sources: Buffer[] = [];
  private readonly bases: number[] = [];
  private size = 0;
  /** The position a varint read ends at. */
  private p = 0;

  constructor(capacity: number) {
    // One backing store for both arrays (each array buffer costs the collector something of its own).
    const store = new ArrayBuffer(capacity * 24);
    this.offsets = new Float64Array(store, 0, capacity);
    this.bounds = new Int32Array(store, capacity * 8, capacity * 4);
  }

  /** Reads `count` records from `buf` at `from`..`to`. */
  readRecords(buf: Buffer, from: number, to: number, count: number, baseOffset: number, fetchOffset: number, control: boolean, transactional: boolean, producerId: bigint, filter: AbortFilter | null): void {
    let base = -1;
    let at = from;
    for (let r = 0; r < count; r++) {
      this.p = at;
      const length = this.varint(buf);
      const start = this.p;
      const end = start + length;
      if (length < 0 || end > to) throw new Error(`malformed record batch at offset ${baseOffset}: a record runs past its batch`);
      this.p = start + 1; // attributes
      this.skipVarint(buf); // timestamp delta (a varlong)
      const offset = baseOffset + this.varint(buf);
      const keyLength = this.varint(buf);
      const keyStart = this.p;
      this.p += Math.max(0, keyLength);
      const valueLength = this.varint(buf);
      const valueStart = this.p;
      if (this.p + Math.max(0, valueLength) > end) throw new Error(`malformed record batch at offset ${baseOffset}: a value runs past its record`);
      at = end;
      this.records++;
      if (offset < fetchOffset) continue;
      this.firstWithin ??= offset;
      this.lastWithin = offset;
      const abortMarker = control && keyLength >= 4 && buf[keyStart + 2] === 0 && buf[keyStart + 3] === 0;
      if (filter && !filter.keep(offset, producerId, transactional, abortMarker)) continue;
      if (control) continue;
      if (base < 0) base = this.baseOf(buf);
      const slot = this.count * 4;
      const { bounds } = this;
      this.offsets[this.count++] = offset;
      if (keyLength < 0) bounds[slot] = bounds[slot + 1] = -1;
      else {
        bounds[slot] = base + keyStart;
        bounds[slot + 1] = base + keyStart + keyLength;
      }
      if (valueLength < 0) bounds[slot + 2] = bounds[slot + 3] = -1;
      else {
        bounds[slot + 2] = base + valueStart;
        bounds[slot + 3] = base + valueStart + valueLength;
      }
    }
  }

  /** Where `buf` starts in the copy of the sources (added to them the first time). */
  private baseOf(buf: Buffer): number {
    const known = this.sources.indexOf(buf);
    if (known >= 0) return this.bases[known] as number;
    this.sources.push(buf);
    this.bases.push(this.size);
    this.size += buf.length;
    return this.size - buf.length;
  }

  /** A zigzag varint (32 bits) at `p`. */
  private varint(buf: Buffer): number {
    let p = this.p;
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = buf[p++] as number;
      value |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80 && shift < 35);
    this.p = p;
    return (value >>> 1) ^ -(value & 1);
  }

  private skipVarint(buf: Buffer): void {
    let p = this.p;
    while ((buf[p++] as number) & 0x80);
    this.p = p;
  }

  finish(): RecordSetRead {
    // One source (the record set, or a batch's decompressed records) is kept as it is: a view of the
    // fetch answer, whose buffer nothing writes once it is handed over (socket-frames.ts makes
    // each frame a buffer of its own), so no copy of the set's bytes is made.
    const bytes = this.count === 0 ? Buffer.alloc(0) : this.sources.length === 1 ? (this.sources[0] as Buffer) : Buffer.concat(this.sources, this.size);
    return { messages: new PackedMessages(bytes, this.offsets, this.bounds, 0, this.count), records: this.records, firstWithin: this.firstWithin, lastWithin: this.lastWithin };
  }
}

/** Legacy message sets, through kafkajs' decoder (no transactions before magic 2). */
async function readLegacy(messageSet: Buffer, fetchOffset: number): Promise<RecordSetRead> {
  const all = await legacyMessages(messageSet);
  const within = all.map((m) => ({ offset: Number(m.offset), key: m.key, value: m.value })).filter((m) => m.offset >= fetchOffset);
  return {
    messages: PackedMessages.of(within),
    records: all.length,
    firstWithin: within[0]?.offset ?? null,
    lastWithin: within[within.length - 1]?.offset ?? null,
  };
}
