import { describe, expect, it } from 'vitest';
import { newRunId } from './run-id.js';

describe('run ids', () => {
  it('are UUID version 7 with the tick time in front, so they sort by time', () => {
    const id = newRunId(new Date('2026-01-01T00:05:00Z'), Buffer.alloc(10, 0xff));
    expect(id).toBe('019b76df-3be0-7fff-bfff-ffffffffffff');
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse('2026-01-01T00:05:00Z'));
    const ids = ['2026-01-01T00:10:00Z', '2026-01-01T00:05:00Z', '2027-01-01T00:00:00Z'].map((t) => newRunId(new Date(t)));
    expect([...ids].sort()).toEqual([ids[1], ids[0], ids[2]]);
    for (const i of ids) expect(i).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newRunId(new Date(0))).not.toBe(newRunId(new Date(0)));
  });
});
