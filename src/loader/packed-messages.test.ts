// Packed messages and the batches a write takes: the messages handed back are exactly those packed
// (null and empty keys and values kept apart), a batch from an offset drops exactly what lies
// before it across blocks, and the queue's batches span the blocks of several fetches.
import { describe, expect, it } from 'vitest';
import { MessageQueue } from './message-queue.js';
import { MessageBatch, PackedMessages, type KafkaMessage } from './packed-messages.js';

const message = (offset: number, key: string | null, value: string | null): KafkaMessage => ({ offset, key: key === null ? null : Buffer.from(key), value: value === null ? null : Buffer.from(value) });
const plain = (messages: KafkaMessage[]) => messages.map((m) => [m.offset, m.key?.toString() ?? null, m.value?.toString() ?? null]);

describe('PackedMessages and MessageBatch', () => {
  const first = PackedMessages.of([message(3, 'a', '{"id":1}'), message(4, null, ''), message(6, '', null)]);
  const second = PackedMessages.of([message(7, 'é', '{"s":"ü"}'), message(9, 'k', 'v')]);

  it('hands back what was packed, and slices view the same messages', () => {
    expect(plain(first.toMessages())).toEqual([[3, 'a', '{"id":1}'], [4, null, ''], [6, '', null]]);
    expect([first.length, first.firstOffset, first.lastOffset]).toEqual([3, 3, 6]);
    const tail = first.slice(1);
    expect([tail.length, tail.firstOffset, tail.offsetAt(1)]).toEqual([2, 4, 6]);
    expect(plain([tail.message(0)])).toEqual([[4, null, '']]);
  });

  it('a batch from an offset keeps exactly the messages at or after it, across blocks', () => {
    const batch = new MessageBatch([first, second]);
    expect([batch.length, batch.firstOffset, batch.lastOffset]).toEqual([5, 3, 9]);
    expect(plain(batch.from(5).messages())).toEqual([[6, '', null], [7, 'é', '{"s":"ü"}'], [9, 'k', 'v']]);
    expect(plain(batch.from(8).messages())).toEqual([[9, 'k', 'v']]);
    expect(batch.from(10).length).toBe(0);
    expect(batch.from(10).lastOffset).toBeUndefined();
  });

  it('the queue takes packed blocks as they are and cuts batches across them', () => {
    const queue = new MessageQueue();
    queue.pushPacked(first.slice(1));
    queue.pushPacked(second);
    const batch = queue.peekBatch(3);
    expect(plain(batch.messages())).toEqual([[4, null, ''], [6, '', null], [7, 'é', '{"s":"ü"}']]);
    queue.drop(batch.length);
    expect([queue.length, queue.firstOffset, queue.lastOffset]).toEqual([1, 9, 9]);
  });
});
