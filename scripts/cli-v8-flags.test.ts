import { describe, expect, it } from 'vitest';
import { LOAD_HEAP_GROWING_PERCENT } from '../src/loader/heap-growth.js';
import { v8Flags } from './cli-v8-flags.js';

describe('v8Flags', () => {
  it('run and build leave TurboFan to the hottest functions only (issue 18); docs compiles without inlining', () => {
    expect(v8Flags('run')).toBe('--interrupt-budget=4194304');
    expect(v8Flags('build')).toBe('--interrupt-budget=4194304');
    expect(v8Flags('docs')).toBe('--no-turbo-inlining');
  });

  it("load gets the loader's heap growth before compiling, the value the loader itself would set", () => {
    expect(v8Flags('load')).toBe(`--heap-growing-percent=${LOAD_HEAP_GROWING_PERCENT}`);
  });

  it("parse runs no GC task (a collection in the event loop's last turn, before the exit)", () => {
    expect(v8Flags('parse')).toBe('--no-incremental-marking-task --no-minor-gc-task');
  });

  it('other commands keep V8 as it is', () => {
    for (const command of ['compile', 'test', 'seed', 'ls', 'none']) expect(v8Flags(command)).toBeNull();
  });
});
