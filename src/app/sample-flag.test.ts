// dbt reads `--sample` once, when the command line is parsed (its click type SampleType builds the
// SampleWindow relative to that moment); the run's window and `flags.SAMPLE` are that one window.
import { describe, expect, it } from 'vitest';
import { createInvocation } from './invocation.js';
import { sampleFlagOf, sampleWindowOf } from './sample-flag.js';
import { SampleWindowValue } from '../compile/sample-window.js';

/** A clock that moves a minute each time it is read, so two readings of `now` cannot agree by chance. */
function movingClock(start: string): () => Date {
  let at = Date.parse(start);
  return () => {
    const now = new Date(at);
    at += 60_000;
    return now;
  };
}

describe('--sample is resolved once per invocation', () => {
  it('gives the run and the templates the same relative window, ending when the invocation started', () => {
    const inv = createInvocation({ sample: '3 days', now: movingClock('2025-01-04T12:00:00Z'), env: {}, write: () => {} });
    const window = sampleWindowOf(inv);
    const flag = sampleFlagOf(inv);
    expect(window).toEqual({ start: new Date('2025-01-01T12:00:00Z'), end: new Date('2025-01-04T12:00:00Z') });
    expect(flag).toBeInstanceOf(SampleWindowValue);
    expect((flag as SampleWindowValue).__repr__()).toBe(
      'SampleWindow(start=datetime.datetime(2025, 1, 1, 12, 0, tzinfo=<UTC>), end=datetime.datetime(2025, 1, 4, 12, 0, tzinfo=<UTC>))',
    );
    expect(sampleWindowOf(inv)).toBe(window);
  });

  it('keeps a window it cannot read as the flag text for templates, and as a usage error for the run', () => {
    const inv = createInvocation({ sample: '3 fortnights', env: {}, write: () => {} });
    expect(sampleFlagOf(inv)).toBe('3 fortnights');
    expect(() => sampleWindowOf(inv)).toThrow(/--sample: 'fortnights' is not a grain/);
  });

  it('is none without the flag', () => {
    const inv = createInvocation({ env: {}, write: () => {} });
    expect(sampleWindowOf(inv)).toBeNull();
    expect(sampleFlagOf(inv)).toBeNull();
  });
});
