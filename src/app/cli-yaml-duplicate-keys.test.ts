// dbt reads every YAML string it is handed (--vars, --args, --warn-error-options, the fromyaml
// context function) with PyYAML's SafeLoader, where a key given twice in one mapping keeps its last
// value and nothing fails. snowplow-unified's CI passes `snowplow__enable_cwv: false` twice in one
// --vars; dbt runs it, and so must we.
import { describe, expect, it } from 'vitest';
import { parseCliVars } from '../config/vars.js';
import { JinjaEnvironment } from '../jinja/engine/index.js';
import { pythonBuiltins } from '../jinja/pylib/builtins/index.js';
import { parseOperationArgs } from './operation-macro.js';
import { parseWarnErrorOptions } from './warn-error.js';

describe('YAML strings with a key given twice: the later value wins, as with PyYAML', () => {
  it('--vars', () => {
    expect(parseCliVars('{enable_cwv: false, days: 220, enable_cwv: true}')).toEqual({ enable_cwv: true, days: 220 });
  });

  it('--args of run-operation', () => {
    expect(parseOperationArgs('{days: 7, dry_run: true, days: 9}')).toEqual({ days: 9, dry_run: true });
  });

  it('--warn-error-options', () => {
    const policy = parseWarnErrorOptions('{error: [NothingToDo], error: [LogTestResult]}');
    expect(policy.promotes('LogTestResult')).toBe(true);
    expect(policy.promotes('NothingToDo')).toBe(false);
  });

  it('fromyaml', () => {
    const out = new JinjaEnvironment().renderString("{{ fromyaml('a: 1\\nb: 2\\na: 3') | tojson }}", pythonBuiltins());
    expect(out).toBe('{"a": 3, "b": 2}');
  });

  it('merge keys (<<) are applied in --vars, as PyYAML applies them', () => {
    expect(parseCliVars('{base: &b {x: 1, y: 2}, over: {<<: *b, y: 3}}')).toEqual({ base: { x: 1, y: 2 }, over: { x: 1, y: 3 } });
  });
});
