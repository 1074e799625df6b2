// `tsdbt parse` with nothing changed answers from target/partial_parse.index.json (file stamps,
// env values, options) without parsing or rewriting manifest.json; every kind of input change
// the index lists makes it parse again, and the warnings of the last parse still count.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const UNCHANGED = 'nothing changed since the last parse';
const PROJECT = ['name: demo', "version: '1.0.0'", 'config-version: 2', 'profile: demo', 'models:', '  demo:', '    stagin:', '      +materialized: table', ''].join('\n');

describe('tsdbt parse with nothing changed', () => {
  const dir = testdir({
    'dbt_project.yml': PROJECT,
    'models/a.sql': "select '{{ env_var(\"REGION\", \"eu\") }}' as region\n",
    'models/b.sql': "select * from {{ ref('a') }}\n",
  });
  afterAll(() => removeDir(dir));
  const parse = (args: string[] = [], env: Record<string, string> = {}) => runTsdbt(['parse', '--project-dir', dir, ...args], { env });
  const manifestFile = path.join(dir, 'target/manifest.json');
  const nodes = () => Object.keys((JSON.parse(readFileSync(manifestFile, 'utf8')) as { nodes: Record<string, unknown> }).nodes).sort();
  const parsedAgain = async (args: string[] = [], env: Record<string, string> = {}) => {
    const out = await parse(args, env);
    expect(out.code, out.stderr).toBe(0);
    return !out.stdout.includes(UNCHANGED);
  };

  it('answers from the index, repeating the counts and the warnings, and leaves manifest.json as it was', async () => {
    expect(await parsedAgain()).toBe(true);
    const written = statSync(manifestFile).mtimeMs;
    const second = await parse();
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(UNCHANGED);
    expect(second.stdout).toContain('Found 2 models, ');
    // The unused config path warning of the first parse is printed again...
    expect(second.stdout).toContain('models.demo.stagin');
    expect(statSync(manifestFile).mtimeMs).toBe(written);
    // ...and --warn-error stops on it as it would on a full parse.
    const strict = await parse(['--warn-error']);
    expect(strict.code).toBe(2);
    expect(strict.stdout + strict.stderr).toContain('models.demo.stagin');
  });

  it('parses again when a file, a folder, an env var, an option, profiles.yml or manifest.json changed', async () => {
    expect(await parsedAgain()).toBe(false);
    writeFileSync(path.join(dir, 'models/b.sql'), "select region from {{ ref('a') }}\n");
    expect(await parsedAgain()).toBe(true);
    expect(await parsedAgain()).toBe(false);

    mkdirSync(path.join(dir, 'models/more'));
    writeFileSync(path.join(dir, 'models/more/c.sql'), "select * from {{ ref('b') }}\n");
    expect(await parsedAgain()).toBe(true);
    expect(nodes()).toEqual(['model.demo.a', 'model.demo.b', 'model.demo.c']);
    rmSync(path.join(dir, 'models/more/c.sql'));
    expect(await parsedAgain()).toBe(true);
    expect(nodes()).toEqual(['model.demo.a', 'model.demo.b']);

    expect(await parsedAgain([], { REGION: 'us' })).toBe(true);
    expect(await parsedAgain([], { REGION: 'us' })).toBe(false);
    expect(await parsedAgain(['--vars', '{n: 2}'], { REGION: 'us' })).toBe(true);
    expect(await parsedAgain(['--no-partial-parse'], { REGION: 'us' })).toBe(true);

    rmSync(manifestFile);
    expect(await parsedAgain([], { REGION: 'us' })).toBe(true);
    expect(nodes()).toEqual(['model.demo.a', 'model.demo.b']);

    // A profiles.yml appearing in the project folder (searched before ~/.dbt) changes the target.
    expect(await parsedAgain([], { REGION: 'us' })).toBe(false);
    writeFileSync(path.join(dir, 'profiles.yml'), `demo:\n  target: dev\n  outputs:\n    dev:\n      type: pglite\n      path: ${path.join(dir, 'target/db.pglite')}\n      schema: other\n`);
    expect(await parsedAgain([], { REGION: 'us' })).toBe(true);
    expect(await parsedAgain([], { REGION: 'us' })).toBe(false);
  });

  it('says at debug level why the last parse could not be reused', async () => {
    const why = async (args: string[], env: Record<string, string> = {}) => {
      const out = await parse(['--debug', ...args], env);
      expect(out.code, out.stderr).toBe(0);
      return out.stdout.split('\n').filter((line) => line.includes('Unable to do partial parsing because') || line.includes('Partial parsing not enabled')).map((line) => line.replace(/^\S+\s+/, ''));
    };
    await why([], { REGION: 'eu' });
    expect(await why([], { REGION: 'eu' })).toEqual([]);
    // The index first, then partial_parse.bin.
    expect(await why([], { REGION: 'us' })).toEqual(['Unable to do partial parsing because env var REGION changed', 'Unable to do partial parsing because env var REGION changed: parsing the whole project']);
    expect(await why(['--no-partial-parse'], { REGION: 'us' })).toEqual(['Partial parsing not enabled']);
    writeFileSync(path.join(dir, 'dbt_project.yml'), `${PROJECT}\n`);
    expect(await why([], { REGION: 'us' })).toEqual([`Unable to do partial parsing because ${path.join(dir, 'dbt_project.yml')} changed, and it is not a root-project SQL file of one node`]);
    // A new model: not in the index's folder listing, nor a file partial_parse.bin can parse on its own.
    writeFileSync(path.join(dir, 'models/c.sql'), 'select 3 as c\n');
    expect(await why([], { REGION: 'us' })).toEqual([
      `Unable to do partial parsing because a file or folder was added to or removed from ${path.join(dir, 'models')}`,
      'Unable to do partial parsing because the changed files (model:models/c.sql) are not all root-project SQL files whose nodes can be parsed again on their own: parsing the whole project',
    ]);
    rmSync(path.join(dir, 'models/c.sql'));
  });

  it("names those lines as dbt's events, and its own summary line no Note (dbt's parse logs no Note)", async () => {
    const names = async (args: string[]) => {
      const out = await parse(['--debug', '--log-format', 'json', ...args], { REGION: 'us' });
      expect(out.code, out.stderr).toBe(0);
      return out.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => (JSON.parse(line) as { info: { name: string }; data: Record<string, unknown> }));
    };
    const notEnabled = await names(['--no-partial-parse']);
    expect(notEnabled.map((e) => e.info.name)).toContain('PartialParsingNotEnabled');
    expect(notEnabled.map((e) => e.info.name)).toContain('ParseCompleted');
    expect(notEnabled.filter((e) => e.info.name === 'Note')).toEqual([]);
    const changed = await names(['--vars', '{n: 3}']);
    expect(changed.find((e) => e.info.name === 'UnableToPartialParse')?.data.reason).toMatch(/vars|changed/);
  });
});
