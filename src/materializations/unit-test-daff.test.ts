import { describe, expect, it } from 'vitest';
import { postgresRules } from '../adapters/postgres/postgres-rules.js';
import { unitTestDiffMessage, type DiffSide } from './unit-test-daff.js';

// dbt-core's task/test.py renders a failing unit test with daff: both tables' rows sorted (None
// last), compared without regard to order, daff's TerminalDiffRender of the highlighted diff
// (`@@` header, `→` a changed row with `old→new`, `+++` a row only actual has, `---` one only
// expected has, an unchanged row between them as context; a null is `null` in an added or
// removed row, `NULL` elsewhere, as daff's Haxe code writes it), behind "actual differs from expected:".
const columns = [
  { name: 'id', dataType: 'integer' },
  { name: 'name', dataType: 'text' },
  { name: 'active', dataType: 'boolean' },
];
const side = (rows: [number, string | null, boolean | null][]): DiffSide => ({ columns, rows: rows.map(([id, name, active]) => ({ id, name, active })) });

describe("a failing unit test's daff diff", () => {
  it('marks a changed cell, a row only actual has and one only expected has, in sorted order', async () => {
    const expected = side([
      [3, 'c', true],
      [1, 'a', true],
      [2, 'b', false],
    ]);
    const actual = side([
      [4, null, null],
      [1, 'a', false],
      [3, 'c', true],
    ]);
    const message = await unitTestDiffMessage(['id', 'name', 'active'], expected, actual, postgresRules);
    expect(message?.split('\r\n')).toEqual([
      '\n\nactual differs from expected:\n\n@@ ,id,name,active',
      '→  ,1 ,a   ,True→False',
      '---,2 ,b   ,False',
      '   ,3 ,c   ,True',
      '+++,4 ,null,null',
      '\n',
    ]);
  });

  it('is null when the tables hold the same rows in another order', async () => {
    const rows: [number, string | null, boolean | null][] = [
      [1, 'a', true],
      [2, null, false],
    ];
    expect(await unitTestDiffMessage(['id', 'name', 'active'], side(rows), side([...rows].reverse()), postgresRules)).toBeNull();
  });

  it("names columns in lower case, as dbt lowers the result's column names", async () => {
    const message = await unitTestDiffMessage(['ID'], { columns: [{ name: 'ID', dataType: 'integer' }], rows: [{ ID: 1 }] }, { columns: [{ name: 'ID', dataType: 'integer' }], rows: [{ ID: 2 }] }, postgresRules);
    expect(message).toContain('@@ ,id\r\n+++,2\r\n---,1\r\n');
  });
});
