// A Fetch response (any version, 0 to 11) as `tsdbt load --once` reads it: each partition's header
// and its record set left as bytes (a view of the response), which record-batches.ts reads into
// packed messages. kafkajs' own decoder makes an object per message (with its key, value and
// headers as Buffers, its offset and timestamp as 64-bit Long arithmetic); this reads only the
// headers. The layout, from Kafka's protocol guide (and kafkajs' protocol/requests/fetch/v*/response.js):
//   v1+: throttle_time_ms INT32; v7+: error_code INT16, session_id INT32
//   [topic STRING [partition INT32, error_code INT16, high_watermark INT64,
//     v4+: last_stable_offset INT64, v5+: log_start_offset INT64,
//     v4+: [aborted_transactions: producer_id INT64, first_offset INT64],
//     v11+: preferred_read_replica INT32,
//     records BYTES]]

/** A transaction the broker reports aborted (read_committed fetches only). */
export interface AbortedTransaction {
  producerId: bigint;
  firstOffset: number;
}

/** A broker's answer for one partition. */
export interface FetchedPartition {
  partition: number;
  errorCode: number;
  highWatermark: number;
  abortedTransactions: AbortedTransaction[];
  /** The partition's record batches as the broker sent them (the last one may be cut short); empty when none. */
  recordSet: Buffer;
}

export interface FetchResponse {
  /** KIP-219: how long the broker asks the client to wait before the next request (v8+, else 0). */
  clientSideThrottleTime: number;
  responses: { topicName: string; partitions: FetchedPartition[] }[];
}

const EMPTY = Buffer.alloc(0);

/** Reads a Fetch response of `version` (the bytes after the correlation id). */
export function decodeFetchResponse(payload: Buffer, version: number): FetchResponse {
  let at = 0;
  const int16 = () => {
    const v = payload.readInt16BE(at);
    at += 2;
    return v;
  };
  const int32 = () => {
    const v = payload.readInt32BE(at);
    at += 4;
    return v;
  };
  const int64 = () => {
    const v = Number(payload.readBigInt64BE(at));
    at += 8;
    return v;
  };
  const throttle = version >= 1 ? int32() : 0;
  if (version >= 7) at += 2 + 4;
  const responses: FetchResponse['responses'] = [];
  for (let t = int32(); t > 0; t--) {
    const nameLength = int16();
    const topicName = payload.toString('utf8', at, at + nameLength);
    at += nameLength;
    const partitions: FetchedPartition[] = [];
    for (let p = int32(); p > 0; p--) {
      const partition = int32();
      const errorCode = int16();
      const highWatermark = int64();
      const abortedTransactions: AbortedTransaction[] = [];
      if (version >= 4) {
        at += 8; // last_stable_offset
        if (version >= 5) at += 8; // log_start_offset
        for (let a = int32(); a > 0; a--) {
          const producerId = payload.readBigInt64BE(at);
          at += 8;
          abortedTransactions.push({ producerId, firstOffset: int64() });
        }
        if (version >= 11) at += 4; // preferred_read_replica
      }
      const size = int32();
      const recordSet = size > 0 ? payload.subarray(at, Math.min(at + size, payload.length)) : EMPTY;
      at += Math.max(0, size);
      partitions.push({ partition, errorCode, highWatermark, abortedTransactions, recordSet });
    }
    responses.push({ topicName, partitions });
  }
  return { clientSideThrottleTime: version >= 8 ? throttle : 0, responses };
}
