// Property-based fuzzing of seed CSV files (fast-check) on one PGlite database: arbitrary header
// names (unicode, quotes, semicolons, SQL, blanks, duplicates, names over PostgreSQL's 63 bytes, NUL
// characters) and arbitrary values, loaded with `tsdbt seed` in-process, with and without
// `quote_columns: false`. Every input must end one of three ways, never with an internal error or a
// JavaScript stack:
//  - loaded: the table's columns are the header's names exactly (trimmed; folded to lower case with
//    quote_columns: false), and every value comes back as written (or NULL for '' and 'null');
//  - refused before anything ran (exit 2) with an error naming seeds/fz.csv;
//  - failed as a node (exit 1) with seeds/fz.csv:<line> (a value PostgreSQL cannot store);
// and a canary table no header may touch is still there afterwards. Runs are bounded and
// reproducible: a fixed fast-check seed (FUZZ_SEED overrides it), printed with any failure.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAsCli } from '../support/cli-outcome.js';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const SEED = Number(process.env.FUZZ_SEED ?? 15_2026);
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);

const TRICKY = ['', '"', '""', ';', ',', '\r\n', '\u0000', '\uFEFF', 'select', 'from', 'UserName', 'a b', 'we"ird', "it's", '`x`', '{{ x }}', '$1', 'ß', 'Ä', '名前', '😀', 'id'];
const PIECES = [...TRICKY, 'x int); drop table canary; --', ' text); commit; create table pwned (y int); create temp table q (z', '--', '/*', '*/'];

const headerName = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }) },
  { weight: 2, arbitrary: fc.constantFrom(...TRICKY) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 4 }).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 55, maxLength: 75 }) },
);
const value = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  { weight: 2, arbitrary: fc.constantFrom('', 'null', ' NULL ', '"', ',', '\n', '\r\n', 'a\nb', "'; drop table canary; --", '\\.', '\\N', '1', '2024-01-01', 'true', '\u0000') },
);

interface Input {
  header: string[];
  rows: string[][];
  quoteColumns: boolean;
}

// Mostly distinct names (after trimming, as the header is read); a repeated name loads renamed (agate's name_2).
const header = fc.oneof(
  { weight: 3, arbitrary: fc.uniqueArray(headerName, { minLength: 1, maxLength: 5, selector: (h) => h.trim() }) },
  { weight: 1, arbitrary: fc.array(headerName, { minLength: 1, maxLength: 5 }) },
);

const input: fc.Arbitrary<Input> = fc
  .tuple(header, fc.integer({ min: 0, max: 3 }).map((n) => n > 0), fc.integer({ min: 0, max: 4 }))
  .chain(([names, quoteColumns, rowCount]) =>
    fc.array(fc.array(value, { minLength: names.length, maxLength: names.length }), { minLength: rowCount, maxLength: rowCount }).map((rows) => ({
      header: names,
      // A first value no type but text fits keeps every column text, so values compare as written.
      rows: rows.map((row, i) => (i === 0 ? row.map((v) => `~${v}`) : row)),
      quoteColumns,
    })),
  );

const csvField = (text: string) => `"${text.replaceAll('"', '""')}"`;
const csv = ({ header, rows }: Input) => [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
const isNull = (v: string) => v.trim() === '' || v.trim().toLowerCase() === 'null';

describe('fuzz: seed CSV headers and values (PGlite)', () => {
  let p: WarehouseProject;
  const counts = { inputs: 0, loaded: 0, refused: 0, failedNode: 0 };
  const reasons = new Map<string, number>();
  const reason = (output: string) => {
    const text = /seeds\/fz\.csv(?::\d+)?: (.*)/.exec(output)?.[1] ?? 'other';
    const key = text.replace(/\(.*\)|'.*'|".*"/g, '…').slice(0, 60);
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
  };
  beforeAll(async () => {
    p = warehouseProject('pglite', { 'models/canary.sql': "{{ config(materialized='table') }}\nselect 42 as alive\n" });
    const built = await runAsCli(p, 'run');
    expect(built.code, built.output).toBe(0);
  }, 300_000);
  afterAll(async () => {
    console.log(`seed CSV fuzz: ${counts.inputs} inputs (seed ${SEED}): ${counts.loaded} loaded, ${counts.refused} refused (exit 2), ${counts.failedNode} failed the node (exit 1)`);
    for (const [text, n] of reasons) console.log(`  ${n} x ${text}`);
    await p?.cleanup();
  });

  it('loads a CSV exactly or refuses it clearly, and never runs a header as SQL', async () => {
    await fc.assert(
      fc.asyncProperty(input, async (example) => {
        counts.inputs++;
        p.write('dbt_project.yml', `name: demo\nprofile: demo\n${example.quoteColumns ? '' : 'seeds:\n  +quote_columns: false\n'}`);
        p.write('seeds/fz.csv', csv(example));
        const out = await runAsCli(p, 'seed');
        expect(out.output).not.toMatch(/internal error|tsdbt bug|\n\s+at [^\n]+:\d+:\d+/);
        const loaded = out.code === 0;
        // PostgreSQL keeps the first 63 bytes of a longer name (cut at a character), as tsdbt loads it.
        const stored = (n: string) => {
          let kept = '';
          for (const ch of n) if (Buffer.byteLength(kept + ch) <= 63) kept += ch;
          else break;
          return kept;
        };
        // A name given again is renamed as agate renames it when dbt loads the seed: name_2, name_3, ...;
        // a blank one is its column's letter (agate's letter_name: a..z, then aa..zz).
        const letter = (i: number) => String.fromCharCode(97 + (i % 26)).repeat(Math.floor(i / 26) + 1);
        const taken: string[] = [];
        for (const h of example.header.map((x, i) => (x.trim() === '' ? letter(i) : x.trim()))) {
          let n = 1;
          while (taken.includes(n === 1 ? h : `${h}_${n}`)) n++;
          taken.push(n === 1 ? h : `${h}_${n}`);
        }
        const names = taken.map((h) => stored(example.quoteColumns ? h : h.replace(/[A-Z]+/g, (m) => m.toLowerCase())));
        const sqlName = (n: string) => `"${n.replaceAll('"', '""')}"`;
        // One query (one PGlite open) per input: the canary, no injected table, and what was loaded.
        const [state] = await p.sql(
          `select (select count(*) from "${p.schema}".canary where alive = 42)::int as canary, ` +
            `(select count(*) from pg_class where relname in ('pwned', 'q'))::int as injected, ` +
            `(select json_agg(column_name::text order by ordinal_position) from information_schema.columns where table_schema = '${p.schema}' and table_name = 'fz') as columns` +
            (loaded ? `, (select json_agg(json_build_array(${names.map(sqlName).join(', ')})) from "${p.schema}".fz) as rows` : ''),
        );
        expect(state).toMatchObject({ canary: 1, injected: 0 });
        if (out.code === 2) {
          counts.refused++;
          reason(out.output);
          expect(out.output).toMatch(/seeds\/fz\.csv(:\d+)?: /);
          return;
        }
        if (out.code === 1) {
          counts.failedNode++;
          reason(out.output);
          expect(out.output).toMatch(/seeds\/fz\.csv:\d+: /);
          return;
        }
        expect(out.code, out.output).toBe(0);
        counts.loaded++;
        expect(state?.columns).toEqual(names);
        const sorted = (list: unknown[]) => list.map((r) => JSON.stringify(r)).sort();
        expect(sorted((state?.rows as unknown[] | null) ?? [])).toEqual(sorted(example.rows.map((r) => r.map((v) => (isNull(v) ? null : v)))));
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  }, 600_000);
});
