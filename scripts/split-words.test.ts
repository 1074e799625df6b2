import { describe, expect, it } from 'vitest';
import { splitWords } from './split-words.js';

describe('splitWords (conformance --step)', () => {
  it('splits on blanks and keeps quoted blanks', () => {
    expect(splitWords(`run --select a b --vars '{x: 1}'`)).toEqual(['run', '--select', 'a', 'b', '--vars', '{x: 1}']);
    expect(splitWords(`test --vars "{'tag_var': 'random_tag'}"`)).toEqual(['test', '--vars', "{'tag_var': 'random_tag'}"]);
  });

  it('joins quoted and unquoted pieces that touch, as bash does with nested single quotes', () => {
    // snowplow-web's integration_test.sh: bash passes one --vars word with the date unquoted.
    expect(splitWords(`run --vars '{a: true, d: '2023-03-01', n: 50}'`)).toEqual(['run', '--vars', '{a: true, d: 2023-03-01, n: 50}']);
    expect(splitWords(`run --vars='{a: 1}'`)).toEqual(['run', '--vars={a: 1}']);
    expect(splitWords(`run --vars 'models_to_delete: ["a","b"]'`)).toEqual(['run', '--vars', 'models_to_delete: ["a","b"]']);
  });

  it('reads backslash escapes and rejects an unclosed quote', () => {
    expect(splitWords(`x "a \\"b\\"" c\\ d`)).toEqual(['x', 'a "b"', 'c d']);
    expect(splitWords('  ')).toEqual([]);
    expect(() => splitWords(`run --vars '{a: 1}`)).toThrow(/unclosed '/);
  });
});
