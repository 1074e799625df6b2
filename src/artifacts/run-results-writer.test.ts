import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NodeResult } from '../manifest/results.js';
import { encodeResults, runResultsJson, writeRunResults, type RunResultsInput } from './run-results-writer.js';

describe('writeRunResults', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-run-results-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes run_results.json on one line, as dbt's write_json (json.dump, no indent) does", async () => {
    const result = { status: 'success', timing: [], thread_id: 'Thread-1', execution_time: 0.5, adapter_response: {}, message: 'OK\nsecond line', failures: null, unique_id: 'model.p.a', compiled_code: 'select 1\nfrom t' } as unknown as NodeResult;
    const input: RunResultsInput = { results: [result], targetDir: dir, invocationId: 'inv', generatedAt: new Date(0), elapsedSeconds: 1, args: { which: 'run' }, env: {} };
    const file = await writeRunResults(input);
    const text = readFileSync(file, 'utf8');
    expect(text).toBe(JSON.stringify(runResultsJson(input)));
    expect(text).not.toContain('\n');
    expect(JSON.parse(text)).toMatchObject({ results: [{ unique_id: 'model.p.a', compiled: true, compiled_code: 'select 1\nfrom t', message: 'OK\nsecond line' }], elapsed_time: 1 });
  });

  it('streams the same text JSON.stringify gives, for no results, many, and one larger than its 4 MB write buffer', async () => {
    const result = (i: number, code: string) => ({ status: 'success', timing: [], thread_id: 'Thread-1', execution_time: i, adapter_response: {}, message: `ok ${i} \u00e9\u2603`, failures: null, unique_id: `model.p.m${i}`, compiled_code: code }) as unknown as NodeResult;
    const cases: Array<Partial<RunResultsInput> & { results: NodeResult[] }> = [
      { results: [] },
      { results: Array.from({ length: 500 }, (_, i) => result(i, `select ${i} -- \u00fc`)) },
      { results: [result(0, 'x'.repeat(2 << 20)), result(1, 'select "quoted"\n')], args: undefined },
    ];
    for (const given of cases) {
      const input = { targetDir: dir, invocationId: 'inv', generatedAt: new Date(0), elapsedSeconds: 2.5, args: { which: 'compile' }, env: {}, ...given };
      const text = readFileSync(await writeRunResults(input), 'utf8');
      expect(text).toBe(JSON.stringify(runResultsJson(input)));
      expect((JSON.parse(text) as { results: unknown[] }).results).toHaveLength(input.results.length);
    }
  });

  it('writes results encoded ahead (encodeResults, as compile makes them while its files are written) as the same text', async () => {
    const result = (i: number, code: string) => ({ status: 'success', timing: [{ name: 'compile', started_at: 'a', completed_at: 'b' }], thread_id: 'Thread-1', execution_time: i, adapter_response: {}, message: null, failures: null, unique_id: `model.p.m${i}`, compiled_code: code, relation_name: `"db"."s"."m${i}"` }) as unknown as NodeResult;
    // No results; 30,000 (~4.6 MB: more than one 4 MB chunk); one result larger than a chunk among small ones.
    const cases = [[], Array.from({ length: 30000 }, (_, i) => result(i, `select ${i} as id -- \u00fc\u2603`)), [result(0, 'a'), result(1, 'x'.repeat(3 << 20)), result(2, 'b')]];
    for (const results of cases) {
      const input = { targetDir: dir, invocationId: 'inv', generatedAt: new Date(0), elapsedSeconds: 2.5, args: { which: 'compile' }, env: {} };
      const streamed = readFileSync(await writeRunResults({ ...input, results }), 'utf8');
      const encoded = encodeResults(results);
      const text = readFileSync(await writeRunResults({ ...input, results: encoded }), 'utf8');
      expect(text).toBe(streamed);
      expect(runResultsJson({ ...input, results: encoded })).toEqual(runResultsJson({ ...input, results }));
      const parsed = JSON.parse(text) as { results: { unique_id: string; compiled_code: string }[] };
      expect(parsed.results.map((r) => r.unique_id)).toEqual(results.map((r) => r.unique_id));
      expect(parsed.results.at(-1)?.compiled_code).toBe(results.at(-1)?.compiled_code);
    }
  });
});
