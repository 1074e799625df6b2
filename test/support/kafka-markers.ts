// Transaction markers for the test Kafka. On a real broker, ending a transaction makes the
// transaction coordinator write a control record (COMMIT or ABORT) into every partition the
// transaction wrote to (WriteTxnMarkers): one offset each, never handed to consumers, so a
// transactional topic's offsets have gaps. librdkafka 2.0.2's mock cluster accepts EndTxn but
// writes no marker (rdkafka_mock_handlers.c: rd_kafka_mock_handle_EndTxn only checks the producer
// id), so the tests write the marker the coordinator would: a record batch with the control and
// transactional attributes and one control record, appended with a plain Produce request (the mock
// stores record batches as they come). Consumers then read it exactly as they read a broker's.
import { createRequire } from 'node:module';
import net from 'node:net';
import { testKafka } from './kafka.js';

const require = createRequire(import.meta.url);
const crc32c = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (buffer: Buffer) => number;

const zigzag = (n: number) => (n << 1) ^ (n >> 31);
function varint(n: number): Buffer {
  const bytes: number[] = [];
  let v = zigzag(n) >>> 0;
  while (v >= 0x80) {
    bytes.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

const int16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const int64 = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(n);
  return b;
};
const str = (s: string) => Buffer.concat([int16(Buffer.byteLength(s)), Buffer.from(s)]);

/** A record batch (magic 2) holding one control record: COMMIT or ABORT of `producerId`'s transaction. */
export function controlBatch(kind: 'commit' | 'abort', producerId: bigint): Buffer {
  const key = Buffer.concat([int16(0), int16(kind === 'commit' ? 1 : 0)]);
  const value = Buffer.concat([int16(0), int32(0)]);
  const body = Buffer.concat([Buffer.from([0]), varint(0), varint(0), varint(key.length), key, varint(value.length), value, varint(0)]);
  const record = Buffer.concat([varint(body.length), body]);
  const now = BigInt(Date.now());
  const afterCrc = Buffer.concat([int16(0x10 | 0x20), int32(0), int64(now), int64(now), int64(producerId), int16(0), int32(-1), int32(1), record]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32c(afterCrc));
  const afterLength = Buffer.concat([int32(-1), Buffer.from([2]), crc, afterCrc]);
  return Buffer.concat([int64(0n), int32(afterLength.length), afterLength]);
}

/** Sends one Produce (v3) request with `records` for `topic`/`partition` to `broker`; resolves with the error code. */
function produceRaw(broker: { host: string; port: number }, topic: string, partition: number, records: Buffer): Promise<number> {
  const body = Buffer.concat([int16(-1), int16(-1), int32(10_000), int32(1), str(topic), int32(1), int32(partition), int32(records.length), records]);
  const request = Buffer.concat([int16(0), int16(3), int32(1), str('tsdbt-test-markers'), body]);
  return new Promise((resolve, reject) => {
    const socket = net.connect(broker, () => socket.write(Buffer.concat([int32(request.length), request])));
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer from ${broker.host}:${broker.port}`)));
    let reply = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      reply = Buffer.concat([reply, chunk]);
      if (reply.length < 4 || reply.length < 4 + reply.readInt32BE(0)) return;
      socket.end();
      // size, correlation id, [topic [partition, error code, ...]]
      let at = 8 + 4;
      at += 2 + reply.readInt16BE(at) + 4 + 4;
      resolve(reply.readInt16BE(at));
    });
    socket.on('error', reject);
  });
}

/** Writes a transaction marker into each of `partitions` of `topic`, as the transaction coordinator does at the end of a transaction. */
export async function writeTxnMarkers(topic: string, partitions: number[], kind: 'commit' | 'abort', producerId = 1000n): Promise<void> {
  const admin = testKafka('test-markers').admin();
  await admin.connect();
  try {
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    const { brokers } = await admin.describeCluster();
    for (const partition of partitions) {
      const leader = metadata?.partitions.find((p) => p.partitionId === partition)?.leader;
      const broker = brokers.find((b) => b.nodeId === leader);
      if (!broker) throw new Error(`no leader for ${topic}/${partition}`);
      const error = await produceRaw(broker, topic, partition, controlBatch(kind, producerId));
      if (error !== 0) throw new Error(`writing a ${kind} marker to ${topic}/${partition} failed with Kafka error ${error}`);
    }
  } finally {
    await admin.disconnect();
  }
}
