// The loader's packed partition buffer hands back exactly the messages pushed, in order, across
// fetches, after partial drops, with null and empty keys and values kept apart, and keeps no view
// of the fetched buffers (the client reuses them).
import { describe, expect, it } from 'vitest';
import type { KafkaMessage } from './kafka-message.js';
import { MessageQueue } from './message-queue.js';

const message = (offset: number, key: string | null, value: string | null): KafkaMessage => ({
  offset,
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
});

const plain = (messages: KafkaMessage[]) => messages.map((m) => ({ offset: m.offset, key: m.key?.toString() ?? null, value: m.value?.toString() ?? null }));

describe('MessageQueue', () => {
  it('gives back what was pushed, across fetches and partial drops', () => {
    const queue = new MessageQueue();
    expect(queue.firstOffset).toBeUndefined();
    expect(queue.lastOffset).toBeUndefined();
    queue.push([message(5, 'a', '{"id":1}'), message(6, null, '{"id":2}'), message(7, 'c', null)]);
    queue.push([]);
    queue.push([message(9, '', ''), message(10, 'é', '{"s":"ü"}')]);
    expect(queue.length).toBe(5);
    expect([queue.firstOffset, queue.lastOffset]).toEqual([5, 10]);
    expect(plain(queue.peek(4))).toEqual([
      { offset: 5, key: 'a', value: '{"id":1}' },
      { offset: 6, key: null, value: '{"id":2}' },
      { offset: 7, key: 'c', value: null },
      { offset: 9, key: '', value: '' },
    ]);
    // peek leaves the messages in the queue
    expect(queue.length).toBe(5);
    queue.drop(2);
    expect([queue.length, queue.firstOffset]).toEqual([3, 7]);
    expect(plain(queue.peek(10))).toEqual([
      { offset: 7, key: 'c', value: null },
      { offset: 9, key: '', value: '' },
      { offset: 10, key: 'é', value: '{"s":"ü"}' },
    ]);
    queue.drop(2);
    expect(plain(queue.peek(10))).toEqual([{ offset: 10, key: 'é', value: '{"s":"ü"}' }]);
    queue.drop(5);
    expect([queue.length, queue.firstOffset, queue.lastOffset, queue.peek(3)]).toEqual([0, undefined, undefined, []]);
  });

  it('copies the bytes: a fetched buffer reused by the client changes nothing queued', () => {
    const fetched = Buffer.from('{"id":1}{"id":2}');
    const queue = new MessageQueue();
    queue.push([
      { offset: 0, key: null, value: fetched.subarray(0, 8) },
      { offset: 1, key: null, value: fetched.subarray(8) },
    ]);
    fetched.fill(0x20);
    expect(plain(queue.peek(2)).map((m) => m.value)).toEqual(['{"id":1}', '{"id":2}']);
  });
});
