// The test-only kill hook is inert unless its variable holds a positive integer.
import { describe, expect, it } from 'vitest';
import { KILL_AFTER_STATEMENT_ENV, statementKiller } from './fault-injection.js';

describe('statementKiller', () => {
  it('is off unless TSDBT_TEST_KILL_AFTER_STATEMENT is a positive integer', () => {
    for (const value of [undefined, '', '0', '-1', '1.5', 'abc', '1e3', ' ', '07x']) {
      expect(statementKiller(value === undefined ? {} : { [KILL_AFTER_STATEMENT_ENV]: value }), String(value)).toBeNull();
    }
    expect(statementKiller({ [KILL_AFTER_STATEMENT_ENV]: '3' })).toBeTypeOf('function');
  });

  it('does nothing before statement n', () => {
    const kill = statementKiller({ [KILL_AFTER_STATEMENT_ENV]: '3' });
    // Statements 1 and 2 pass (statement 3 would end this process, which the kill -9 suite exercises).
    expect(() => kill?.({ sql: 'select 1', durationMs: 0 })).not.toThrow();
    expect(() => kill?.({ sql: 'select 2', durationMs: 0 })).not.toThrow();
  });
});
