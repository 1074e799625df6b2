import { describe, expect, it } from 'vitest';
import { v8Flags } from './cli-v8-flags.js';

describe('v8Flags', () => {
  it('run and build leave TurboFan to the hottest functions only (issue 18); docs compiles without inlining', () => {
    expect(v8Flags('run')).toBe('--interrupt-budget=4194304');
    expect(v8Flags('build')).toBe('--interrupt-budget=4194304');
    expect(v8Flags('docs')).toBe('--no-turbo-inlining');
  });

  it('other commands keep V8 as it is', () => {
    for (const command of ['parse', 'compile', 'test', 'seed', 'ls', 'none']) expect(v8Flags(command)).toBeNull();
  });
});
