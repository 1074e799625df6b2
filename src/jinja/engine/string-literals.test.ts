// String literals read as Jinja2 reads them (Python's unicode-escape): known escapes are decoded,
// any other backslash stays, so a regular expression written in a template reaches `modules.re`
// as written (dbt-codegen's generate_model_import_ctes writes `'(from|join)\s+({{\s*ref\s*\(...'`).
// Expected values are what Jinja2 3.1 renders for the same templates.
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment } from './index.js';

describe('string literals', () => {
  const env = new JinjaEnvironment();
  const render = (template: string, context: Record<string, unknown> = {}) => env.renderString(template, context, 'literals.sql');

  it('keeps the backslash of an escape Python does not know', () => {
    expect(render(String.raw`{{ '\s+\d*\(\w\)\.' }}`)).toBe(String.raw`\s+\d*\(\w\)\.`);
    expect(render(String.raw`{{ "[\'\"]?\s*" }}`)).toBe(String.raw`['"]?\s*`);
    expect(render(String.raw`{{ '\s' | length }}`)).toBe('2');
  });

  it("decodes Python's escapes", () => {
    expect(render(String.raw`{{ 'it\'s' }}|{{ "a\"b" }}|{{ 'a\\b' }}|{{ 'a\\\\b' | length }}`)).toBe(String.raw`it's|a"b|a\b|4`);
    expect(render(String.raw`{{ 'x\ny\tz' }}`)).toBe('x\ny\tz');
    expect(render(String.raw`{{ '\x41\u00e9\101\U0001F600' }}`)).toBe('AéA😀');
    expect(render(String.raw`{{ '\a\b\f\v\r' | list | map('length') | sum }}`)).toBe('5');
  });

  it('hands a regular expression to a function unchanged, across lines and with a line continuation', () => {
    const seen: string[] = [];
    const capture = (p: string) => (seen.push(p), '');
    render("{{ f('(?x)\n  (from|join)\\s+  # keyword\n  ({{\\s*ref\\s*\\(\\s*[\\'\\\"]?)\n') }}{{ f('a\\\nb') }}", { f: capture });
    expect(seen).toEqual(["(?x)\n  (from|join)\\s+  # keyword\n  ({{\\s*ref\\s*\\(\\s*['\"]?)\n", 'ab']);
  });
});
