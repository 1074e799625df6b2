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
});
