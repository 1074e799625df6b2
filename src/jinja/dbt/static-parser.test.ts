// The static parser's rules, one at a time, over a small macro table (the end-to-end test,
// test/e2e/static-parser.test.ts, checks its manifests equal the ones rendering gives).
import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../engine/parse-template.js';
import { macroCallKey, macroTextEffect, staticParse, type MacroCallArgs, type StaticParseScope } from './static-parser.js';

/** A scope over `macros` (all in namespace `demo`), memoising as the parse session does. */
function scopeOf(macros: Record<string, string>, extra: Partial<StaticParseScope> = {}): StaticParseScope {
  const memo = new Map<string, string | null>();
  const scope: StaticParseScope = {
    overridden: new Set(),
    macroNamespace: (name) => (name in macros ? 'demo' : undefined),
    isNamespace: (name) => name === 'demo',
    hasMacro: (_ns, name) => name in macros,
    macroEffect: (_ns, name, args: MacroCallArgs) => {
      const key = `${name}(${macroCallKey(args)})`;
      if (!memo.has(key)) {
        memo.set(key, null); // recursion: assumed inert while in progress
        memo.set(key, macroTextEffect(macros[name] ?? '', scope, args));
      }
      return memo.get(key) ?? null;
    },
    dispatchTargets: (name) => Object.keys(macros).filter((m) => m === `default__${name}`).map((m) => ['demo', m] as [string, string]),
    inContext: (name) => ['run_query', 'store_result'].includes(name),
    templatedVar: () => false,
    env: {},
    target: { name: 'dev', type: 'postgres' },
    varValue: (name) => ({ value: name === 'flag' ? true : undefined }),
    hasFilter: (name) => ['lower', 'upper', 'trim', 'join'].includes(name),
    hasTest: () => true,
    ...extra,
  };
  return scope;
}

const parse = (text: string, scope = scopeOf({})) => staticParse(parseTemplate(text, 'm.sql'), scope);

describe('the static parser', () => {
  it('records literal ref, source and config calls in order, and nothing else', () => {
    expect(parse("{{ config(materialized='table') }}{{ ref('pkg', 'a', v=2) }}{{ source('s', 't') }}{{ config({'tags': ['x']}) }}")).toEqual({
      calls: { refs: [{ package: 'pkg', name: 'a', version: 2 }], sources: [['s', 't']], configCalls: [{ materialized: 'table' }, { tags: ['x'] }] },
    });
  });

  it('decides is_incremental(), execute, var and target conditions as a parse render sees them', () => {
    const text = [
      "{% if is_incremental() %}{{ ref('inc') }}{% elif var('flag') %}{{ ref('flagged') }}{% else %}{{ ref('other') }}{% endif %}",
      "{% if not execute and target.name in ['dev', 'ci'] %}{{ ref('dev') }}{% endif %}",
    ].join('');
    expect(parse(text)).toEqual({ calls: { refs: [{ name: 'flagged', package: null, version: null }, { name: 'dev', package: null, version: null }], sources: [], configCalls: [] } });
  });

  it('leaves to the render what runs only sometimes: a ref in an undecided branch, a loop, or the right of and/or', () => {
    expect(parse("{% if this.name == 'x' %}{{ ref('a') }}{% endif %}")).toEqual({ rendered: 'line 1: ref() inside a condition or loop' });
    expect(parse("{% for n in ['a'] %}{{ ref(n) }}{% endfor %}")).toEqual({ rendered: 'line 1: ref() inside a condition or loop' });
    expect(parse("{{ this.name and ref('a') }}")).toEqual({ rendered: 'line 1: ref() inside a condition or loop' });
    expect(parse("{{ ref(this.name) }}")).toEqual({ rendered: 'line 1: ref() with arguments that are not constants' });
  });

  it('follows a macro that cannot act, and judges it per call with the constants it is given', () => {
    const scope = scopeOf({
      part_sql: "{% macro part_sql(p) %}{% if p | lower == 'day' %}d{% elif p == 'hour' %}{{ part_sql('day') }}*24{% else %}{{ exceptions.raise_compiler_error('no') }}{% endif %}{% endmacro %}",
    });
    expect(parse("{{ part_sql('HOUR' | lower) }}{{ ref('a') }}", scope)).toEqual({ calls: { refs: [{ name: 'a', package: null, version: null }], sources: [], configCalls: [] } });
    expect(parse("{{ part_sql('week') }}", scope)).toEqual({ rendered: 'line 1: calls macro demo.part_sql, which may act (line 1: uses exceptions)' });
    expect(parse('{{ part_sql(this.name) }}', scope)).toEqual({ rendered: 'line 1: calls macro demo.part_sql, which may act (line 1: uses exceptions)' });
  });

  it("stops at a return() that certainly runs: the guarded run_query of dbt_utils' macros is never reached while parsing", () => {
    const scope = scopeOf({
      columns_of: "{% macro columns_of(rel) %}{% if not execute %}{{ return('') }}{% endif %}{% set r = run_query('select 1') %}{{ return(r) }}{% endmacro %}",
      unguarded: "{% macro unguarded() %}{% set r = run_query('select 1') %}{{ return(r) }}{% endmacro %}",
    });
    expect(parse('{{ columns_of(this) }}', scope)).toHaveProperty('calls');
    expect(parse('{{ unguarded() }}', scope)).toEqual({ rendered: "line 1: calls macro demo.unguarded, which may act (line 1: calls 'run_query')" });
  });

  it('refuses a macro call Jinja would reject: an argument the macro does not take', () => {
    const scope = scopeOf({ one: '{% macro one(a) %}{{ a }}{% endmacro %}', many: '{% macro many(a) %}{{ a }}{{ kwargs }}{% endmacro %}' });
    expect(parse("{{ one(a=1, b=2) }}", scope)).toEqual({ rendered: 'line 1: calls macro demo.one, which is called with an argument it does not take (b)' });
    expect(parse('{{ one(1, 2) }}', scope)).toEqual({ rendered: 'line 1: calls macro demo.one, which is called with more arguments than it takes' });
    expect(parse("{{ many(a=1, b=2) }}", scope)).toHaveProperty('calls');
  });

  it('renders a call of a macro whose parameters are not all names (Jinja rejects it: invalid macro parameter)', () => {
    const scope = scopeOf({ spread: '{% macro spread(**kw) %}x{% endmacro %}', star: '{% macro star(a, *rest) %}x{% endmacro %}' });
    expect(parse('{{ spread() }}', scope)).toEqual({ rendered: 'line 1: calls macro demo.spread, which has a parameter that is not a name' });
    expect(parse('{{ star(1) }}', scope)).toEqual({ rendered: 'line 1: calls macro demo.star, which has a parameter that is not a name' });
  });

  it('follows adapter.dispatch to every implementation, and a recursive macro that cannot act', () => {
    const scope = scopeOf({
      default__cast_text: "{% macro default__cast_text(x) %}cast({{ x }} as text){% endmacro %}",
      countdown: "{% macro countdown(n) %}{% if n > 0 %}{{ countdown(n - 1) }}{% endif %}{% endmacro %}",
    });
    expect(parse("{{ adapter.dispatch('cast_text', 'demo')('x') }}{{ countdown(3) }}", scope)).toHaveProperty('calls');
    expect(parse("{{ adapter.dispatch('missing')('x') }}", scope)).toEqual({ rendered: "line 1: adapter.dispatch('missing') finds no implementation" });
  });

  it('renders what may raise or read the environment unknowingly: env_var without a default, an unknown filter, a builtin replaced by a macro', () => {
    expect(parse("{{ env_var('NOT_SET_ANYWHERE') }}")).toEqual({ rendered: "line 1: env_var('NOT_SET_ANYWHERE') is not set and has no default" });
    expect(parse("{{ env_var('NOT_SET_ANYWHERE', 'x') }}")).toHaveProperty('calls');
    expect(parse("{{ 'a' | no_such_filter }}")).toEqual({ rendered: "line 1: unknown filter 'no_such_filter'" });
    const overridden = scopeOf({ ref: "{% macro ref(n) %}{{ return(builtins.ref(n)) }}{% endmacro %}" }, { overridden: new Set(['ref']) });
    expect(parse("{{ ref('a') }}", overridden)).toEqual({ rendered: 'line 1: calls macro demo.ref, which may act (line 1: uses builtins)' });
  });

  // dbt renders a file its static parser cannot read, and dbt-extractor reads no log() call: the
  // parse render prints it. A log() under `if execute` never runs while parsing.
  it('renders what prints while parsing: log() and print(), in the file or a macro it calls', () => {
    const printing = scopeOf({ shout: "{% macro shout() %}{{ log('x', info=True) }}{% endmacro %}" }, { inContext: (name) => ['log', 'print'].includes(name) });
    expect(parse("{{ log('x', info=True) }}select 1", printing)).toEqual({ rendered: "line 1: calls 'log'" });
    expect(parse("{% do print('x') %}select 1", printing)).toEqual({ rendered: "line 1: calls 'print'" });
    expect(parse('{{ shout() }}select 1', printing)).toHaveProperty('rendered');
    expect(parse("{% if execute %}{{ log('x', info=True) }}{% endif %}select 1", printing)).toHaveProperty('calls');
  });
});
