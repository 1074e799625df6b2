// WriteGroups (write-groups.ts): the batches that wait for a write slot go together, up to
// GROUP_BATCHES times batch_size messages a write, one batch per partition; without a batch size
// (a warehouse without transactions) one batch a write.
import { describe, expect, it } from 'vitest';
import type { PartitionWrite } from './batch-writer.js';
import { MessageBatch, PackedMessages } from './packed-messages.js';
import { GROUP_BATCHES, WriteGroups } from './write-groups.js';

const batchOf = (partition: number, count: number) =>
  new MessageBatch([PackedMessages.of(Array.from({ length: count }, (_v, i) => ({ offset: i, key: null, value: Buffer.from(`{"p":${partition},"i":${i}}`) })))]);

/** Writes recorded as [partition, messages] lists; the first write is held until `release()`. */
function recorder() {
  const writes: [number, number][][] = [];
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const writeGroup = async (group: PartitionWrite[]) => {
    writes.push(group.map((w) => [w.partition, w.messages.length]));
    if (writes.length === 1) await held;
  };
  return { writes, writeGroup, release };
}

describe('WriteGroups', () => {
  it('a free slot takes the waiting batches up to GROUP_BATCHES times batch_size messages', async () => {
    const { writes, writeGroup, release } = recorder();
    const groups = new WriteGroups(writeGroup, 1, 5);
    const first = groups.write(0, batchOf(0, 5));
    await new Promise((resolve) => setImmediate(resolve));
    // Six partitions' full batches come due while the one slot is busy.
    const rest = [1, 2, 3, 4, 5, 6].map((p) => groups.write(p, batchOf(p, 5)));
    release();
    await Promise.all([first, ...rest]);
    expect(GROUP_BATCHES).toBe(4);
    expect(writes).toEqual([
      [[0, 5]],
      [
        [1, 5],
        [2, 5],
        [3, 5],
        [4, 5],
      ],
      [
        [5, 5],
        [6, 5],
      ],
    ]);
  });

  it('never puts two batches of one partition in a write, and writes one batch a write without a batch size', async () => {
    const grouped = recorder();
    const groups = new WriteGroups(grouped.writeGroup, 1, 5);
    const first = groups.write(0, batchOf(0, 2));
    await new Promise((resolve) => setImmediate(resolve));
    const rest = [groups.write(1, batchOf(1, 2)), groups.write(1, batchOf(1, 2)), groups.write(2, batchOf(2, 2))];
    grouped.release();
    await Promise.all([first, ...rest]);
    expect(grouped.writes).toEqual([
      [[0, 2]],
      [
        [1, 2],
        [2, 2],
      ],
      [[1, 2]],
    ]);

    const single = recorder();
    const alone = new WriteGroups(single.writeGroup, 1, 0);
    const firstAlone = alone.write(0, batchOf(0, 2));
    await new Promise((resolve) => setImmediate(resolve));
    const restAlone = [alone.write(1, batchOf(1, 2)), alone.write(2, batchOf(2, 2))];
    single.release();
    await Promise.all([firstAlone, ...restAlone]);
    expect(single.writes).toEqual([[[0, 2]], [[1, 2]], [[2, 2]]]);
  });
});
