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

  it('where dbt runs its JSON-schema checks, --warn-error and error: all make those warnings errors as dbt does; warn / silence still win', () => {
    for (const policy of [WARN_ERROR_ALL, parseWarnErrorOptions('{error: all}')]) {
      expect(policy.promotesWhereDbtValidates?.('MissingPlusPrefixDeprecation')).toBe(true);
      expect(policy.promotesWhereDbtValidates?.('CustomKeyInConfigDeprecation')).toBe(true);
    }
    const policy = parseWarnErrorOptions('{error: all, warn: [CustomKeyInConfigDeprecation], silence: [MissingPlusPrefixDeprecation]}');
    expect(policy.promotesWhereDbtValidates?.('CustomKeyInConfigDeprecation')).toBe(false);
    expect(policy.promotesWhereDbtValidates?.('MissingPlusPrefixDeprecation')).toBe(false);
    expect(policy.promotesWhereDbtValidates?.('CustomKeyInObjectDeprecation')).toBe(true);
  });

  it('a list promotes only the named events; include / exclude are the dbt 1.x names, warned as WEOIncludeExcludeDeprecation', () => {
    const policy = parseWarnErrorOptions('{include: [NothingToDo, LogTestResult], silence: [LogTestResult]}');
    expect(policy.promotes('NothingToDo')).toBe(true);
    expect(policy.promotes('LogTestResult')).toBe(false);
    expect(policy.promotes('JinjaLogWarning')).toBe(false);
    expect(policy.deprecations).toEqual([{ event: 'WEOIncludeExcludeDeprecation', message: 'Found `include` in `warn_error_options` specification. Please use `error` instead of `include`.' }]);
    expect(parseWarnErrorOptions('{include: all, exclude: [NothingToDo]}').deprecations?.[0]?.message).toBe(
      'Found `include` and `exclude` in `warn_error_options` specification. Please use `error` instead of `include`. Please use `warn` instead of `exclude`.',
    );
    expect(parseWarnErrorOptions('{error: all, warn: [NothingToDo]}').deprecations).toEqual([]);
  });

  it('Deprecations names every deprecation event (code D...): a name beats the group, the group beats all, silence beats warn beats error', () => {
    const group = parseWarnErrorOptions('{error: [Deprecations], warn: [ModelParamUsageDeprecation]}');
    expect(group.promotes('ConfigSourcePathDeprecation')).toBe(true);
    expect(group.promotes('ModelParamUsageDeprecation')).toBe(false);
    expect(group.promotes('NothingToDo')).toBe(false);
    // dbt never fires the JSON-schema checks on postgres: the group leaves them warnings, as error: all does.
    expect(group.promotes('CustomKeyInObjectDeprecation')).toBe(false);
    const allButDeprecations = parseWarnErrorOptions('{error: all, warn: [Deprecations]}');
    expect(allButDeprecations.promotes('NothingToDo')).toBe(true);
    expect(allButDeprecations.promotes('ConfigDataPathDeprecation')).toBe(false);
    const quiet = parseWarnErrorOptions('{error: [ModelParamUsageDeprecation], silence: [Deprecations]}');
    expect(quiet.silenced('ConfigDataPathDeprecation')).toBe(true);
    expect(quiet.silenced('DeprecationsSummary')).toBe(true);
    expect(quiet.silenced('ModelParamUsageDeprecation')).toBe(false);
    expect(quiet.promotes('ModelParamUsageDeprecation')).toBe(true);
    expect(quiet.silenced('NothingToDo')).toBe(false);
    // Named under silence, an event is not an error even with error: all.
    expect(parseWarnErrorOptions('{error: all, silence: [NothingToDo]}').promotes('NothingToDo')).toBe(false);
  });

  it('refuses what dbt_common refuses: warn without error all or Deprecations, and a key given under both its names', () => {
    expect(() => parseWarnErrorOptions('{error: [NothingToDo], warn: [LogTestResult]}')).toThrow("`warn` can only be specified if `error` is one of ('all', '*') or Deprecations is in `error` or silence.");
    expect(() => parseWarnErrorOptions('{silence: [Deprecations], warn: [ModelParamUsageDeprecation]}')).not.toThrow();
    expect(() => parseWarnErrorOptions('{error: all, include: all}')).toThrow('Only `include` or `error` can be specified in `warn_error_options`, not both');
    expect(() => parseWarnErrorOptions('{error: all, warn: [LogTestResult], exclude: [NothingToDo]}')).toThrow('Only `exclude` or `warn` can be specified in `warn_error_options`, not both');
    // An empty one is not given, as in dbt: the other applies.
    expect(parseWarnErrorOptions('{error: all, warn: [], exclude: [NothingToDo]}').promotes('NothingToDo')).toBe(false);
  });

  it('flags win over env vars, DBT_WARN_ERROR=false is none, nothing set is undefined (project flags may apply)', () => {
    expect(warnErrorPolicy({}, {})).toBeUndefined();
    expect(warnErrorPolicy({}, { DBT_WARN_ERROR: 'false' })?.promotes('X')).toBe(false);
    expect(warnErrorPolicy({}, { DBT_WARN_ERROR: '1' })?.promotes('X')).toBe(true);
    expect(warnErrorPolicy({ warnErrorOptions: '{error: [NothingToDo]}' }, { DBT_WARN_ERROR_OPTIONS: '{error: [LogTestResult]}' })?.promotes('LogTestResult')).toBe(false);
    expect(warnErrorPolicy({}, { TSDBT_WARN_ERROR_OPTIONS: '{error: [NothingToDo]}', DBT_WARN_ERROR_OPTIONS: '{error: [LogTestResult]}' })?.promotes('NothingToDo')).toBe(true);
    expect(projectWarnErrorPolicy({ warn_error_options: { error: ['NothingToDo'], silence: ['LogTestResult'] } })?.silenced('LogTestResult')).toBe(true);
    expect(projectWarnErrorPolicy({})).toBeUndefined();
  });

  it("refuses a name that is no dbt (or tsdbt) event, as dbt_common's WarnErrorOptionsV2 does, suggesting the closest", () => {
    expect(() => parseWarnErrorOptions('{error: [NoNodesForSelectionCritera]}')).toThrow('--warn-error-options: NoNodesForSelectionCritera is not a valid dbt error name.');
    expect(() => parseWarnErrorOptions('{error: [NoNodesForSelectionCritera]}')).toThrow(expect.objectContaining({ hint: 'did you mean NoNodesForSelectionCriteria?' }));
    expect(() => parseWarnErrorOptions('{error: all, warn: [NothingToDo, Bogus]}')).toThrow('Bogus is not a valid dbt error name.');
    expect(() => projectWarnErrorPolicy({ warn_error_options: { silence: ['JinjaLogWarnng'] } })).toThrow('dbt_project.yml flags.warn_error_options: JinjaLogWarnng is not a valid dbt error name.');
    // dbt's names, the Deprecations group, the level classes dbt's list takes in, and tsdbt's own events pass.
    const policy = parseWarnErrorOptions('{error: [Deprecations, InfoLevel], silence: [SeedColumnNameShortened, LoaderRetry, NothingToDo]}');
    expect(policy.silenced('NothingToDo')).toBe(true);
    expect(policy.silenced('LoaderRetry')).toBe(true);
  });

  it('rejects what is not a mapping of lists, naming the key', () => {
    expect(() => parseWarnErrorOptions('[a]')).toThrow('must be a mapping with error / warn / silence');
    expect(() => parseWarnErrorOptions('{silence: A}')).toThrow('"silence" must be a list of warning names');
    expect(() => parseWarnErrorOptions('{errors: all}')).toThrow('unknown key "errors"');
    expect(() => parseWarnErrorOptions('{error: [')).toThrow('is not valid YAML or JSON');
  });
});
