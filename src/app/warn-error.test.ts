import { describe, expect, it } from 'vitest';
import { parseWarnErrorOptions, projectWarnErrorPolicy, WARN_ERROR_ALL, warnErrorPolicy } from './warn-error.js';

describe('warn-error options (dbt_common WarnErrorOptions)', () => {
  it('error "all" or "*" promotes every event except those under warn; silence is separate', () => {
    for (const all of ['all', '*']) {
      const policy = parseWarnErrorOptions(JSON.stringify({ error: all, warn: ['NothingToDo'], silence: ['JinjaLogWarning'] }));
      expect(policy.promotes('LogTestResult')).toBe(true);
      expect(policy.promotes('NothingToDo')).toBe(false);
      expect(policy.silenced('JinjaLogWarning')).toBe(true);
      expect(policy.silenced('NothingToDo')).toBe(false);
    }
  });

  it("dbt's JSON-schema check warnings are not made errors by --warn-error or error: all, only when named (dbt never fires them on postgres)", () => {
    for (const policy of [WARN_ERROR_ALL, parseWarnErrorOptions('{error: all}')]) {
      expect(policy.promotes('CustomKeyInObjectDeprecation')).toBe(false);
      expect(policy.promotes('CustomTopLevelKeyDeprecation')).toBe(false);
      expect(policy.promotes('NoNodeForYamlKey')).toBe(true);
    }
    expect(parseWarnErrorOptions('{error: [CustomKeyInObjectDeprecation]}').promotes('CustomKeyInObjectDeprecation')).toBe(true);
  });

  it('a list promotes only the named events; include / exclude are the dbt 1.x names', () => {
    const policy = parseWarnErrorOptions('{include: [NothingToDo, LogTestResult], exclude: [LogTestResult]}');
    expect(policy.promotes('NothingToDo')).toBe(true);
    expect(policy.promotes('LogTestResult')).toBe(false);
    expect(policy.promotes('JinjaLogWarning')).toBe(false);
  });

  it('flags win over env vars, DBT_WARN_ERROR=false is none, nothing set is undefined (project flags may apply)', () => {
    expect(warnErrorPolicy({}, {})).toBeUndefined();
    expect(warnErrorPolicy({}, { DBT_WARN_ERROR: 'false' })?.promotes('X')).toBe(false);
    expect(warnErrorPolicy({}, { DBT_WARN_ERROR: '1' })?.promotes('X')).toBe(true);
    expect(warnErrorPolicy({ warnErrorOptions: '{error: [A]}' }, { DBT_WARN_ERROR_OPTIONS: '{error: [B]}' })?.promotes('B')).toBe(false);
    expect(warnErrorPolicy({}, { TSDBT_WARN_ERROR_OPTIONS: '{error: [A]}', DBT_WARN_ERROR_OPTIONS: '{error: [B]}' })?.promotes('A')).toBe(true);
    expect(projectWarnErrorPolicy({ warn_error_options: { error: ['A'], silence: ['B'] } })?.silenced('B')).toBe(true);
    expect(projectWarnErrorPolicy({})).toBeUndefined();
  });

  it('rejects what is not a mapping of lists, naming the key', () => {
    expect(() => parseWarnErrorOptions('[a]')).toThrow('must be a mapping with error / warn / silence');
    expect(() => parseWarnErrorOptions('{silence: A}')).toThrow('"silence" must be a list of warning names');
    expect(() => parseWarnErrorOptions('{errors: all}')).toThrow('unknown key "errors"');
    expect(() => parseWarnErrorOptions('{error: [')).toThrow('is not valid YAML or JSON');
  });
});
