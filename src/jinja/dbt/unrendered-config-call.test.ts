// The unrendered config() arguments dbt records under state_modified_compare_more_unrendered_values
// are Python's str() of jinja2's Keyword nodes; each expected text below is what jinja2 3.1 (the
// version dbt 1.11 pins) gives for the same template, so manifests written by dbt and tsdbt compare.
import { describe, expect, it } from 'vitest';
import { unrenderedConfigCall } from './unrendered-config-call.js';

const CASES: [string, Record<string, string>][] = [
  [
    "{{ config(materialized=env_var('DBT_TEST_STATE_MODIFIED')) }}\nselect 1 as id",
    {
      "materialized": "Keyword(key='materialized', value=Call(node=Name(name='env_var', ctx='load'), args=[Const(value='DBT_TEST_STATE_MODIFIED')], kwargs=[], dyn_args=None, dyn_kwargs=None))",
    },
  ],
  [
    "{{ config(tags=['test_tag'], enabled=True, e2=false, e3=none, limit=10, meta={'my_custom_meta_key': 'my_custom_meta_value'}) }}",
    {
      "tags": "Keyword(key='tags', value=List(items=[Const(value='test_tag')]))",
      "enabled": "Keyword(key='enabled', value=Const(value=True))",
      "e2": "Keyword(key='e2', value=Const(value=False))",
      "e3": "Keyword(key='e3', value=Const(value=None))",
      "limit": "Keyword(key='limit', value=Const(value=10))",
      "meta": "Keyword(key='meta', value=Dict(items=[Pair(key=Const(value='my_custom_meta_key'), value=Const(value='my_custom_meta_value'))]))",
    },
  ],
  [
    "{{ config(materialized=('table' if execute else 'view'), x=a.b[0] ~ 'c' ~ d|upper, y=not (a == 1 and b != 2), z=1.5, w=-1, v=x is defined, u=a in b, t=none, s=\"it's\") }}",
    {
      "materialized": "Keyword(key='materialized', value=CondExpr(test=Name(name='execute', ctx='load'), expr1=Const(value='table'), expr2=Const(value='view')))",
      "x": "Keyword(key='x', value=Concat(nodes=[Getitem(node=Getattr(node=Name(name='a', ctx='load'), attr='b', ctx='load'), arg=Const(value=0), ctx='load'), Const(value='c'), Filter(node=Name(name='d', ctx='load'), name='upper', args=[], kwargs=[], dyn_args=None, dyn_kwargs=None)]))",
      "y": "Keyword(key='y', value=Not(node=And(left=Compare(expr=Name(name='a', ctx='load'), ops=[Operand(op='eq', expr=Const(value=1))]), right=Compare(expr=Name(name='b', ctx='load'), ops=[Operand(op='ne', expr=Const(value=2))]))))",
      "z": "Keyword(key='z', value=Const(value=1.5))",
      "w": "Keyword(key='w', value=Neg(node=Const(value=1)))",
      "v": "Keyword(key='v', value=Test(node=Name(name='x', ctx='load'), name='defined', args=[], kwargs=[], dyn_args=None, dyn_kwargs=None))",
      "u": "Keyword(key='u', value=Compare(expr=Name(name='a', ctx='load'), ops=[Operand(op='in', expr=Name(name='b', ctx='load'))]))",
      "t": "Keyword(key='t', value=Const(value=None))",
      "s": "Keyword(key='s', value=Const(value=\"it's\"))",
    },
  ],
  [
    "{% if true %}{{ config(alias=this.name ~ '_x', post_hook=['grant select on {{ this }} to x']) }}{% endif %}",
    {
      "alias": "Keyword(key='alias', value=Concat(nodes=[Getattr(node=Name(name='this', ctx='load'), attr='name', ctx='load'), Const(value='_x')]))",
      "post_hook": "Keyword(key='post_hook', value=List(items=[Const(value='grant select on {{ this }} to x')]))",
    },
  ],
  [
    "{{ config(a=x not in y, b=(1, 2), c=x[1:2], d=f(*args, k=1, **kw), e='a' 'b', f=x|default('y', true), g=1 < x <= 3, h=x is not none, i=a + b * c - d / e // f % g ** h, j=not x, k=1.0, l=x.0, m=(1,), n=\"a\\nb\", o=[] , p={}) }}",
    {
      "a": "Keyword(key='a', value=Compare(expr=Name(name='x', ctx='load'), ops=[Operand(op='notin', expr=Name(name='y', ctx='load'))]))",
      "b": "Keyword(key='b', value=Tuple(items=[Const(value=1), Const(value=2)], ctx='load'))",
      "c": "Keyword(key='c', value=Getitem(node=Name(name='x', ctx='load'), arg=Slice(start=Const(value=1), stop=Const(value=2), step=None), ctx='load'))",
      "d": "Keyword(key='d', value=Call(node=Name(name='f', ctx='load'), args=[], kwargs=[Keyword(key='k', value=Const(value=1))], dyn_args=Name(name='args', ctx='load'), dyn_kwargs=Name(name='kw', ctx='load')))",
      "e": "Keyword(key='e', value=Const(value='ab'))",
      "f": "Keyword(key='f', value=Filter(node=Name(name='x', ctx='load'), name='default', args=[Const(value='y'), Const(value=True)], kwargs=[], dyn_args=None, dyn_kwargs=None))",
      "g": "Keyword(key='g', value=Compare(expr=Const(value=1), ops=[Operand(op='lt', expr=Name(name='x', ctx='load')), Operand(op='lteq', expr=Const(value=3))]))",
      "h": "Keyword(key='h', value=Not(node=Test(node=Name(name='x', ctx='load'), name='none', args=[], kwargs=[], dyn_args=None, dyn_kwargs=None)))",
      "i": "Keyword(key='i', value=Sub(left=Add(left=Name(name='a', ctx='load'), right=Mul(left=Name(name='b', ctx='load'), right=Name(name='c', ctx='load'))), right=Mod(left=FloorDiv(left=Div(left=Name(name='d', ctx='load'), right=Name(name='e', ctx='load')), right=Name(name='f', ctx='load')), right=Pow(left=Name(name='g', ctx='load'), right=Name(name='h', ctx='load')))))",
      "j": "Keyword(key='j', value=Not(node=Name(name='x', ctx='load')))",
      "k": "Keyword(key='k', value=Const(value=1.0))",
      "l": "Keyword(key='l', value=Getitem(node=Name(name='x', ctx='load'), arg=Const(value=0), ctx='load'))",
      "m": "Keyword(key='m', value=Tuple(items=[Const(value=1)], ctx='load'))",
      "n": "Keyword(key='n', value=Const(value='a\\nb'))",
      "o": "Keyword(key='o', value=List(items=[]))",
      "p": "Keyword(key='p', value=Dict(items=[]))",
    },
  ],
  [
    "{% macro m() %}{{ config(q=1) }}{% endmacro %}{{ config(r=2) }}",
    {
      "q": "Keyword(key='q', value=Const(value=1))",
    },
  ],
];

describe('unrenderedConfigCall (dbt statically_parse_unrendered_config)', () => {
  it.each(CASES)('%s', (template, expected) => {
    expect(unrenderedConfigCall(template, 'models/m.sql')).toEqual(expected);
  });

  it('is null without a config() call with keyword arguments, or for a template that does not parse', () => {
    expect(unrenderedConfigCall('select 1', 'm.sql')).toBeNull();
    expect(unrenderedConfigCall("{{ config({'materialized': 'table'}) }}", 'm.sql')).toBeNull();
    expect(unrenderedConfigCall('{{ config(a=1 }}', 'm.sql')).toBeNull();
  });
});
