// What the loader does with a fetched batch: takes what comes next and accepts gaps in the log
// (transaction markers, compaction, retention), seeks back when the consumer read from past the
// expected offset, and seeks forward when the whole batch is before it (a redelivery).
import { describe, expect, it } from 'vitest';
import type { KafkaMessage } from './kafka-client.js';
import { decideFetch, ReadPositions } from './fetch-position.js';

const at = (...offsets: number[]): KafkaMessage[] => offsets.map((offset) => ({ offset, key: null, value: Buffer.from(String(offset)) }));
const range = (from: number, to: number) => at(...Array.from({ length: to - from + 1 }, (_v, i) => from + i));
const offsetsOf = (decision: ReturnType<typeof decideFetch>) => (decision.action === 'take' ? decision.messages.map((m) => m.offset) : null);

describe('decideFetch', () => {
  it('takes a batch that starts at the expected offset', () => {
    const decision = decideFetch({ messages: range(10, 14), fetchedOffset: 10 }, { expected: 10, stop: Infinity });
    expect(decision).toMatchObject({ action: 'take', gap: 0 });
    expect(offsetsOf(decision)).toEqual([10, 11, 12, 13, 14]);
  });

  it('drops what is already buffered or written and takes the rest', () => {
    const decision = decideFetch({ messages: range(10, 14), fetchedOffset: 10 }, { expected: 12, stop: Infinity });
    expect(offsetsOf(decision)).toEqual([12, 13, 14]);
    expect(decision).toMatchObject({ gap: 0 });
  });

  it('accepts a gap before the first message when the fetch asked for the expected offset (a transaction marker)', () => {
    // The last loaded message was 99 and offset 100 is the transaction's commit marker: the next
    // readable message is 101. Seeking back to 100 would return 101 again, forever.
    const decision = decideFetch({ messages: range(101, 103), fetchedOffset: 100 }, { expected: 100, stop: Infinity });
    expect(decision).toEqual({ action: 'take', messages: range(101, 103), gap: 1 });
  });

  it('counts gaps inside a batch (markers between transactions, compacted keys)', () => {
    const decision = decideFetch({ messages: at(5, 6, 8, 9, 12), fetchedOffset: 5 }, { expected: 5, stop: Infinity });
    expect(offsetsOf(decision)).toEqual([5, 6, 8, 9, 12]);
    expect(decision).toMatchObject({ gap: 3 });
  });

  it('seeks back when the consumer fetched from past the expected offset: taking it would skip messages', () => {
    expect(decideFetch({ messages: range(1278, 1300), fetchedOffset: 1278 }, { expected: 0, stop: Infinity })).toEqual({ action: 'seek', offset: 0, reason: 'ahead' });
  });

  it('seeks forward when the whole batch is before the expected offset (it would be fetched again forever)', () => {
    // After a rebalance the consumer was moved back to the start of a batch this member still
    // buffers (0..1277): every fetch from 0 returns the same record batch.
    expect(decideFetch({ messages: range(0, 1277), fetchedOffset: 0 }, { expected: 1278, stop: Infinity })).toEqual({ action: 'seek', offset: 1278, reason: 'behind' });
  });

  it('takes nothing past the end offset of --once, and nothing from an empty fetch', () => {
    expect(decideFetch({ messages: range(20, 25), fetchedOffset: 20 }, { expected: 20, stop: 20 })).toEqual({ action: 'skip' });
    expect(decideFetch({ messages: [], fetchedOffset: 7 }, { expected: 7, stop: Infinity })).toEqual({ action: 'skip' });
    expect(offsetsOf(decideFetch({ messages: range(18, 25), fetchedOffset: 18 }, { expected: 18, stop: 20 }))).toEqual([18, 19]);
  });

  it('accepts the offsets that retention deleted (below the low watermark) as a gap', () => {
    // Stored position 100, but the log now starts at 500: the consumer reads from 500.
    const decision = decideFetch({ messages: range(500, 501), fetchedOffset: 500 }, { expected: 100, stop: Infinity, low: 500 });
    expect(decision).toEqual({ action: 'take', messages: range(500, 501), gap: 400 });
    // Fetched from past the low watermark: messages 500..599 were never seen.
    expect(decideFetch({ messages: range(600, 601), fetchedOffset: 600 }, { expected: 100, stop: Infinity, low: 500 })).toEqual({ action: 'seek', offset: 500, reason: 'ahead' });
  });

  it('without the fetched offset, a batch starting past the expected offset is not trusted', () => {
    expect(decideFetch({ messages: range(101, 103) }, { expected: 100, stop: Infinity })).toEqual({ action: 'seek', offset: 100, reason: 'ahead' });
    expect(offsetsOf(decideFetch({ messages: range(100, 101) }, { expected: 100, stop: Infinity }))).toEqual([100, 101]);
  });
});

describe('ReadPositions', () => {
  it('reports a batch after a passed-over run of transaction markers as fetched from where the run began', () => {
    const reading = new ReadPositions();
    expect(reading.fetched(0, 0)).toBe(0);
    reading.moved(0, 100); // messages 0..99 taken
    reading.passed(0, 100, 100); // offset 100: the commit marker, passed over by the client
    expect(reading.fetched(0, 101)).toBe(100);
    // Fetched again from 101 (nothing was taken): still the same run.
    expect(reading.fetched(0, 101)).toBe(100);
    reading.moved(0, 105);
    expect(reading.fetched(0, 105)).toBe(105);
  });

  it('joins consecutive passed-over runs', () => {
    const reading = new ReadPositions();
    reading.moved(3, 10);
    reading.passed(3, 10, 12);
    reading.passed(3, 13, 13);
    expect(reading.fetched(3, 14)).toBe(10);
  });

  it('claims no run it cannot prove: one starting past the position, an unknown position, a rebalance, a seek', () => {
    const reading = new ReadPositions();
    reading.passed(1, 5, 6); // position unknown
    expect(reading.fetched(1, 7)).toBe(7);
    reading.moved(1, 10);
    reading.passed(1, 12, 13); // 10 and 11 unseen: the fetch may have started past them
    expect(reading.fetched(1, 14)).toBe(14);
    reading.moved(1, 20);
    reading.passed(1, 20, 21);
    reading.forget();
    expect(reading.fetched(1, 22)).toBe(22);
    reading.moved(1, 30);
    reading.passed(1, 30, 30);
    reading.moved(1, 40); // a seek elsewhere
    expect(reading.fetched(1, 31)).toBe(31);
  });
});
