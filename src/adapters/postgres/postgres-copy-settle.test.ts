// After a failed COPY: an error from the server ends the COPY there and then (no wait), while a
// failure of our own input waits for the server's answer to the CopyFail (the stream's close).
// Deterministic: fake timers, and the stream is an EventEmitter the test closes itself.
import { EventEmitter } from 'node:events';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { settleFailedCopy } from './postgres-pooled-session.js';

class FakeCopyStream extends EventEmitter {
  closed = false;
  close(): void {
    this.closed = true;
    this.emit('close');
  }
}

/** Whether `promise` has settled once pending callbacks have run (no timer advances). */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await vi.advanceTimersByTimeAsync(0);
  return done;
}

describe('settleFailedCopy', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('returns at once when the server refused the data (a DatabaseError: the COPY is over)', async () => {
    const refused = new pg.DatabaseError('invalid input syntax for type integer: "abc"', 0, 'error');
    expect(await settled(settleFailedCopy(new FakeCopyStream(), refused))).toBe(true);
  });

  it('waits for the answer to the CopyFail when the input failed, and no longer', async () => {
    const stream = new FakeCopyStream();
    const waiting = settleFailedCopy(stream, new Error('the CSV file went away'));
    expect(await settled(waiting)).toBe(false);
    stream.close();
    expect(await settled(waiting)).toBe(true);
  });

  it('gives up waiting after waitMs when the server never answers', async () => {
    const waiting = settleFailedCopy(new FakeCopyStream(), new Error('input failed'), 1000);
    expect(await settled(waiting)).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await settled(waiting)).toBe(true);
  });
});
