// dbt's static parser (dbt-extractor's rules over the tree-sitter-jinja2 grammar): which model
// files it reads, and the config() values it reads from them. Cases from dbt-extractor's README
// and documented rules: ref/source/config calls with literal arguments only, no `{% %}` tags,
// config values strings, booleans, lists and dicts, no hooks.
import { describe, expect, it } from 'vitest';
import { extractStatic } from './dbt-extractor.js';

const configs = (source: string) => extractStatic(source)?.configs ?? null;

describe("dbt-extractor's reading of a model file", () => {
  it('reads ref, source and config calls with literal arguments, configs in order, one call after another', () => {
    expect(configs("select * from {{ ref('my_table') }} join {{ ref('p', 'n', v=2.0) }} join {{ source('s', table_name='t') }}")).toEqual([]);
    expect(configs("{{ config(k1={'dict': ['value']}, k2='str', x=True) }}\nselect 1")).toEqual([
      ['k1', { dict: ['value'] }],
      ['k2', 'str'],
      ['x', true],
    ]);
    expect(configs("\n{{\n    config(\n        tags=['tag_1'],\n    )\n}}\n\n{{ config(tags=['tag_2'], materialized=\"view\") }}\n{# a comment {{ x }} #}select 4 as id")).toEqual([
      ['tags', ['tag_1']],
      ['tags', ['tag_2']],
      ['materialized', 'view'],
    ]);
    // A string's text between its quotes, as written.
    expect(configs("{{ config(alias='it\\'s') }}")).toEqual([['alias', "it\\'s"]]);
    // Literal values anywhere at the top level are fine; a lone `{` in the SQL is text.
    expect(configs("{{ 'text' }} {{ 1 }} {{ [1, 'a'] }} select '{' as brace")).toEqual([]);
  });

  it('refuses what dbt renders with Jinja instead', () => {
    for (const source of [
      "{% if is_incremental() %} where x {% endif %} {{ config(materialized='table') }}",
      "{{ config(materialized='table') }} {% set x = 1 %}",
      "{{- config(materialized='table') }}",
      "{{ config(materialized='table') -}}",
      "{{ config(materialized=var('m')) }}",
      "{{ config(materialized=env_var('M', 'table')) }}",
      "{{ config(batch_size=3) }}",
      "{{ config(enabled=true) }}",
      "{{ config(enabled=none) }}",
      "{{ config(pre_hook='select 1') }}",
      "{{ config(post_hook=['select 1']) }}",
      "{{ config({'materialized': 'table'}) }}",
      '{{ config() }}',
      "{{ config(x=ref('a')) }}",
      "{{ [ref('a')] }}",
      "{{ var('x') }}",
      "{{ this }}",
      "{{ ref('too', 'many', 'strings') }}",
      "{{ ref('a', w=1) }}",
      "{{ source('one') }}",
      "{{ source(BAD='s', table_name='t') }}",
      "{{ source(source_name='kwarg', 'positional') }}",
      "{{ config(materialized='table') | trim }}",
      "{{ config(materialized='table' ~ 'x') }}",
      "{{ ref('a').identifier }}",
      '{{ ref()',
      "{{ 'str' ",
      'select 1 {',
    ]) {
      expect(extractStatic(source), source).toBeNull();
    }
  });
});
