// dbt's hidden `--no-partial-parse-file-diff` (DBT_PARTIAL_PARSE_FILE_DIFF=false; core/dbt/cli/params.py,
// "Internal flag for whether to compute a file diff during partial parsing"): get_full_manifest then
// hands the loader an empty FileDiff, so the saved parse is reused as it is, without reading the
// project's files for changes; the next parse with the diff (the default) sees the edit.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseOrLs } from '../support/parse-or-ls.js';
import { removeDir, testdir } from '../support/testdir.js';
import { MEMORY_PROFILE } from '../support/offline-project.js';

describe('--no-partial-parse-file-diff', () => {
  const dir = testdir({ 'profiles.yml': MEMORY_PROFILE, 'dbt_project.yml': 'name: demo\nconfig-version: 2\nprofile: demo\n', 'models/m.sql': 'select 1 as id\n' });
  afterAll(() => removeDir(dir));
  const rawCode = () => (JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { raw_code: string }> }).nodes['model.demo.m']?.raw_code;

  it('reuses the saved parse without looking at the files; the next parse with the diff sees the edit', async () => {
    expect((await parseOrLs(dir, 'parse')).code).toBe(0);
    expect(rawCode()).toBe('select 1 as id');
    writeFileSync(path.join(dir, 'models', 'm.sql'), "select 2 as id, '{{ this.name }}' as name\n");
    expect((await parseOrLs(dir, 'parse', { noPartialParseFileDiff: true })).code).toBe(0);
    expect(rawCode()).toBe('select 1 as id');
    expect((await parseOrLs(dir, 'parse')).code).toBe(0);
    expect(rawCode()).toBe("select 2 as id, '{{ this.name }}' as name");
  });
});
