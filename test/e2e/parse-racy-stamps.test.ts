// `tsdbt parse` after a model was touched, or edited in the same file-system clock tick as the
// parse that read it: a touched file is read once and the index takes its new stamp (the next
// parse answers from the index, it does not load the project), and an edit whose stamp cannot be
// told from the one the last parse saw (same size, same mtime: a second edit in that tick) is
// still seen, because that stamp was never trusted. Stamps at or after a parse's clock are made
// with an mtime in the future, the latest tick there is; no sleep.
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const FELL_BACK = 'Unable to do partial parsing because';

describe('tsdbt parse after a touch or an edit in the clock tick of a parse', () => {
  const dir = testdir({
    'dbt_project.yml': MINIMAL_PROJECT_YML,
    'models/a.sql': 'select 1 as x\n',
    'models/b.sql': "select * from {{ ref('a') }}\n",
  });
  afterAll(() => removeDir(dir));
  const model = path.join(dir, 'models/a.sql');
  const parse = async () => {
    const out = await runTsdbt(['parse', '--debug', '--project-dir', dir]);
    expect(out.code, out.stderr).toBe(0);
    return out.stdout;
  };
  const rawCode = () => (JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { raw_code: string }> }).nodes['model.demo.a']?.raw_code;
  /** An mtime a day ahead: at or after any parse's clock, as an edit in the tick the parse read the file in. */
  const ahead = new Date(Date.now() + 86_400_000);

  it('answers from the index after a parse that found a model touched, whatever its new mtime', async () => {
    await parse();
    expect(await parse()).toContain('nothing changed since the last parse');
    const { mtime } = statSync(model);
    for (const touchedAt of [new Date(mtime.getTime() - 60_000), ahead]) {
      utimesSync(model, touchedAt, touchedAt);
      expect(await parse()).toContain('files touched, their contents unchanged');
      const next = await parse();
      expect(next).not.toContain(FELL_BACK);
      expect(next).toMatch(/nothing changed since the last parse|files touched, their contents unchanged/);
    }
  });

  it('sees an edit made in the same clock tick, with the same size, as the one the last parse patched in', async () => {
    // Each edit keeps the size and gets the same mtime, in the tick of the parse that reads it.
    const edits = ['select 2 as x\n', 'select 3 as x\n', "select 4 as {{ 'x' }}\n", "select 5 as {{ 'x' }}\n"];
    for (const text of edits) {
      writeFileSync(model, text.padEnd(24, ' '));
      utimesSync(model, ahead, ahead);
      const out = await parse();
      expect(out).not.toContain(FELL_BACK);
      expect(rawCode()).toBe(text.trim()); // dbt's raw_code: the file stripped
    }
    expect(await parse()).not.toContain(FELL_BACK);
    expect(rawCode()).toBe(edits[3]?.trim());
  });
});
