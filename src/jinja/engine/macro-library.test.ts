// dbt macro machinery: macro files per namespace, bound to the calling node's context.
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment, MacroLibrary, bindMacro, callMacro } from './index.js';

const HELPERS = `
{% macro greet(name, punct='!') %}hello {{ name }}{{ punct }}{% endmacro %}
{% macro cols() %}{{ return(['a', 'b']) }}{% endmacro %}
{% macro settings() %}{{ return({'k': 1, 'on': true}) }}{% endmacro %}
{% macro flag() %}{% if true %}{{ return(false) }}{% endif %}unreachable{% endmacro %}
{% macro whoami() %}{{ this }}/{{ model.name }}{% endmacro %}
{% macro calls_sibling() %}[{{ greet('sib') }}]{% endmacro %}
{% macro calls_other_file() %}<{{ upper_it('x') }}>{% endmacro %}
{% macro countdown(n) %}{{ n }}{% if n > 0 %},{{ countdown(n - 1) }}{% endif %}{% endmacro %}
{% macro everything(a, b=2) %}{{ a }}|{{ b }}|{{ varargs }}|{{ kwargs }}{% endmacro %}
{% macro wrap() %}<{{ caller() }}>{% endmacro %}
{% macro star(relation, except=[]) %}{{ relation }}-{{ except | join(',') }}{% endmacro %}
`;

function setup() {
  const env = new JinjaEnvironment();
  const lib = new MacroLibrary(env);
  const infos = lib.addFile({ path: 'macros/helpers.sql', source: HELPERS }, 'proj');
  lib.addFile({ path: 'macros/other.sql', source: '{% macro upper_it(s) %}{{ s | upper }}{% endmacro %}' }, 'proj');
  lib.addFile({ path: 'dbt_packages/utils/macros/star.sql', source: '{% macro star(from) %}star({{ from }}, {{ this }}){% endmacro %}' }, 'dbt_utils');
  /** A node context: every macro of 'proj' as a lazy getter, plus `dbt_utils.*`. */
  const nodeContext = (extra: Record<string, unknown>): Record<string, unknown> => {
    const ctx: Record<string, unknown> = { ...extra };
    for (const name of lib.names('proj')) {
      Object.defineProperty(ctx, name, { get: () => bindMacro(lib, 'proj', name, ctx), enumerable: true });
    }
    const utils = {};
    for (const name of lib.names('dbt_utils')) {
      Object.defineProperty(utils, name, { get: () => bindMacro(lib, 'dbt_utils', name, ctx), enumerable: true });
    }
    ctx.dbt_utils = utils;
    return ctx;
  };
  const render = (source: string, ctx: Record<string, unknown>) => env.render(env.compile({ path: 'models/m.sql', source }), ctx);
  return { env, lib, infos, nodeContext, render };
}

describe('MacroLibrary', () => {
  it('registers callable names and reports blocks with lines', () => {
    const { lib, infos } = setup();
    expect(lib.has('proj', 'greet')).toBe(true);
    expect(lib.has('proj', 'nope')).toBe(false);
    expect(lib.names('dbt_utils')).toEqual(['star']);
    expect(infos.find((i) => i.name === 'greet')).toEqual({ name: 'greet', line: 2, kind: 'macro', args: ['name', 'punct'] });
  });

  it('compiles a macro file to JavaScript only when one of its macros is first called', () => {
    const { env, render, nodeContext } = setup();
    const before = env.sharedFunctionCount; // nothing rendered yet: the three files are registered, not compiled
    expect(before).toBe(0);
    const ctx = nodeContext({});
    expect(render("{{ greet('ann') }}", ctx)).toBe('hello ann!');
    // the model's template and helpers.sql; other.sql and star.sql are still uncompiled
    expect(env.sharedFunctionCount).toBe(2);
    expect(render("{{ calls_other_file() }}", ctx)).toBe('<X>');
    expect(env.sharedFunctionCount).toBe(4);
  });

  it('cross-file macro calls and namespace calls', () => {
    const { render, nodeContext } = setup();
    const ctx = nodeContext({ this: '"db"."s"."m"' });
    expect(render("{{ greet('bob') }} {{ calls_other_file() }} {{ dbt_utils.star('t') }}", ctx)).toBe('hello bob! <X> star(t, "db"."s"."m")');
    expect(render('{{ calls_sibling() }}', ctx)).toBe('[hello sib!]');
  });

  it('return() of list, dict and bool values', () => {
    const { render, nodeContext } = setup();
    const ctx = nodeContext({});
    expect(render("{% for c in cols() %}{{ c }};{% endfor %}{{ settings().k }}{{ settings()['on'] }}|{{ flag() }}", ctx)).toBe('a;b;1True|False');
    const cols = bindMacro(setup().lib, 'proj', 'cols', ctx);
    expect(cols()).toEqual(['a', 'b']);
  });

  it("return() hands its value on as the template has it: a float stays a float, an Undefined says what is missing", () => {
    // dbt's return() raises MacroReturn(value) with the object itself: `return(1.0)` renders 1.0
    // (tsdbt's gave 1, and `x / {{ m() }}` integer division); `return(d['x'])` is jinja2's
    // Undefined, whose later use fails with "'dict object' has no attribute 'x'".
    const env = new JinjaEnvironment();
    const lib = new MacroLibrary(env);
    lib.addFile({ path: 'macros/r.sql', source: "{% macro one() %}{{ return(1.0) }}{% endmacro %}{% macro missing() %}{% set d = {'a': 1} %}{{ return(d['x']) }}{% endmacro %}" }, 'proj');
    const ctx: Record<string, unknown> = {};
    for (const name of lib.names('proj')) Object.defineProperty(ctx, name, { get: () => bindMacro(lib, 'proj', name, ctx), enumerable: true });
    const render = (source: string) => env.render(env.compile({ path: 'models/m.sql', source }), ctx);
    expect(render('{{ one() }} {{ one() + 1 }} {{ missing() is defined }}')).toBe('1.0 2.0 False');
    expect(() => render("{{ missing()['sql'] }}")).toThrow("'dict object' has no attribute 'x'");
    // tsdbt's own code calling a macro still gets plain values.
    expect(callMacro(bindMacro(lib, 'proj', 'one', ctx))).toBe(1);
    expect(callMacro(bindMacro(lib, 'proj', 'missing', ctx))).toBeUndefined();
  });

  it('keyword args, defaults, varargs and kwargs', () => {
    const { render, nodeContext, lib } = setup();
    const ctx = nodeContext({});
    expect(render("{{ greet('a', punct='?') }} {{ greet(name='b') }} {{ everything(1, 3, 4, x=5) }}", ctx)).toBe("hello a? hello b! 1|3|(4,)|{'x': 5}");
    const greet = bindMacro(lib, 'proj', 'greet', ctx);
    expect(greet('js')).toBe('hello js!');
    expect(greet('js', { punct: '.', __keywords: true })).toBe('hello js.');
    expect(callMacro(greet, ['kw'], { punct: ';' })).toBe('hello kw;');
    expect(callMacro(bindMacro(lib, 'proj', 'star', ctx), ['rel'], { except: ['a', 'b'] })).toBe('rel-a,b');
  });

  it('caller() with call blocks', () => {
    const { render, nodeContext } = setup();
    expect(render('{% call wrap() %}inside {{ 1 + 1 }}{% endcall %}', nodeContext({}))).toBe('<inside 2>');
  });

  it("a macro sees the calling node's context, which differs per render", () => {
    const { render, nodeContext } = setup();
    const a = nodeContext({ this: 'rel_a', model: { name: 'a' } });
    const b = nodeContext({ this: 'rel_b', model: { name: 'b' } });
    expect(render('{{ whoami() }}', a)).toBe('rel_a/a');
    expect(render('{{ whoami() }}', b)).toBe('rel_b/b');
    expect(render('{{ whoami() }}', a)).toBe('rel_a/a');
    expect(render("{{ dbt_utils.star('x') }}", b)).toBe('star(x, rel_b)');
  });

  it('a macro called from another macro sees the same node context', () => {
    const env = new JinjaEnvironment();
    const lib = new MacroLibrary(env);
    lib.addFile({ path: 'macros/a.sql', source: '{% macro outer() %}{{ inner() }}{% endmacro %}' }, 'p');
    lib.addFile({ path: 'macros/b.sql', source: '{% macro inner() %}{{ this }}{% endmacro %}' }, 'p');
    const make = (thisValue: string) => {
      const ctx: Record<string, unknown> = { this: thisValue };
      for (const n of lib.names('p')) Object.defineProperty(ctx, n, { get: () => bindMacro(lib, 'p', n, ctx) });
      return ctx;
    };
    const tpl = env.compile({ path: 'models/x.sql', source: '{{ outer() }}' });
    expect(env.render(tpl, make('one'))).toBe('one');
    expect(env.render(tpl, make('two'))).toBe('two');
  });

  it('one instance of a macro-only file serves every context: a call nested in another context swaps back', () => {
    const env = new JinjaEnvironment();
    const lib = new MacroLibrary(env);
    lib.addFile({ path: 'macros/f.sql', source: '{% macro outer() %}{{ this }}[{{ other() }}]{{ this }}{% endmacro %}{% macro who() %}{{ this }}/{{ model.name }}{% endmacro %}' }, 'p');
    lib.addFile({ path: 'macros/g.sql', source: '{% macro failing() %}{{ this }}{{ exceptions.boom() }}{% endmacro %}' }, 'p');
    const make = (name: string, extra: Record<string, unknown> = {}) => {
      const ctx: Record<string, unknown> = { this: `rel_${name}`, model: { name }, ...extra };
      for (const n of lib.names('p')) Object.defineProperty(ctx, n, { get: () => bindMacro(lib, 'p', n, ctx) });
      return ctx;
    };
    const b = make('b', { exceptions: { boom: () => { throw new Error('boom'); } } });
    // `other()` renders another node in the middle of a's call to the same file's macros, as a
    // ref to an ephemeral model or dbt's render() does; a failed call in b leaves a's context in place.
    const a = make('a', {
      other: () => {
        const inner = env.renderString('{{ who() }}', b);
        expect(() => env.renderString('{{ failing() }}', b)).toThrow('boom');
        return inner;
      },
    });
    expect(env.renderString('{{ outer() }} {{ who() }}', a)).toBe('rel_a[rel_b/b]rel_a rel_a/a');
    expect(env.renderString('{{ who() }}', b)).toBe('rel_b/b');
    expect(bindMacro(lib, 'p', 'who', a)).toBe(bindMacro(lib, 'p', 'who', a));
    expect(bindMacro(lib, 'p', 'who', a)).not.toBe(bindMacro(lib, 'p', 'who', b));
  });

  it('a caller block and a nested macro read the context they were made in, wherever they are called', () => {
    const env = new JinjaEnvironment();
    const lib = new MacroLibrary(env);
    lib.addFile({
      path: 'macros/f.sql',
      source: [
        '{% macro who() %}{{ this }}{% endmacro %}',
        '{% macro with_caller() %}{% call elsewhere() %}{{ this }}{% endcall %}{% endmacro %}',
        '{% macro with_nested() %}{% macro mine() %}{{ this }}{% endmacro %}{{ return(mine) }}{% endmacro %}',
      ].join(''),
    }, 'p');
    // `elsewhere` calls the file's macros in another node's context before it calls caller().
    lib.addFile({ path: 'macros/g.sql', source: '{% macro elsewhere() %}{{ in_b() }}|{{ caller() }}{% endmacro %}' }, 'p');
    const make = (name: string, extra: Record<string, unknown> = {}) => {
      const ctx: Record<string, unknown> = { this: `rel_${name}`, ...extra };
      for (const n of lib.names('p')) Object.defineProperty(ctx, n, { get: () => bindMacro(lib, 'p', n, ctx) });
      return ctx;
    };
    const b = make('b');
    const a = make('a', { in_b: () => env.renderString('{{ who() }}', b) });
    expect(env.renderString('{{ with_caller() }}', a)).toBe('rel_b|rel_a');
    const mine = env.renderString('{% set m = with_nested() %}{{ m() }}', a);
    expect(mine).toBe('rel_a');
    b.later = callMacro(bindMacro(lib, 'p', 'with_nested', a));
    expect(env.renderString('{{ who() }}:{{ later() }}', b)).toBe('rel_b:rel_a');
  });

  it('a file with top-level statements is instantiated per context (its top level reads each one)', () => {
    const env = new JinjaEnvironment();
    const lib = new MacroLibrary(env);
    lib.addFile({ path: 'macros/f.sql', source: '{% set at_load = this %}{% macro loaded() %}{{ at_load }}/{{ this }}{% endmacro %}' }, 'p');
    const make = (name: string) => {
      const ctx: Record<string, unknown> = { this: `rel_${name}` };
      Object.defineProperty(ctx, 'loaded', { get: () => bindMacro(lib, 'p', 'loaded', ctx) });
      return ctx;
    };
    expect(env.renderString('{{ loaded() }}', make('a'))).toBe('rel_a/rel_a');
    expect(env.renderString('{{ loaded() }}', make('b'))).toBe('rel_b/rel_b');
  });

  it('works with a Proxy context', () => {
    const { lib, env } = setup();
    const base: Record<string, unknown> = { this: 'proxied', model: { name: 'p' } };
    const ctx: Record<string, unknown> = new Proxy(base, {
      get: (t, name) => (typeof name === 'string' && lib.has('proj', name) ? bindMacro(lib, 'proj', name, ctx) : t[name as string]),
    });
    expect(env.renderString('{{ whoami() }} {{ greet("p") }}', ctx)).toBe('proxied/p hello p!');
  });

  it('recursion', () => {
    const { render, nodeContext } = setup();
    expect(render('{{ countdown(3) }}', nodeContext({}))).toBe('3,2,1,0');
  });

  it('root-project override wins over a sibling macro of a package file (dbt resolution through the context)', () => {
    const env = new JinjaEnvironment();
    const lib = new MacroLibrary(env);
    lib.addFile({ path: 'pkg/m.sql', source: '{% macro helper() %}pkg{% endmacro %}{% macro main() %}{{ helper() }}{% endmacro %}' }, 'pkg');
    lib.addFile({ path: 'macros/o.sql', source: '{% macro helper() %}root{% endmacro %}' }, 'root');
    const plain: Record<string, unknown> = {};
    Object.defineProperty(plain, 'main', { get: () => bindMacro(lib, 'pkg', 'main', plain) });
    expect(env.renderString('{{ main() }}', plain)).toBe('pkg');
    const overridden: Record<string, unknown> = {};
    Object.defineProperty(overridden, 'main', { get: () => bindMacro(lib, 'pkg', 'main', overridden) });
    Object.defineProperty(overridden, 'helper', { get: () => bindMacro(lib, 'root', 'helper', overridden) });
    expect(env.renderString('{{ main() }}', overridden)).toBe('root');
  });

  it('return() works in a macro defined inline in a model', () => {
    const env = new JinjaEnvironment();
    expect(env.renderString("{% macro pick() %}{{ return({'a': [1, 2]}) }}{% endmacro %}{{ pick().a[1] }}", {})).toBe('2');
  });

  it('scans tests, materializations, docs and snapshots', () => {
    const env = new JinjaEnvironment();
    const src = [
      '{% test not_null(model, column_name) %}select 1{% endtest %}',
      "{% materialization table, adapter='postgres', supported_languages=['sql', 'python'] %}{% endmaterialization %}",
      '{% materialization view, default %}{% endmaterialization %}',
      '{% docs my_doc %}Some *markdown*{% enddocs %}',
      '{% snapshot snap %}select {{ 1 }}{% endsnapshot %}',
    ].join('\n');
    const blocks = env.scanBlocks({ path: 'macros/x.sql', source: src });
    expect(blocks).toEqual([
      { name: 'test_not_null', line: 1, kind: 'test', args: ['model', 'column_name'], blockName: 'not_null' },
      { name: 'materialization_table_postgres', line: 2, kind: 'materialization', args: [], adapter: 'postgres', blockName: 'table', supportedLanguages: ['sql', 'python'] },
      { name: 'materialization_view_default', line: 3, kind: 'materialization', args: [], adapter: 'default', blockName: 'view', supportedLanguages: ['sql'] },
      { name: 'my_doc', line: 4, kind: 'docs', args: [], body: 'Some *markdown*' },
      { name: 'snap', line: 5, kind: 'snapshot', args: [], body: 'select {{ 1 }}' },
    ]);
    const lib = new MacroLibrary(env);
    lib.addFile({ path: 'macros/x.sql', source: src }, 'p');
    expect(lib.names('p')).toEqual(['test_not_null', 'materialization_table_postgres', 'materialization_view_default']);
    const ctx = {};
    expect(bindMacro(lib, 'p', 'test_not_null', ctx)('m', 'c')).toBe('select 1');
  });

  it('compiles each file once (cache by path and source)', () => {
    const env = new JinjaEnvironment();
    const a = env.compile({ path: 'models/a.sql', source: 'x' });
    expect(env.compile({ path: 'models/a.sql', source: 'x' })).toBe(a);
    expect(env.compile({ path: 'models/a.sql', source: 'y' })).not.toBe(a);
  });
});
