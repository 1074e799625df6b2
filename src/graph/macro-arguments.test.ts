import { describe, expect, it } from 'vitest';
import { isValidMacroArgType, macroArgumentWarnings } from './macro-arguments.js';
import type { MacroNode } from '../manifest/types.js';

function macro(signature: string[], documented: { name: string; type?: string }[]): MacroNode {
  return {
    unique_id: 'macro.demo.my_macro',
    resource_type: 'macro',
    package_name: 'demo',
    name: 'my_macro',
    path: 'macros/m.sql',
    original_file_path: 'macros/m.sql',
    line: 1,
    macro_sql: '',
    depends_on: { macros: [] },
    description: '',
    arguments: signature.map((name) => ({ name })),
    patch: {
      patch_path: 'demo://macros/m.yml',
      location: { file: 'macros/m.yml', line: 2 },
      meta: {},
      docs: { show: true, node_color: null },
      arguments: documented.map((a) => ({ name: a.name, type: a.type ?? null, description: '' })),
    },
  };
}

describe('validate_macro_args (dbt/parser/schemas.py)', () => {
  it("accepts dbt's type vocabulary with its parameter counts, spaces ignored", () => {
    for (const ok of ['str', 'string', 'bool', 'int', 'integer', 'float', 'any', 'relation', 'column', 'list[str]', 'dict[str, list[int]]', 'optional[ dict[string,any] ]', 'optional[relation]']) expect(isValidMacroArgType(ok), ok).toBe(true);
    for (const bad of ['invalid_type', 'int[int]', 'list', 'dict[str]', 'list[str', 'List[str]', 'str]', 'list[str]x', 'optional[list]']) expect(isValidMacroArgType(bad), bad).toBe(false);
  });

  it("warns each misnamed argument, a wrong count and each invalid type, in dbt's words", () => {
    expect(macroArgumentWarnings(macro(['my_arg_1', 'my_arg_2', 'my_arg_3'], [{ name: 'my_arg_1' }, { name: 'my_misnamed_arg_2' }, { name: 'my_misnamed_arg_3' }])).map((w) => w.message)).toEqual([
      'Argument my_misnamed_arg_2 in yaml for macro my_macro does not match the jinja definition.',
      'Argument my_misnamed_arg_3 in yaml for macro my_macro does not match the jinja definition.',
    ]);
    expect(macroArgumentWarnings(macro(['my_arg_1', 'my_arg_2', 'my_arg_3'], [{ name: 'my_arg_1', type: 'string' }])).map((w) => w.message)).toEqual([
      'The number of arguments in the yaml for macro my_macro does not match the jinja definition.',
    ]);
    const types = macroArgumentWarnings(macro(['my_arg_1', 'my_arg_2', 'my_arg_3'], [{ name: 'my_arg_1', type: 'string' }, { name: 'my_arg_2', type: 'invalid_type' }, { name: 'my_arg_3', type: 'int[int]' }]));
    expect(types.map((w) => [w.event, w.message, w.location?.line])).toEqual([
      ['InvalidMacroAnnotation', 'Argument my_arg_2 in the yaml for macro my_macro has an invalid type.', 2],
      ['InvalidMacroAnnotation', 'Argument my_arg_3 in the yaml for macro my_macro has an invalid type.', 2],
    ]);
    expect(macroArgumentWarnings(macro(['a'], []))).toEqual([]);
  });
});
