// A seed value the warehouse refuses (one that does not cast to its column_types type, a NUL byte)
// fails the seed at once with the CSV file and the line the row starts on, and the column's header
// name, on the PostgreSQL server, PGlite and chDB; the table keeps its previous rows. COPY numbers
// lines, not rows, so a value with a newline earlier in the file must not shift the line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAsCli } from '../support/cli-outcome.js';
import { WAREHOUSES, warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const GOOD = 'id,Amount,note\n1,2,"two\nlines"\n2,3,x\n';
// The bad row (id 3) starts on line 6: the note of row 1 takes two lines, and line 5 is blank (a row
// of NULLs, as agate reads a blank line, so the bad row is the fourth).
// 20,000 good rows follow it, so the load is still streaming when the warehouse refuses it.
const BAD = `id,Amount,note\n1,2,"two\nlines"\n2,3,x\n\n3,abc,y\n${Array.from({ length: 20_000 }, (_v, i) => `${i + 4},${i},z`).join('\n')}\n`;

describe.each([...WAREHOUSES, 'chdb'] as const)('seed values the warehouse refuses, on %s', (kind) => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject(kind, {
      'dbt_project.yml': 'name: demo\nprofile: demo\nseeds:\n  demo:\n    +column_types: {Amount: integer}\n',
      'seeds/amounts.csv': GOOD,
    });
  });
  afterAll(() => p?.cleanup());

  it('names the CSV file, the line the row starts on and the column, and keeps the old rows', async () => {
    const first = await runAsCli(p, 'seed');
    expect(first.code, first.output).toBe(0);
    p.write('seeds/amounts.csv', BAD);
    const out = await runAsCli(p, 'seed');
    expect(out.code).toBe(1);
    expect(out.output).toContain("seeds/amounts.csv:6: column 'Amount': ");
    expect(out.output).toContain(kind === 'chdb' ? '(at row 4)' : 'invalid input syntax for type integer: "abc"');
    expect(out.output).toContain("hint: fix the value on this line of the CSV, or the column's type (`column_types`)");
    const q = kind === 'chdb' ? '`' : '"';
    expect(await p.sql(`select id, ${q}Amount${q} as amount from ${q}${p.schema}${q}.amounts order by id`)).toEqual([
      { id: 1, amount: 2 },
      { id: 2, amount: 3 },
    ]);
  });

  it.skipIf(kind === 'chdb')('points at a NUL byte in a value (PostgreSQL text cannot hold one)', async () => {
    p.write('seeds/amounts.csv', 'id,Amount,note\n1,2,ok\n2,3,"nul \u0000 here"\n');
    const out = await runAsCli(p, 'seed');
    expect(out.code).toBe(1);
    expect(out.output).toContain('seeds/amounts.csv:3: invalid byte sequence for encoding "UTF8": 0x00');
  });
});
