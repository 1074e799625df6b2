// Jinja2 reads the expression of `{{ }}`, `{% do %}`, `{% set x = %}` and a loop's `in` with
// parse_tuple: commas make a tuple without parentheses. community-tech-alliance's
// dbt_project.yml has `dataset: "{{ env_var('CTA_DATASET_ID', 'not-set'), 'not-set' }}"`.
// Expected outputs are Jinja2 3.1's.
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment } from './index.js';
import { renderYamlValue } from '../dbt/yaml-values.js';

describe('unparenthesised tuples', () => {
  const env = new JinjaEnvironment();
  const render = (template: string, context: Record<string, unknown> = {}) => env.renderString(template, context, 'tuple.sql');

  it('{{ a, b }} prints the tuple; a trailing comma makes a tuple of one', () => {
    expect(render('{{ 1, 2 }}')).toBe('(1, 2)');
    expect(render("{{ 'a', }}")).toBe("('a',)");
    expect(render('{{ x, y | upper }}|{{ (1, 2) }}|{{ f(1, 2) }}', { x: 'a', y: 'b', f: (a: number, b: number) => a + b })).toBe("('a', 'B')|(1, 2)|3");
    expect(render('{{- 1, 2 -}}')).toBe('(1, 2)');
  });

  it('a loop over a, b; `do` of a, b', () => {
    expect(render('{% for a in 1, 2 %}{{ a }}{% endfor %}')).toBe('12');
    expect(render("{% for a in 'x', 'y' if a != 'x' %}{{ a }}{% endfor %}")).toBe('y');
    expect(render('{% set l = [] %}{% do l.append(1), l.append(2) %}{{ l }}')).toBe('[1, 2]');
  });

  it('a YAML value of one `{{ a, b }}` renders natively to the tuple (a list here)', () => {
    const location = { file: 'dbt_project.yml', line: 85 };
    const value = renderYamlValue("{{ env_var('CTA_DATASET_ID', 'not-set'), 'not-set' }}", { env: {}, vars: {}, location });
    expect(JSON.stringify(value)).toBe('["not-set","not-set"]');
  });
});
