import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deleteRecordKey, recordEntries, recordKeys, recordValues, withKeysKept } from './record-values.js';

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

  it("leave V8's ArrayConstructor protector intact on a record of 30,000 keys (its invalidation deoptimizes every function relying on it)", () => {
    const module = fileURLToPath(new URL('./record-values.ts', import.meta.url));
    const script = `import { recordEntries, recordValues } from ${JSON.stringify(module)};
      const record = {};
      for (let i = 0; i < 30000; i++) record['model.p.m_' + i] = { i };
      const sum = (list) => list.length;
      for (let round = 0; round < 3; round++) console.log(sum(recordValues(record)) + sum(recordEntries(record)));`;
    const run = spawnSync(process.execPath, ['--trace-protector-invalidation', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('60000');
    expect(run.stdout).not.toContain('Invalidating protector cell ArrayConstructor');
  });

  it('an empty record', () => {
    expect(recordValues({})).toEqual([]);
    expect(recordEntries({})).toEqual([]);
  });

  it('inside withKeysKept: the keys listed once, the values read at each walk, as Object.keys / Object.values give them', () => {
    const record: Record<string, { n: number }> = {};
    for (let i = 0; i < 3000; i++) record[`model.pkg.m_${i}`] = { n: i };
    const outside = { keys: Object.keys(record), values: Object.values(record) };
    const seen = withKeysKept(record, () => {
      expect(recordKeys(record)).toEqual(outside.keys);
      // A value replaced inside the step is seen by the next walk.
      record['model.pkg.m_5'] = { n: -5 };
      expect(recordValues(record)).toEqual(Object.values(record));
      expect(recordEntries(record)).toEqual(Object.entries(record));
      // Each walk gets an array of its own: sorting one leaves the next as it was.
      recordKeys(record).reverse();
      expect(recordKeys(record)[0]).toBe('model.pkg.m_0');
      // A nested step for the same record reads the same list.
      return withKeysKept(record, () => recordValues(record).map((v) => v.n));
    });
    expect(seen[5]).toBe(-5);
    expect(seen).toHaveLength(3000);
    // Once the step is over, the record's keys are listed afresh.
    record['model.pkg.added'] = { n: 1 };
    expect(recordKeys(record)).toEqual(Object.keys(record));
    expect(recordValues(record).at(-1)).toBe(record['model.pkg.added']);
  });

  it('a key deleted inside withKeysKept by deleteRecordKey is gone from the later walks (a test disabled with its model)', () => {
    const record: Record<string, { n: number }> = { a: { n: 1 }, b: { n: 2 }, c: { n: 3 } };
    const walked = withKeysKept(record, () => {
      deleteRecordKey(record, 'b');
      return { keys: recordKeys(record), values: recordValues(record).map((v) => v.n), entries: recordEntries(record).map(([k]) => k) };
    });
    expect(walked).toEqual({ keys: ['a', 'c'], values: [1, 3], entries: ['a', 'c'] });
    expect(Object.keys(record)).toEqual(['a', 'c']);
  });

  it('withKeysKept with values: the values listed once too, each walk a copy of its own, a deleted key gone from them', () => {
    const record: Record<string, { n: number }> = {};
    for (let i = 0; i < 3000; i++) record[`model.pkg.m_${i}`] = { n: i };
    const walked = withKeysKept(
      record,
      () => {
        // Changed in place (what the step may do): seen by every walk, as the same object.
        (record['model.pkg.m_1'] as { n: number }).n = -1;
        expect(recordValues(record)).toEqual(Object.values(record));
        expect(recordValues(record)[1]).toBe(record['model.pkg.m_1']);
        expect(recordEntries(record)).toEqual(Object.entries(record));
        recordValues(record).reverse();
        expect(recordValues(record)[0]).toBe(record['model.pkg.m_0']);
        deleteRecordKey(record, 'model.pkg.m_2');
        return { values: recordValues(record), entries: recordEntries(record) };
      },
      { values: true },
    );
    expect(walked.values).toEqual(Object.values(record));
    expect(walked.entries).toEqual(Object.entries(record));
    expect(walked.values).toHaveLength(2999);
    // Once the step is over, the values are read afresh.
    record['model.pkg.m_0'] = { n: 100 };
    expect(recordValues(record)[0]).toEqual({ n: 100 });
  });

  it('withKeysKept gives back what its step returns, and lets go of the list when the step throws', () => {
    const record: Record<string, number> = { a: 1 };
    expect(() =>
      withKeysKept(record, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    record.b = 2;
    expect(recordKeys(record)).toEqual(['a', 'b']);
    expect(withKeysKept(record, () => 7)).toBe(7);
  });
});
