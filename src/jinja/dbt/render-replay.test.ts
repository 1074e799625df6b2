import { describe, expect, it } from 'vitest';
import type { Connection } from '../../adapters/adapter.js';
import { WarehouseRenders } from './render-replay.js';

/** A connection no test statement reaches. */
const conn = {} as Connection;

describe('WarehouseRenders.speculate: a render ahead of its turn', () => {
  it("returns the render's value when it needed nothing of its turn", () => {
    const renders = new WarehouseRenders();
    expect(renders.speculate(() => 'select 1', 'model.p.a')).toBe('select 1');
    expect(renders.current).toBeNull();
  });

  // Each of these must wait for the node's turn; the template may even swallow the stop (a
  // macro catching errors), and the render is still thrown away.
  const reaches: [string, (renders: WarehouseRenders) => void][] = [
    ['a warehouse question (run_query, adapter.get_relation, even what the relation cache knows)', (r) => r.current?.ask('get_relation:db.s.m0', () => Promise.resolve(null))],
    ['a log line', (r) => r.current?.firstTimeLogged()],
    ['the clock or a value kept across attempts', (r) => r.current?.stable(() => 1)],
    ["dbt's graph (other renders change it)", (r) => r.current?.readsRunState('graph')],
  ];
  for (const [what, reach] of reaches) {
    it(`is thrown away when it reaches ${what}`, () => {
      const renders = new WarehouseRenders();
      let asked = false;
      const value = renders.speculate(() => {
        try {
          reach(renders);
        } catch {
          asked = true; // swallowed
        }
        return 'select 1';
      }, 'model.p.a');
      expect(asked).toBe(true);
      expect(value).toBeNull();
    });
  }

  it('never runs the work of a question', async () => {
    const renders = new WarehouseRenders();
    let ran = false;
    renders.speculate(() => renders.current?.ask('run_query:select 1', () => Promise.resolve((ran = true))), 'model.p.a');
    await new Promise((r) => setImmediate(r));
    expect(ran).toBe(false);
  });

  it('counts the renders begun in their turn (epoch), not the speculative ones', async () => {
    const renders = new WarehouseRenders();
    const before = renders.epoch;
    renders.speculate(() => 'x', 'model.p.a');
    expect(renders.epoch).toBe(before);
    await renders.render(conn, () => 'y', 'model.p.b');
    expect(renders.epoch).toBe(before + 1);
  });

  it('a render in its turn still logs and asks as before', async () => {
    const renders = new WarehouseRenders();
    const logged = await renders.render(conn, () => renders.current?.firstTimeLogged(), 'model.p.a');
    expect(logged).toBe(true);
    const answer = await renders.render(conn, () => renders.current?.ask('q', () => Promise.resolve(42)), 'model.p.a');
    expect(answer).toBe(42);
  });
});
