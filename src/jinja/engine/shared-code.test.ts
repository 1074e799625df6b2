// Templates that differ only in their constants (text, string and number literals, names, line
// numbers) compile to one JavaScript function, each render reading its own template's constants:
// a project of 10,000 similar models is a few functions to compile, not 10,000.
import { describe, expect, it } from 'vitest';
import type { TsdbtError } from '../../errors/tsdbt-error.js';
import { JinjaEnvironment } from './environment.js';

describe('templates sharing compiled code', () => {
  const model = (i: number) =>
    `${'\n'.repeat(i % 3)}select {{ col_${i % 2 ? 'a' : 'b'} | upper }} as c${i}, {{ ${i} + 1 }} as n, '{{ "lit" ~ ${i} }}' as s\n` +
    `from {{ ref('model_${i}') }}{% if flag %} where x > {{ ${i * 10} }}{% endif %}{{ missing_${i}.attr }}`;
  const context = (i: number) => ({ col_a: 'alpha', col_b: 'beta', flag: i % 2 === 0, ref: (name: string) => `"${name}"` });

  it('share one function per shape, and each renders its own text, literals and names', () => {
    const env = new JinjaEnvironment();
    const sources = Array.from({ length: 40 }, (_, i) => ({ path: `models/m${i}.sql`, source: model(i) }));
    env.compileMany(sources);
    // Two shapes: with the `flag` branch rendered or not is the same code; names and lines differ only in constants.
    expect(env.sharedFunctionCount).toBe(1);
    for (const [i, src] of sources.entries()) {
      const out = env.render(env.compile(src), context(i), { lenientUndefined: true });
      const lines = '\n'.repeat(i % 3);
      const where = i % 2 === 0 ? ` where x > ${i * 10}` : '';
      expect(out).toBe(`${lines}select ${i % 2 ? 'ALPHA' : 'BETA'} as c${i}, ${i + 1} as n, 'lit${i}' as s\nfrom "model_${i}"${where}`);
    }
  });

  it('report errors at the line and file of the template that failed, not of the one that compiled the code', () => {
    const env = new JinjaEnvironment();
    const a = { path: 'models/a.sql', source: 'select 1\n{{ fail_here() }}' };
    const b = { path: 'models/b.sql', source: 'select 1\n\n\n{{ fail_there() }}' };
    env.compileMany([a, b]);
    expect(env.sharedFunctionCount).toBe(1);
    const boom = () => {
      throw new Error('boom');
    };
    const where = (src: typeof a, context: Record<string, unknown>) => {
      try {
        env.render(env.compile(src), context);
      } catch (e) {
        return (e as TsdbtError).location;
      }
      return null;
    };
    expect(where(b, { fail_there: boom })).toEqual({ file: 'models/b.sql', line: 4 });
    expect(where(a, { fail_here: boom })).toEqual({ file: 'models/a.sql', line: 2 });
  });

  it('compiles templates of different structure to different functions', () => {
    const env = new JinjaEnvironment();
    env.compileMany([
      { path: 'a.sql', source: '{{ x }}' },
      { path: 'b.sql', source: '{% for i in x %}{{ i }}{% endfor %}' },
      { path: 'c.sql', source: '{{ x | upper }}' },
    ]);
    expect(env.sharedFunctionCount).toBe(3);
    expect(env.renderString('{% for i in x %}{{ i }}{% endfor %}', { x: [1, 2] }, 'b.sql')).toBe('12');
  });

  it('keep one compiled template per path and text: an edited text, another path or a macro file of the same text is its own', () => {
    const env = new JinjaEnvironment();
    const a = env.compile({ path: 'models/a.sql', source: 'a {{ x }}' });
    expect(env.compile({ path: 'models/a.sql', source: `a ${'{{ x }}'}` })).toBe(a); // an equal text made anew
    const edited = env.compile({ path: 'models/a.sql', source: 'b {{ x }}' });
    const other = env.compile({ path: 'models/b.sql', source: 'a {{ x }}' });
    expect(new Set([a, edited, other]).size).toBe(3);
    expect(env.render(edited, { x: 1 })).toBe('b 1');
    expect(env.render(env.compile({ path: 'models/a.sql', source: 'a {{ x }}' }), { x: 2 })).toBe('a 2');
    const library = env.compileLibrary({ path: 'macros/m.sql', source: '{% macro m() %}1{% endmacro %}' });
    expect(env.compile({ path: 'macros/m.sql', source: '{% macro m() %}1{% endmacro %}' })).not.toBe(library);
    env.compileMany([{ path: 'models/c.sql', source: 'c {{ x }}' }]);
    expect(env.isCompiled({ path: 'models/c.sql', source: 'c {{ x }}' })).toBe(true);
    expect(env.isCompiled({ path: 'models/c.sql', source: 'c {{ y }}' })).toBe(false);
    expect(env.isCompiled({ path: 'models/d.sql', source: 'c {{ x }}' })).toBe(false);
  });
});
