// The Jinja tags of a SQL file as Jinja's lexer finds them: what an edit must leave alone for the
// parse to be skipped (app/parse-text-edit.ts).
import { describe, expect, it } from 'vitest';
import { jinjaSkeleton, jinjaTags } from './tag-skeleton.js';

describe('jinjaTags', () => {
  it('finds expression, statement and comment tags, and whole raw blocks', () => {
    expect(jinjaTags("select {{ ref('a') }} {%- if x -%} y {% endif %} {# note #} {% raw %}{{ not_a_tag }}{% endraw %} z")).toEqual([
      "{{ ref('a') }}",
      '{%- if x -%}',
      '{% endif %}',
      '{# note #}',
      '{% raw %}{{ not_a_tag }}{% endraw %}',
    ]);
  });

  it("does not end a tag at a '}}' inside a string literal or closing a dict the expression opened", () => {
    expect(jinjaTags("{{ '}}' ~ ref(\"a }}\") }} tail")).toEqual(["{{ '}}' ~ ref(\"a }}\") }}"]);
    expect(jinjaTags("{{ {'a': {'b': 1}} | tojson }} tail")).toEqual(["{{ {'a': {'b': 1}} | tojson }}"]);
    expect(jinjaTags("{{ 'it\\'s }}' }}")).toEqual(["{{ 'it\\'s }}' }}"]);
  });

  it('gives up on a tag that never closes', () => {
    expect(jinjaTags("select {{ ref('a') ")).toBeNull();
    expect(jinjaSkeleton('{# open comment')).toBeNull();
  });

  it('two texts with the same tags have the same skeleton; a change inside a tag changes it', () => {
    const base = "select id from {{ ref('a') }} where 1 = 1";
    expect(jinjaSkeleton(`${base} and 2 = 2\n`)).toBe(jinjaSkeleton(base));
    expect(jinjaSkeleton(base.replace("'a'", "'b'"))).not.toBe(jinjaSkeleton(base));
    expect(jinjaSkeleton(base.replace('{{ ref', '{{- ref'))).not.toBe(jinjaSkeleton(base));
  });

  // dbt renders an edited file again, so its log() / print() / exceptions.warn() lines print again:
  // such a file is never patched in without its render. A commented-out call does not count.
  it('has none when a tag prints while parsing', () => {
    expect(jinjaSkeleton("{{ log('x', info=True) }}select 1")).toBeNull();
    expect(jinjaSkeleton("{% do print('x') %}select 1")).toBeNull();
    expect(jinjaSkeleton("{% do exceptions.warn('x') %}select 1")).toBeNull();
    expect(jinjaSkeleton("{# {{ log('x') }} #}select {{ catalog('a') }}")).not.toBeNull();
  });
});
