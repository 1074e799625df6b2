// Inside a tag, Jinja2's lexer skips Python's whitespace (`\s`, which takes in U+2029, U+3000,
// form feed, vertical tab ...) and ends a name there. GitLab's gitlab_dotcom_groups.sql has a
// U+2029 PARAGRAPH SEPARATOR after `env_var('SNOWFLAKE_PROD_DATABASE')` inside `config({...})`.
// Expected outputs are Jinja2 3.1's (Python's `re` `\s` is Unicode-aware for str patterns).
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment } from './index.js';

describe("Python's whitespace inside tags", () => {
  const env = new JinjaEnvironment();
  const render = (template: string, context: Record<string, unknown> = {}) => env.renderString(template, context, 'space.sql');

  it('is skipped between tokens, as a space would be', () => {
    expect(render('{{ f({"database": db\u2029, "schema": "legacy"}) }}', { f: (d: Record<string, unknown>) => `${String(d.database)}.${String(d.schema)}` , db: 'prod' })).toBe('prod.legacy');
    expect(render('{%\u3000if\u000bx\u000c%}y{%\u2028endif\u00a0%}', { x: true })).toBe('y');
    expect(render('{{ 1\u2029+\u20092 }}')).toBe('3');
  });

  it('ends a name, a number or a keyword literal', () => {
    expect(render('{{ x\u2029 }}|{{ 7\u2029 }}|{{ true\u2029 }}|{{ none\u2029 is none }}', { x: 'a' })).toBe('a|7|True|True');
  });

  it('stays text outside tags', () => {
    expect(render('a\u2029{{ 1 }}\u3000b')).toBe('a\u20291\u3000b');
  });
});
