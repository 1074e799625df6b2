// What dbt reads of a macro file (dbt-common's extract_toplevel_blocks): each top-level block to
// its end tag, found by walking the block's tags, expressions and comments, so an end tag written
// inside a quoted string (fivetran_utils 0.3.4's generate_columns_macro builds macro text with
// `'{% endmacro %}'`), a comment or a raw block does not end the block.
import { describe, expect, it } from 'vitest';
import { JinjaEnvironment } from './index.js';
import { keepTopLevelBlocks } from './toplevel-blocks.js';

const generator = [
  '{% macro gen(name) %}',
  "{% set out = [] %}",
  "{% do out.append('{% macro get_' ~ name ~ '() %}') %}",
  "{% do out.append('{% endmacro %}') %}",
  '{{ "{% endmacro %}" if false }}',
  '{# {% endmacro %} #}',
  '{% raw %}{% endmacro %}{% endraw %}',
  "{{ return(out | join('|')) }}",
  '{% endmacro %}',
  'top-level text {{ dropped }}',
  '',
].join('\n');

describe('keepTopLevelBlocks', () => {
  it('keeps a macro whole past end tags inside strings, comments and raw blocks', () => {
    const kept = keepTopLevelBlocks(generator);
    const lines = kept.split('\n');
    expect(lines.slice(0, 9)).toEqual(generator.split('\n').slice(0, 9));
    expect(lines[9]!.trim()).toBe('');
    expect(kept.length).toBe(generator.length);
  });

  it('leaves a file whose macro renders the macro text it builds', () => {
    const env = new JinjaEnvironment();
    const text = env.renderString(`${keepTopLevelBlocks(generator)}{{ gen('orders') }}`, {}, 'macros/gen.sql');
    expect(text.trim()).toBe('{% macro get_orders() %}|{% endmacro %}');
  });

  it('ends a top-level expression at the }} outside its strings', () => {
    const expr = '{{ "}} {% macro m() %}" }}';
    expect(keepTopLevelBlocks(`${expr}{% macro n() %}y{% endmacro %}`)).toBe(`${' '.repeat(expr.length)}{% macro n() %}y{% endmacro %}`);
  });
});
