// `tsdbt compile` writes a compiled file only when its text changed since the last compile
// (target/compiled.index.json), and target/compiled is still complete and right after every
// compile: a changed model's file is rewritten, an unchanged one is not touched, a file deleted or
// edited by hand is written again, a wiped target/ gets every file, and a deleted model's file is
// left in place as dbt leaves it.
import { readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileCommand } from '../../src/app/compile-command.js';
import { createInvocation } from '../../src/app/invocation.js';
import { MEMORY_PROFILE } from '../support/offline-project.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const dir = testdir({
  'profiles.yml': MEMORY_PROFILE,
  'dbt_project.yml': MINIMAL_PROJECT_YML,
  'models/a.sql': 'select 1 as id',
  'models/b.sql': "select id from {{ ref('a') }}",
  'models/c.sql': "select id from {{ ref('b') }}",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
});
afterAll(() => removeDir(dir));

async function compile(): Promise<void> {
  const lines: string[] = [];
  const inv = createInvocation({ projectDir: dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir } });
  const code = await compileCommand(inv);
  if (code !== 0) throw new Error(`tsdbt compile exited ${code}:\n${lines.join('\n')}`);
}

const compiledFile = (name: string) => path.join(dir, 'target', 'compiled', 'demo', 'models', `${name}.sql`);
const testFile = path.join(dir, 'target', 'compiled', 'demo', 'models', 'schema.yml', 'not_null_a_id.sql');
const stamp = (file: string) => {
  const st = statSync(file);
  return { mtimeMs: st.mtimeMs, ino: st.ino };
};

describe('compile rewrites only the compiled files whose text changed', () => {
  it('writes every file the first time, then leaves the unchanged ones untouched and rewrites a changed one', async () => {
    await compile();
    expect(readFileSync(compiledFile('b'), 'utf8')).toBe('select id from "postgres"."main"."a"');
    expect(readFileSync(testFile, 'utf8')).toContain('where id is null');
    const before = { a: stamp(compiledFile('a')), b: stamp(compiledFile('b')), c: stamp(compiledFile('c')), test: stamp(testFile) };

    writeFileSync(path.join(dir, 'models', 'b.sql'), "select id, 2 as two from {{ ref('a') }}");
    await compile();
    expect(readFileSync(compiledFile('b'), 'utf8')).toBe('select id, 2 as two from "postgres"."main"."a"');
    expect(stamp(compiledFile('b')).mtimeMs).not.toBe(before.b.mtimeMs);
    expect(stamp(compiledFile('a'))).toEqual(before.a);
    expect(stamp(compiledFile('c'))).toEqual(before.c);
    expect(stamp(testFile)).toEqual(before.test);
  });

  it('writes again a compiled file deleted or edited by hand, and every file after target/ is wiped', async () => {
    unlinkSync(compiledFile('a'));
    writeFileSync(compiledFile('c'), 'edited by hand');
    await compile();
    expect(readFileSync(compiledFile('a'), 'utf8')).toBe('select 1 as id');
    expect(readFileSync(compiledFile('c'), 'utf8')).toBe('select id from "postgres"."main"."b"');

    rmSync(path.join(dir, 'target', 'compiled'), { recursive: true });
    await compile();
    expect(readFileSync(compiledFile('a'), 'utf8')).toBe('select 1 as id');
    expect(readFileSync(testFile, 'utf8')).toContain('where id is null');

    rmSync(path.join(dir, 'target'), { recursive: true });
    await compile();
    expect(readFileSync(compiledFile('c'), 'utf8')).toBe('select id from "postgres"."main"."b"');
  });

  it("leaves a deleted model's compiled file in place, as dbt does, and writes it again when the model comes back changed", async () => {
    unlinkSync(path.join(dir, 'models', 'c.sql'));
    await compile();
    expect(readFileSync(compiledFile('c'), 'utf8')).toBe('select id from "postgres"."main"."b"');

    writeFileSync(path.join(dir, 'models', 'c.sql'), "select id from {{ ref('a') }}");
    await compile();
    expect(readFileSync(compiledFile('c'), 'utf8')).toBe('select id from "postgres"."main"."a"');
  });
});
