// dbt renders the naming macros (generate_schema_name, generate_alias_name, generate_database_name)
// with a strict var(): a var such a macro reads and nobody set fails the parse, naming the var,
// while a model's own SQL reading a missing var still parses (docs: "var" is required unless a
// default is given; dbt-core's parser reads the model's vars leniently).
import { describe, expect, it } from 'vitest';
import { parseFiles } from '../support/parse-files.js';

const MACRO = "{% macro generate_schema_name(custom_schema_name, node) -%}\n  {% do var('somevar') %}\n  {{ return(dbt.generate_schema_name(custom_schema_name, node)) }}\n{%- endmacro %}\n";

describe('vars in the naming macros', () => {
  it('fails the parse when generate_schema_name reads a var nobody set', async () => {
    const { code, out } = await parseFiles({ 'macros/names.sql': MACRO, 'models/m.sql': 'select 1 as id\n' });
    expect(code).toBe(2);
    expect(out).toContain("Required var 'somevar' not found in config");
  });

  it('parses once the var is set, and a model reading a missing var still parses', async () => {
    const set = await parseFiles({
      'dbt_project.yml': "name: demo\nversion: '1.0.0'\nconfig-version: 2\nprofile: demo\nvars:\n  demo:\n    somevar: 1\n",
      'macros/names.sql': MACRO,
      'models/m.sql': "select '{{ var(\"not_set_anywhere\") }}' as v\n",
    });
    expect(set.code, set.out).toBe(0);
  });
});
