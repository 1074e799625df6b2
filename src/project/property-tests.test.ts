// parseTestEntry follows dbt 1.10's TestBuilder (generic_test_builders.py): what is an argument of
// the test macro and what is a property or config of the test.
import { describe, expect, it } from 'vitest';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { parseTestEntry } from './property-tests.js';

const at = { file: 'models/schema.yml', line: 4 };

describe('parseTestEntry', () => {
  it('takes name, description and config keys out of the arguments, in the older form', () => {
    const def = parseTestEntry({ unique: { name: 'ids_unique', description: 'one row per id', where: 'id > 0', error_if: '>5', severity: 'warn', column_name: 'id' } }, at);
    expect(def).toMatchObject({ testName: 'unique', customName: 'ids_unique', description: 'one row per id', args: { column_name: 'id' }, config: { where: 'id > 0', error_if: '>5', severity: 'warn' }, topLevelArguments: false });
    // Config keys beside the name are dbt's PropertyMovedToConfigDeprecation, not top-level arguments.
    expect(def.movedConfigKeys).toEqual(['where', 'error_if', 'severity']);
  });

  it('merges `arguments:` over the top-level keys (dbt 1.10) and still takes config keys out of it', () => {
    const def = parseTestEntry({ accepted_values: { description: 'known', limit: 3, arguments: { values: ['a'], quote: false, tags: ['x'] }, config: { severity: 'warn' } } }, at);
    expect(def).toMatchObject({ args: { values: ['a'], quote: false }, config: { limit: 3, tags: ['x'], severity: 'warn' }, description: 'known', topLevelArguments: false });
  });

  it('drops an `arguments:` that is not a mapping, as TestBuilder pops it and merges only a dict', () => {
    expect(parseTestEntry({ my_test: { arguments: 'my_arguments' } }, at)).toMatchObject({ testName: 'my_test', args: {}, topLevelArguments: false });
    expect(parseTestEntry({ test_name: 'my_test', arguments: ['a'], column_name: 'id' }, at)).toMatchObject({ args: { column_name: 'id' }, topLevelArguments: false });
    // `if not arguments`: a given (non-empty) value, even one dropped, is no top-level-arguments case.
    expect(parseTestEntry({ my_test: { arguments: 'x', values: [1] } }, at)).toMatchObject({ args: { values: [1] }, topLevelArguments: false });
    expect(parseTestEntry({ my_test: { arguments: {}, values: [1] } }, at)).toMatchObject({ args: { values: [1] }, topLevelArguments: true });
  });

  it('reads the test_name form', () => {
    const def = parseTestEntry({ name: 'custom', test_name: 'dbt_utils.expression_is_true', arguments: { expression: 'a > 0' }, config: { where: '1=1' } }, at);
    expect(def).toMatchObject({ testName: 'dbt_utils.expression_is_true', customName: 'custom', args: { expression: 'a > 0' }, config: { where: '1=1' }, topLevelArguments: false });
  });

  it('lets config: win and refuses the same key set in both places', () => {
    expect(parseTestEntry({ not_null: { where: null, config: { where: 'b' } } }, at).config).toEqual({ where: 'b' });
    const err = (() => {
      try {
        parseTestEntry({ not_null: { where: 'a', config: { where: 'b' } } }, at);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(TsdbtError);
    expect((err as TsdbtError).format()).toMatch(/^models\/schema\.yml:4: Test cannot have the same key at the top-level and in config: test 'not_null' sets 'where' both beside its arguments and under config:/);
  });

  it("refuses an argument named 'model'", () => {
    expect(() => parseTestEntry({ my_test: { arguments: { model: 'x' } } }, at)).toThrow(/argument named 'model'/);
  });
});
