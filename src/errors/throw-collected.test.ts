// throwCollected: what a pass collected is reported as it is (one error) or as one list (several).
import { describe, expect, it } from 'vitest';
import { TsdbtError, TsdbtErrorList, throwCollected } from './tsdbt-error.js';

describe('throwCollected', () => {
  const a = new TsdbtError('a went wrong', { code: 'yaml-invalid' });
  const b = new TsdbtError('b went wrong', { code: 'yaml-invalid' });

  it('does nothing without errors, throws the one error as it is, and several as a list', () => {
    expect(() => throwCollected([])).not.toThrow();
    expect(() => throwCollected([a])).toThrow(a);
    let thrown: unknown;
    try {
      throwCollected([a, b]);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(TsdbtErrorList);
    expect((thrown as TsdbtErrorList).errors).toEqual([a, b]);
  });
});
