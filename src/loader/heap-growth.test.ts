// heap-growth.ts: a load sets V8's heap growth once per process, and never over a flag node was given.
import v8 from 'node:v8';
import { afterEach, describe, expect, it, vi } from 'vitest';

const load = async () => {
  vi.resetModules();
  return import('./heap-growth.js');
};

describe('growHeapForLoad', () => {
  const execArgv = process.execArgv;
  afterEach(() => {
    process.execArgv = execArgv;
    vi.restoreAllMocks();
  });

  it('sets --heap-growing-percent once per process', async () => {
    const set = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
    process.execArgv = execArgv.filter((a) => !a.includes('heap-growing-percent'));
    const { growHeapForLoad, LOAD_HEAP_GROWING_PERCENT } = await load();
    growHeapForLoad();
    growHeapForLoad();
    expect(set.mock.calls).toEqual([[`--heap-growing-percent=${LOAD_HEAP_GROWING_PERCENT}`]]);
  });

  it('leaves the flag alone when node was started with it', async () => {
    const set = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
    process.execArgv = [...execArgv, '--heap-growing-percent=50'];
    const { growHeapForLoad } = await load();
    growHeapForLoad();
    expect(set).not.toHaveBeenCalled();
  });

  it("leaves the flag alone when the bundled CLI set it before compiling (tsdbt load's code cache)", async () => {
    const set = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
    process.execArgv = execArgv.filter((a) => !a.includes('heap-growing-percent'));
    const marker = Symbol.for('tsdbt.v8Flags');
    (globalThis as Record<symbol, unknown>)[marker] = '--heap-growing-percent=300';
    try {
      const { growHeapForLoad } = await load();
      growHeapForLoad();
      expect(set).not.toHaveBeenCalled();
    } finally {
      delete (globalThis as Record<symbol, unknown>)[marker];
    }
  });
});
