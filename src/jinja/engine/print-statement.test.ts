// Jinja2's `{% print %}` statement (a keyword of Jinja2's parser, like for/if/set): it writes its
// expressions into the output, as `{{ }}` does, so a dbt macro's `{% print(cmd) %}` renders `cmd`
// in place (it is not dbt's `print()` function, which logs). Expected outputs are Jinja2 3.1's.
import { describe, expect, it } from 'vitest';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { JinjaEnvironment } from './index.js';

describe('{% print %}', () => {
  const env = new JinjaEnvironment();
  const render = (template: string, context: Record<string, unknown> = {}) => env.renderString(template, context, 'print.sql');

  it('writes its expression where the tag stands', () => {
    expect(render('a{% print x %}b', { x: 1 })).toBe('a1b');
    expect(render('{% set cmd = "drop view if exists " ~ s ~ ";" %}{% print(cmd) %}', { s: 'x.v' })).toBe('drop view if exists x.v;');
  });

  it('writes several comma-separated expressions one after the other, and nothing for none', () => {
    expect(render('{% print a, "-", b|upper %}', { a: 'x', b: 'y' })).toBe('x-Y');
    expect(render('[{% print %}]')).toBe('[]');
  });

  it('honours whitespace control and works inside a macro', () => {
    const t = '{% macro q(t) %}\n  {%- print("select * from " ~ t) -%}\n{% endmacro %}{{ q("a") }}|{{ q("b") }}';
    expect(render(t)).toBe('select * from a|select * from b');
  });

  it('refuses two expressions without a comma, with the line', () => {
    let err: unknown;
    try {
      env.compile({ path: 'macros/bad.sql', source: 'a\n{% print a b %}' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TsdbtError);
    expect((err as TsdbtError).location).toEqual({ file: 'macros/bad.sql', line: 2 });
    expect((err as TsdbtError).message).toContain("expected ',' in print statement");
  });
});
