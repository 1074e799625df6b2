// Jinja2's `{%+` / `+%}` markers (disable lstrip_blocks / trim_blocks for one tag). dbt's Jinja
// environment enables neither, so the markers change nothing: `{%+ if %}` renders as `{% if %}`.
// Expected outputs are Jinja2 3.1's with dbt's settings.
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment } from './index.js';

describe('{%+ and +%} tag markers', () => {
  const env = new JinjaEnvironment();
  const render = (template: string, context: Record<string, unknown> = {}) => env.renderString(template, context, 'markers.sql');

  it('parse and render like plain tags', () => {
    expect(render('a\n    {%+ if x %}yes{% endif %}\nb', { x: true })).toBe('a\n    yes\nb');
    expect(render('{% for i in [1, 2] +%}\n{{ i }}{%+ endfor +%}!')).toBe('\n1\n2!');
    expect(render('{%- if x -%}  y  {%+ else +%}n{%- endif %}', { x: false })).toBe('n');
  });

  it('leave a + that is an operator alone', () => {
    expect(render('{{ 1 +2 }} {% set s = 1 + 2 %}{{ s }} {{ "a" + "b" }}')).toBe('3 3 ab');
  });
});
