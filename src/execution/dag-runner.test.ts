import { describe, expect, it } from 'vitest';
import { runDag, type RunnableStep } from './dag-runner.js';
import type { NodeResult } from '../manifest/results.js';

const result = (id: string, status: NodeResult['status']): NodeResult => ({
  unique_id: id,
  status,
  timing: [],
  thread_id: 't',
  execution_time: 0,
  adapter_response: {},
  message: null,
  failures: null,
});

function steps(edges: Record<string, string[]>): RunnableStep[] {
  return Object.entries(edges).map(([id, dependsOn]) => ({ id, dependsOn }));
}

/** A statement's answer still on the wire: two turns of the event loop, so the runner's check-phase look-ahead always comes first (a timer could fire before it on a loaded machine). */
const onTheWire = async () => {
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
};

describe('runDag', () => {
  it("names its threads as dbt's thread pool names its workers: 'Thread-1 (worker)' ... 'Thread-N (worker)'", async () => {
    // run_results.json's thread_id, the template's `thread_id` and the log's thread are the
    // worker's name; Python 3.10+ (which dbt 1.11 requires) names a pool worker after its target.
    const threads = new Set<string>();
    await runDag({
      steps: steps({ a: [], b: [], c: [], d: [] }),
      threads: 3,
      failFast: false,
      execute: async (step, threadId) => {
        threads.add(threadId);
        await Promise.resolve();
        return result(step.id, 'success');
      },
      skip: (step) => result(step.id, 'skipped'),
    });
    expect([...threads].sort()).toEqual(['Thread-1 (worker)', 'Thread-2 (worker)', 'Thread-3 (worker)']);
  });

  it('runs parents before children and never more than `threads` at once', async () => {
    const order: string[] = [];
    let running = 0;
    let peak = 0;
    const results = await runDag({
      steps: steps({ a: [], b: [], c: ['a', 'b'], d: ['c'], e: [] }),
      threads: 2,
      failFast: false,
      execute: async (step) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        order.push(step.id);
        running--;
        return result(step.id, 'success');
      },
      skip: (step) => result(step.id, 'skipped'),
    });
    expect(results.map((r) => r.status)).toEqual(['success', 'success', 'success', 'success', 'success']);
    expect(order.indexOf('c')).toBeGreaterThan(order.indexOf('a'));
    expect(order.indexOf('c')).toBeGreaterThan(order.indexOf('b'));
    expect(order.indexOf('d')).toBeGreaterThan(order.indexOf('c'));
    expect(peak).toBe(2);
  });

  it('skips every descendant of a failed step and runs the rest', async () => {
    const results = await runDag({
      steps: steps({ a: [], b: ['a'], c: ['b'], d: [] }),
      threads: 1,
      failFast: false,
      execute: (step) => Promise.resolve(result(step.id, step.id === 'a' ? 'error' : 'success')),
      skip: (step, reason) => ({ ...result(step.id, 'skipped'), skipped_because: reason }),
    });
    const byId = Object.fromEntries(results.map((r) => [r.unique_id, r]));
    expect(byId.a?.status).toBe('error');
    expect(byId.b?.status).toBe('skipped');
    expect(byId.c?.status).toBe('skipped');
    expect(byId.c?.skipped_because).toBe('a');
    expect(byId.d?.status).toBe('success');
  });

  it('a warning does not skip descendants, a failed test does', async () => {
    const results = await runDag({
      steps: steps({ t1: [], m1: ['t1'], t2: [], m2: ['t2'] }),
      threads: 1,
      failFast: false,
      execute: (step) => Promise.resolve(result(step.id, step.id === 't1' ? 'warn' : step.id === 't2' ? 'fail' : 'success')),
      skip: (step) => result(step.id, 'skipped'),
    });
    const byId = Object.fromEntries(results.map((r) => [r.unique_id, r.status]));
    expect(byId).toEqual({ t1: 'warn', m1: 'success', t2: 'fail', m2: 'skipped' });
  });

  it('fail-fast stops scheduling after the first failure', async () => {
    const executed: string[] = [];
    const results = await runDag({
      steps: steps({ a: [], b: [], c: [], d: [] }),
      threads: 1,
      failFast: true,
      execute: (step) => {
        executed.push(step.id);
        return Promise.resolve(result(step.id, step.id === 'b' ? 'error' : 'success'));
      },
      skip: (step) => result(step.id, 'skipped'),
    });
    expect(executed).toEqual(['a', 'b']);
    expect(results.filter((r) => r.status === 'skipped').map((r) => r.unique_id).sort()).toEqual(['c', 'd']);
  });
});

// dbt's fail-fast (core/dbt/task/runnable.py): the main thread hands every ready node to the
// pool, and raises FailFastError when it is next given a node (or, all handed out, when one ends).
describe('runDag fail-fast, where dbt stops', () => {
  const skipWithReason = (step: RunnableStep, reason: string): NodeResult => ({ ...result(step.id, 'skipped'), message: reason });
  /** One thread under fail-fast, `failing` ending with `status` and every other step in success: what executed, and the results. */
  const failFastRun = async (graph: Record<string, string[]>, failing: string, status: NodeResult['status']) => {
    const executed: string[] = [];
    const results = await runDag({
      steps: steps(graph),
      threads: 1,
      failFast: true,
      execute: (step) => {
        executed.push(step.id);
        return Promise.resolve(result(step.id, step.id === failing ? status : 'success'));
      },
      skip: skipWithReason,
    });
    return { executed, results };
  };

  it("runs the steps ready when the first failure lands (dbt's minimal_cli: every test of a model runs, the snapshot after them is skipped)", async () => {
    const { executed, results } = await failFastRun({ seed: [], model: ['seed'], t1: ['model'], t2: ['model'], t3: ['model'], snap: ['model', 't1', 't2', 't3'] }, 't1', 'fail');
    expect(executed).toEqual(['seed', 'model', 't1', 't2', 't3']);
    expect(results.map((r) => [r.unique_id, r.status, r.message])).toEqual([
      ['seed', 'success', null],
      ['model', 'success', null],
      ['t1', 'fail', null],
      ['t2', 'success', null],
      ['t3', 'success', null],
      ['snap', 'skipped', 'fail-fast'],
    ]);
  });

  it('stops at once when the failure makes a step ready: its child and the waiting steps are fail-fast skips', async () => {
    const { executed, results } = await failFastRun({ a: [], b: [], c: ['b'], d: [] }, 'b', 'error');
    expect(executed).toEqual(['a', 'b']);
    expect(Object.fromEntries(results.map((r) => [r.unique_id, r.message ?? r.status]))).toEqual({ a: 'success', b: 'error', c: 'fail-fast', d: 'fail-fast' });
  });

  it("cancels what still runs when it stops, and a step stopped so is skipped, with what it gave handed to onFinish", async () => {
    let release: () => void = () => undefined;
    const slow = new Promise<void>((r) => (release = r));
    const cancelled: { running: string[]; threads: string[] }[] = [];
    const finished: [string, string, string | undefined][] = [];
    const results = await runDag({
      steps: steps({ a: [], b: [], c: ['a'] }),
      threads: 2,
      failFast: true,
      execute: async (step) => {
        if (step.id === 'b') await slow;
        return result(step.id, step.id === 'a' ? 'error' : 'success');
      },
      skip: skipWithReason,
      onFailFast: (running, threads) => {
        cancelled.push({ running: running.map((s) => s.id), threads: threads.map((t) => `${t.threadId}:${t.step.id}`) });
        release();
      },
      onFinish: (step, r, ran) => finished.push([step.id, r.message ?? r.status, ran?.status]),
    });
    expect(cancelled).toEqual([{ running: ['b'], threads: ['Thread-1 (worker):a', 'Thread-2 (worker):b'] }]);
    expect(Object.fromEntries(results.map((r) => [r.unique_id, r.message ?? r.status]))).toEqual({ a: 'error', b: 'fail-fast', c: 'fail-fast' });
    expect(finished).toContainEqual(['b', 'fail-fast', 'success']);
  });
});

describe('runDag lookahead (one thread)', () => {
  /** Waits two turns of the event loop's check phase: the step is "on the warehouse" meanwhile. */

  it('names, while a step runs, the step that starts next; that step is the one started', async () => {
    const started: string[] = [];
    const predicted: [string, string, string][] = [];
    let running = '';
    await runDag({
      steps: steps({ a: [], b: ['a'], c: ['b'], d: [] }),
      threads: 1,
      failFast: false,
      execute: async (step) => {
        running = step.id;
        started.push(step.id);
        await onTheWire();
        return result(step.id, 'success');
      },
      skip: (step) => result(step.id, 'skipped'),
      lookahead: (step, thread) => predicted.push([running, step.id, thread]),
    });
    expect(started).toEqual(['a', 'd', 'b', 'c']);
    expect(predicted).toEqual([
      ['a', 'd', 'Thread-1 (worker)'],
      ['d', 'b', 'Thread-1 (worker)'],
      ['b', 'c', 'Thread-1 (worker)'],
    ]);
  });

  it('a step predicted after one that fails is skipped, not started', async () => {
    const started: string[] = [];
    const predicted: string[] = [];
    const results = await runDag({
      steps: steps({ a: [], b: ['a'] }),
      threads: 1,
      failFast: false,
      execute: async (step) => {
        started.push(step.id);
        await onTheWire();
        return result(step.id, 'error');
      },
      skip: (step) => result(step.id, 'skipped'),
      lookahead: (step) => predicted.push(step.id),
    });
    expect(predicted).toEqual(['b']);
    expect(started).toEqual(['a']);
    expect(results.map((r) => [r.unique_id, r.status])).toEqual([
      ['a', 'error'],
      ['b', 'skipped'],
    ]);
  });

  it('is not asked with more than one thread, and a lookahead that throws changes nothing', async () => {
    const chain = (threads: number, lookahead: (step: RunnableStep) => void) =>
      runDag({
        steps: steps({ a: [], b: ['a'] }),
        threads,
        failFast: false,
        execute: async (step) => {
          await onTheWire();
          return result(step.id, 'success');
        },
        skip: (step) => result(step.id, 'skipped'),
        lookahead,
      });
    const predicted: string[] = [];
    await chain(2, (step) => predicted.push(step.id));
    expect(predicted).toEqual([]);
    const results = await chain(1, () => {
      throw new Error('only a head start');
    });
    expect(results.map((r) => r.status)).toEqual(['success', 'success']);
  });

});

describe('runDag with `follow` (one thread: a step started behind the running one)', () => {
  const chain = () => steps({ a: [], b: ['a'], c: ['b'] });

  it('adopts the step started early in its turn instead of executing it again', async () => {
    const events: string[] = [];
    const results = await runDag({
      steps: chain(),
      threads: 1,
      failFast: false,
      execute: async (step) => {
        events.push(`execute ${step.id}`);
        await onTheWire();
        return result(step.id, 'success');
      },
      skip: (step) => result(step.id, 'skipped'),
      lookahead: () => undefined,
      follow: (step) => {
        events.push(`follow ${step.id}`);
        return {
          adopt: async () => {
            events.push(`adopt ${step.id}`);
            await onTheWire(); // its answer, still on the wire
            return result(step.id, 'success');
          },
          abandon: () => events.push(`abandon ${step.id}`),
        };
      },
    });
    expect(results.map((r) => `${r.unique_id} ${r.status}`)).toEqual(['a success', 'b success', 'c success']);
    expect(events).toEqual(['execute a', 'follow b', 'adopt b', 'follow c', 'adopt c']);
  });

  it('queues the next step behind an adopted one before the work queued for the check phase (file and log writes)', async () => {
    const events: string[] = [];
    await runDag({
      steps: chain(),
      threads: 1,
      failFast: false,
      execute: async (step) => {
        await onTheWire();
        return result(step.id, 'success');
      },
      skip: (step) => result(step.id, 'skipped'),
      lookahead: (step) => events.push(`render ${step.id}`),
      follow: (step) => ({
        adopt: async () => {
          // What the run queues for the check phase as a node's turn comes (its files, log lines).
          setImmediate(() => events.push(`writes ${step.id}`));
          await onTheWire();
          return result(step.id, 'success');
        },
        abandon: () => undefined,
      }),
    });
    // b's round trip is on the wire when it is adopted: c renders and is queued at once, before b's writes.
    expect(events).toEqual(['render b', 'render c', 'writes b', 'writes c']);
  });

  it('renders the step after the one started early while the running one is still on the wire, where the DAG tells it', async () => {
    const events: string[] = [];
    const longWire = async () => {
      for (let i = 0; i < 4; i++) await new Promise((r) => setImmediate(r));
    };
    const run = (edges: Record<string, string[]>) =>
      runDag({
        steps: steps(edges),
        threads: 1,
        failFast: false,
        execute: async (step) => {
          events.push(`execute ${step.id}`);
          await longWire();
          events.push(`answer ${step.id}`);
          return result(step.id, 'success');
        },
        skip: (step) => result(step.id, 'skipped'),
        lookahead: (step) => events.push(`render ${step.id}`),
        follow: (step) => ({
          adopt: async () => {
            events.push(`adopt ${step.id}`);
            await longWire();
            return result(step.id, 'success');
          },
          abandon: () => undefined,
        }),
      });
    await run({ a: [], b: ['a'], c: ['b'] });
    expect(events.slice(0, 4)).toEqual(['execute a', 'render b', 'render c', 'answer a']);
    // a's other child runs before b's: nothing is rendered two ahead.
    events.length = 0;
    await run({ a: [], b: ['a'], x: ['a'], c: ['b'] });
    expect(events.slice(0, 3)).toEqual(['execute a', 'render b', 'answer a']);
  });

  it('abandons the step started early when the running one fails and it is skipped', async () => {
    const events: string[] = [];
    const results = await runDag({
      steps: chain(),
      threads: 1,
      failFast: false,
      execute: async (step) => {
        await onTheWire();
        return result(step.id, step.id === 'a' ? 'error' : 'success');
      },
      skip: (step) => result(step.id, 'skipped'),
      lookahead: () => undefined,
      follow: (step) => ({
        adopt: () => Promise.resolve(result(step.id, 'success')),
        abandon: () => events.push(`abandon ${step.id}`),
      }),
    });
    expect(results.map((r) => `${r.unique_id} ${r.status}`)).toEqual(['a error', 'b skipped', 'c skipped']);
    expect(events).toEqual(['abandon b']);
  });
});
