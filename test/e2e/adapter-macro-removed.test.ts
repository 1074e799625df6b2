// dbt's `adapter_macro` only raises, naming `adapter.dispatch` (providers.py; dbt-core's
// tests/functional/macros TestAdapterMacroDeprecated): a model that calls it fails the parse.
import { describe, expect, it } from 'vitest';
import { parseFiles } from '../support/parse-files.js';

describe('adapter_macro', () => {
  it("is dbt's error, not an undefined call", async () => {
    const bad = await parseFiles({
      'macros/some_macro.sql': "{% macro some_macro(arg1, arg2) -%}\n    {{ adapter_macro('some_macro', arg1, arg2) }}\n{%- endmacro %}\n",
      'models/model.sql': "{% if some_macro('foo', 'bar') != 'foobar' %}\n  {% do exceptions.raise_compiler_error('invalid foobar') %}\n{% endif %}\nselect 1 as id\n",
    });
    expect(bad.code, bad.out).toBe(2);
    expect(bad.out).toContain('The "adapter_macro" macro has been deprecated. Instead, use the `adapter.dispatch` method');
    expect(bad.out).toContain('adapter_macro was called for: some_macro');
  });
});
