import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NodeResult } from '../manifest/results.js';
import { runResultsJson, writeRunResults, type RunResultsInput } from './run-results-writer.js';

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
    const cases: Array<Partial<RunResultsInput>> = [
      { results: [] },
      { results: Array.from({ length: 500 }, (_, i) => result(i, `select ${i} -- \u00fc`)) },
      { results: [result(0, 'x'.repeat(2 << 20)), result(1, 'select "quoted"\n')], args: undefined },
    ];
    for (const given of cases) {
      const input = { results: [], targetDir: dir, invocationId: 'inv', generatedAt: new Date(0), elapsedSeconds: 2.5, args: { which: 'compile' }, env: {}, ...given };
      const text = readFileSync(await writeRunResults(input), 'utf8');
      expect(text).toBe(JSON.stringify(runResultsJson(input)));
      expect((JSON.parse(text) as { results: unknown[] }).results).toHaveLength(input.results.length);
    }
  });
});
