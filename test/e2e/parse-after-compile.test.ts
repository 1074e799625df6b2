// `tsdbt parse` after a compile, run or build (whose manifest.json holds compiled code) with
// nothing changed answers from the parse index, as a parse after a parse does: the parse's own
// manifest.json, kept by that command under a second name, is put back, so the file holds what a
// whole parse writes (no compiled_code), and an edit after the compile still takes the patch path.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const UNCHANGED = 'nothing changed since the last parse';
const TEXT_PATCH = 'text patched into manifest.json';

type Manifest = { nodes: Record<string, Record<string, unknown>>; metadata?: unknown };

describe('tsdbt parse after compile, run or build', () => {
  const dir = testdir({
    'dbt_project.yml': MINIMAL_PROJECT_YML,
    'macros/twice.sql': '{% macro twice(x) %}({{ x }} * 2){% endmacro %}\n',
    'models/a.sql': 'select 1 as id\n',
    'models/b.sql': "select id, {{ twice('id') }} as d from {{ ref('a') }}\n",
    'models/schema.yml': 'version: 2\nmodels:\n  - name: b\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
  });
  afterAll(() => removeDir(dir));
  const tsdbt = async (...args: string[]) => {
    const out = await runTsdbt([...args, '--debug', '--project-dir', dir]);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    return out.stdout;
  };
  const manifest = (): Manifest => {
    const m = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as Manifest;
    delete m.metadata;
    return m;
  };
  const compiledNodes = (m: Manifest) => Object.keys(m.nodes).filter((id) => 'compiled_code' in (m.nodes[id] as object));

  it('answers from the index after compile and writes back the parse manifest, without compiled code', async () => {
    await tsdbt('parse');
    const parsed = manifest();
    expect(compiledNodes(parsed)).toEqual([]);
    await tsdbt('compile');
    expect(compiledNodes(manifest())).toEqual(expect.arrayContaining(['model.demo.a', 'model.demo.b']));

    const again = await tsdbt('parse');
    expect(again).toContain(UNCHANGED);
    expect(compiledNodes(manifest())).toEqual([]);
    expect(manifest()).toEqual(parsed);
    // The parse's file was put back, not copied: nothing is left under the second name.
    expect(existsSync(path.join(dir, 'target/partial_parse.manifest.json'))).toBe(false);
    // And it is what a whole parse writes.
    await tsdbt('parse', '--no-partial-parse');
    expect(manifest()).toEqual(parsed);
  });

  it('after run, and after two compiles in a row, likewise', async () => {
    await tsdbt('parse');
    const parsed = manifest();
    await tsdbt('run');
    expect(compiledNodes(manifest())).toContain('model.demo.b');
    expect(await tsdbt('parse')).toContain(UNCHANGED);
    expect(manifest()).toEqual(parsed);

    await tsdbt('compile');
    await tsdbt('compile', '-s', 'a');
    await tsdbt('ls');
    expect(await tsdbt('parse')).toContain(UNCHANGED);
    expect(manifest()).toEqual(parsed);
  });

  it('an edit after a compile takes the text patch, and the manifest equals a whole parse', async () => {
    await tsdbt('parse');
    await tsdbt('compile');
    writeFileSync(path.join(dir, 'models/a.sql'), 'select 2 as id\n');
    const edited = await tsdbt('parse');
    expect(edited).toContain(TEXT_PATCH);
    const patched = manifest();
    expect(compiledNodes(patched)).toEqual([]);
    expect(patched.nodes['model.demo.a']?.raw_code).toBe('select 2 as id');
    await tsdbt('parse', '--no-partial-parse');
    expect(patched).toEqual(manifest());
  });

  it('an edit before a compile: the compile parses it, and the next parse writes what a whole parse writes', async () => {
    await tsdbt('parse');
    writeFileSync(path.join(dir, 'models/a.sql'), 'select 3 as id\n');
    await tsdbt('compile');
    const next = await tsdbt('parse');
    expect(next).not.toContain(UNCHANGED);
    const after = manifest();
    expect(compiledNodes(after)).toEqual([]);
    expect(after.nodes['model.demo.a']?.raw_code).toBe('select 3 as id');
    await tsdbt('parse', '--no-partial-parse');
    expect(after).toEqual(manifest());
  });
});
