import { describe, expect, it } from 'vitest';
import { comparableConfig, withoutDefaults } from './comparable-config.js';

describe('comparableConfig: an unrendered config in one shape, whichever engine wrote it', () => {
  it("reads dbt's jinja2 syntax-tree texts of config() arguments as their literals", () => {
    expect(
      comparableConfig({
        materialized: "Keyword(key='materialized', value=Const(value='table'))",
        enabled: "Keyword(key='enabled', value=Const(value=True))",
        limit: "Keyword(key='limit', value=Const(value=10))",
        tags: "Keyword(key='tags', value=List(items=[Const(value='a'), Const(value=\"it's\")]))",
        meta: "Keyword(key='meta', value=Dict(items=[Pair(key=Const(value='owner'), value=Const(value='me'))]))",
      }),
    ).toEqual({ materialized: 'table', enabled: true, limit: 10, tags: ['a', "it's"], meta: { owner: 'me' } });
  });

  it('keeps a call or a name as its text: its value is not known without rendering', () => {
    const written = "Keyword(key='materialized', value=Call(node=Name(name='env_var', ctx='load'), args=[Const(value='X')], kwargs=[], dyn_args=None, dyn_kwargs=None))";
    expect(comparableConfig({ materialized: written })).toEqual({ materialized: written });
  });

  it("puts dbt's hooks as text and tsdbt's Hook dicts under one key, and reads a patch's doubled lists once", () => {
    const dbt = comparableConfig({ pre_hook: ['select 1', 'select 1'], tags: 'x', grants: { select: ['a', 'a'] }, check_cols: ['c', 'c'] });
    const tsdbt = comparableConfig({ 'pre-hook': [{ sql: 'select 1', transaction: true, index: null }], tags: ['x'], grants: { select: ['a'] }, check_cols: ['c'] });
    expect(dbt).toEqual(tsdbt);
    expect(dbt).toEqual({ pre_hook: ['select 1'], tags: ['x'], grants: { select: ['a'] }, check_cols: ['c'] });
  });
});

describe("withoutDefaults: a semantic model's elements compared by what was written", () => {
  it("drops dbt's default fields and create_metric, and reads expr as text", () => {
    const dbt = [{ name: 'n', agg: 'sum', description: null, label: null, create_metric: false, expr: '1', agg_params: null, non_additive_dimension: null, config: { meta: {} } }];
    const tsdbt = [{ name: 'n', expr: 1, agg: 'sum', create_metric: true, config: { meta: {} } }];
    expect(withoutDefaults(dbt)).toEqual(withoutDefaults(tsdbt));
    expect(withoutDefaults([{ name: 'b', expr: true }])).toEqual([{ name: 'b', expr: 'True' }]);
    expect(withoutDefaults(tsdbt)).not.toEqual(withoutDefaults([{ ...tsdbt[0], agg: 'max' }]));
  });
});
