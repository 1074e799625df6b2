import { describe, expect, it } from 'vitest';
import { IdleSteps, type IdleClock } from '../../src/docs/browser/idle-steps.js';

/** A clock whose time moves only when the test says, running the timers that fall due. */
function fakeClock(): IdleClock & { advance(ms: number): Promise<void> } {
  let now = 0;
  let timers: { at: number; run: () => void; id: number }[] = [];
  let ids = 0;
  return {
    now: () => now,
    setTimeout: (run, ms) => {
      timers.push({ at: now + ms, run, id: ++ids });
      return ids;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        // Settled steps schedule their next timer from a promise callback.
        await new Promise((resolve) => setImmediate(resolve));
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = Math.max(now, due.at);
        due.run();
      }
      now = end;
    },
  };
}

describe('IdleSteps (the docs page warms ELK up only while the reader is idle)', () => {
  it('runs nothing before the page has been quiet for quietMs, then the steps one after another', async () => {
    const clock = fakeClock();
    const ran: number[] = [];
    const steps = new IdleSteps([1, 2, 3].map((n) => () => Promise.resolve(void ran.push(n))), 2000, clock);
    steps.start();
    await clock.advance(1999);
    expect(ran).toEqual([]);
    await clock.advance(1);
    expect(ran).toEqual([1, 2, 3]);
    expect(steps.done).toBe(true);
  });

  it('a route change postpones the steps left (a graph being drawn gets the cores)', async () => {
    const clock = fakeClock();
    const ran: string[] = [];
    let finish: () => void = () => undefined;
    const steps = new IdleSteps(
      [
        () => {
          ran.push('start worker');
          return new Promise<void>((resolve) => (finish = resolve));
        },
        () => Promise.resolve(void ran.push('layout')),
      ],
      2000,
      clock,
    );
    steps.start();
    await clock.advance(1500);
    steps.busy(); // the reader opened a graph
    await clock.advance(1999);
    expect(ran).toEqual([]);
    await clock.advance(1);
    expect(ran).toEqual(['start worker']);
    steps.busy(); // and another while the first step runs
    finish();
    await clock.advance(1000);
    expect(ran).toEqual(['start worker']);
    await clock.advance(1000);
    expect(ran).toEqual(['start worker', 'layout']);
  });

  it('a failing step counts as done', async () => {
    const clock = fakeClock();
    const ran: number[] = [];
    const steps = new IdleSteps([() => Promise.reject(new Error('no worker')), () => Promise.resolve(void ran.push(2))], 10, clock);
    steps.start();
    await clock.advance(10);
    expect(ran).toEqual([2]);
  });
});
