// Python's ast.literal_eval, as dbt's native rendering uses it for as_native / as_bool / as_number.
import { describe, expect, it } from 'vitest';
import { literalEval } from './literal-eval.js';

describe('literalEval', () => {
  it('reads Python literals', () => {
    expect(literalEval('True')).toEqual({ value: true });
    expect(literalEval(' None ')).toEqual({ value: null });
    expect(literalEval('-1_000.5e1')).toEqual({ value: -10005 });
    expect(literalEval("'it\\'s' \"a\"")).toEqual({ value: "it'sa" });
    expect(literalEval("[1, (2, 3), {'k': [True, None]},]")).toEqual({ value: [1, [2, 3], { k: [true, null] }] });
  });

  it('says when the text is not a literal (literal_eval raises)', () => {
    expect(literalEval('true')).toBeUndefined();
    expect(literalEval('abc')).toBeUndefined();
    expect(literalEval('[1, 2')).toBeUndefined();
    expect(literalEval('1 + 1')).toBeUndefined();
    expect(literalEval("'unterminated")).toBeUndefined();
  });
});
