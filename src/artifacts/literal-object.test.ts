import { describe, expect, it } from 'vitest';
import { literalObject } from './literal-object.js';

describe('literalObject', () => {
  it('makes each shape with its own keys, order and values, whichever shapes came before', () => {
    const shapes: [string[], unknown[]][] = [
      [['a', 'b'], [1, 2]],
      [['b', 'a'], [3, 4]],
      [['a', 'b', 'c'], [5, 6, 7]],
      [['a'], [8]],
      [['x', 'y'], [9, 10]],
      [['y', 'x'], [11, 12]],
      [['a', 'b'], [13, 14]],
      [['b', 'a'], [15, 16]],
    ];
    for (const [keys, values] of shapes) {
      const made = literalObject(keys, values);
      expect(Object.keys(made)).toEqual(keys);
      expect(Object.values(made)).toEqual(values);
    }
  });

  it('is not changed by a later change to the key list it was given', () => {
    const keys = ['p', 'q'];
    expect(literalObject(keys, [1, 2])).toEqual({ p: 1, q: 2 });
    keys[1] = 'r';
    expect(Object.keys(literalObject(['p', 'q'], [3, 4]))).toEqual(['p', 'q']);
    expect(Object.keys(literalObject(keys, [5, 6]))).toEqual(['p', 'r']);
  });

  it('builds a __proto__ key by assignment, as obj[key] = value does', () => {
    const proto = { inherited: true };
    const made = literalObject(['__proto__', 'k'], [proto, 1]);
    expect(Object.getPrototypeOf(made)).toBe(proto);
    expect(Object.keys(made)).toEqual(['k']);
  });
});
