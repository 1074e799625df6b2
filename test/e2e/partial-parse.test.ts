// Partial parsing: a second parse with nothing changed answers from the index of file stamps
// (parse-index.ts) or, when stamps changed but contents did not, reuses target/partial_parse.bin;
// a changed model, a changed --vars or a changed env var read by a template parses again.
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const REUSED = 'Reusing the previous parse';
const UNCHANGED = 'nothing changed since the last parse';

describe('partial parsing', () => {
  const dir = testdir({
    'dbt_project.yml': MINIMAL_PROJECT_YML,
    'models/a.sql': "select '{{ env_var(\"REGION\", \"eu\") }}' as region, {{ var('n', 1) }} as n\n",
    'models/b.sql': "select * from {{ ref('a') }}\n",
  });
  afterAll(() => removeDir(dir));
  const parse = (args: string[] = [], env: Record<string, string> = {}) => runTsdbt(['parse', '--debug', '--project-dir', dir, ...args], { env });
  const manifestNode = (id: string) => (JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { raw_code: string; depends_on: { nodes: string[] } }> }).nodes[id];

  it('reuses the previous parse only while its inputs are unchanged', async () => {
    const first = await parse();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).not.toContain(REUSED);
    expect(first.stdout).toContain('Unable to do partial parsing because saved manifest not found. Starting full parse.');

    const second = await parse();
    expect(second.stdout).toContain(UNCHANGED);
    expect(manifestNode('model.demo.b')?.depends_on.nodes).toEqual(['model.demo.a']);
    // Stamps changed, contents did not: the cached parse, read by content.
    const later = new Date(Date.now() + 5000);
    utimesSync(path.join(dir, 'models/b.sql'), later, later);
    const manifestStamp = () => statSync(path.join(dir, 'target/manifest.json')).mtimeMs;
    const before = manifestStamp();
    const touched = await parse();
    expect(touched.stdout).toContain(REUSED);
    expect(touched.stdout).not.toContain(UNCHANGED);
    expect(touched.stdout).toContain('is current (files touched, their contents unchanged)');
    expect(manifestStamp()).toBe(before); // same contents: manifest.json is not rewritten

    writeFileSync(path.join(dir, 'models/b.sql'), "select region from {{ ref('a') }}\n");
    const edited = await parse();
    expect(edited.stdout).not.toContain(REUSED);
    expect(manifestNode('model.demo.b')?.raw_code).toContain('select region');

    const neither = (out: string) => !out.includes(REUSED) && !out.includes(UNCHANGED);
    expect(neither((await parse(['--vars', '{n: 2}'])).stdout)).toBe(true);
    expect(neither((await parse()).stdout)).toBe(true); // vars back to the default: parsed again
    expect((await parse()).stdout).toContain(UNCHANGED);
    const region = (await parse([], { REGION: 'us' })).stdout;
    expect(neither(region)).toBe(true);
    expect(region).toContain('Unable to do partial parsing because env var REGION changed: parsing the whole project');
    expect(neither((await parse(['--no-partial-parse'])).stdout)).toBe(true);
  });

  // dbt's UnableToPartialParse (info level: on screen) where dbt gives up on partial parsing too;
  // dbt-core's tests/functional/partial_parsing (TestProfileChanges, TestSkipMacros).
  it("says on screen, in dbt's words, why it parses everything again", async () => {
    const own = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'models/a.sql': 'select 1 as id\n', 'macros/keep.sql': '' });
    try {
      const run = async (args: string[] = []) => {
        const out = await runTsdbt(['compile', '--project-dir', own, ...args]);
        expect(out.code, out.stderr).toBe(0);
        return out.stdout.split('\n').filter((l) => l.includes('partial parsing')).map((l) => l.replace(/^\S+\s+/, ''));
      };
      const because = (reason: string) => [`Unable to do partial parsing because ${reason}`];
      expect(await run()).toEqual(because('saved manifest not found. Starting full parse.'));
      expect(await run()).toEqual([]);
      expect(await run(['--vars', '{n: 2}'])).toEqual(because('config vars, config profile, or config target have changed'));
      writeFileSync(path.join(own, 'dbt_project.yml'), `${MINIMAL_PROJECT_YML}\nvars:\n  n: 3\n`);
      expect(await run(['--vars', '{n: 2}'])).toEqual(because('a project config has changed'));
      // A project macro overriding ref(), added or changed: dbt's special override macros.
      writeFileSync(path.join(own, 'macros/ref_override.sql'), "{% macro ref(name) %}{{ return(builtins.ref(name)) }}{% endmacro %}\n");
      expect(await run(['--vars', '{n: 2}'])).toEqual(because('change detected to override macro. Starting full parse.'));
      // Any other macro file: tsdbt parses everything again too, and says so at debug level only.
      writeFileSync(path.join(own, 'macros/other.sql'), '{% macro other() %}1{% endmacro %}\n');
      expect(await run(['--vars', '{n: 2}'])).toEqual([]);
    } finally {
      removeDir(own);
    }
  });
});
