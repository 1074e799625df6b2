import { describe, expect, it } from 'vitest';
import { recordEntries, recordValues } from './record-values.js';

describe('recordValues / recordEntries', () => {
  it("give Object.values' and Object.entries' values, in their order", () => {
    const record: Record<string, number> = { b: 1, a: 2, '10': 3, '2': 4, 'model.x.y': 5 };
    expect(recordValues(record)).toEqual([4, 3, 1, 2, 5]);
    expect(recordValues(record)).toEqual(Object.values(record));
    expect(recordEntries(record)).toEqual(Object.entries(record));
  });

  it('on a record of thousands of keys (a dictionary in V8), with keys deleted', () => {
    const record: Record<string, { n: number }> = {};
    for (let i = 0; i < 5000; i++) record[`test.pkg.t_${i}.${(i * 7919).toString(16)}`] = { n: i };
    for (let i = 0; i < 5000; i += 7) delete record[`test.pkg.t_${i}.${(i * 7919).toString(16)}`];
    record['model.pkg.last'] = { n: -1 };
    const values = recordValues(record);
    expect(values).toHaveLength(Object.keys(record).length);
    expect(values).toEqual(Object.values(record));
    expect(values.at(-1)).toBe(record['model.pkg.last']);
    expect(recordEntries(record)).toEqual(Object.entries(record));
  });

  it('an empty record', () => {
    expect(recordValues({})).toEqual([]);
    expect(recordEntries({})).toEqual([]);
  });
});
