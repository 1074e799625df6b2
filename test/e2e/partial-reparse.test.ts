// Partial parsing of edited SQL files: after editing models or a singular test, only those files
// are parsed again and their nodes replaced in the cached manifest; the manifest is the one a
// whole parse (--no-partial-parse) writes. Edits it cannot patch in place (a disabled model, a
// broken ref, a changed macro) parse the whole project, with each error reported once.
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const PARTIAL = 'Partial parse: 1 changed file parsed again';

describe('partial parsing of edited SQL files', () => {
  const dir = testdir({
    'dbt_project.yml': MINIMAL_PROJECT_YML,
    'macros/twice.sql': '{% macro twice(x) %}({{ x }} * 2){% endmacro %}\n',
    'models/a.sql': 'select 1 as id\n',
    'models/b.sql': "select id, {{ twice('id') }} as d from {{ ref('a') }}\n",
    'models/c.sql': 'select 2 as id\n',
    'models/schema.yml': 'version: 2\nmodels:\n  - name: b\n    description: the b model\n    config:\n      tags: [from_yml]\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
    'tests/no_negative.sql': "select * from {{ ref('a') }} where id < 0\n",
  });
  afterAll(() => removeDir(dir));
  const parse = (...args: string[]) => runTsdbt(['parse', '--debug', '--project-dir', dir, ...args]);
  const manifest = () => {
    const m = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as Record<string, unknown>;
    // The metadata but for what each invocation stamps: a patched manifest keeps the project's fields (project_id, quoting...) in their order.
    const { generated_at, invocation_id, invocation_started_at, run_started_at, ...project } = m.metadata as Record<string, unknown>;
    expect([generated_at, invocation_id, invocation_started_at, run_started_at].every((v) => typeof v === 'string')).toBe(true);
    m.metadata = Object.keys(project);
    m.project = project;
    return m;
  };
  /** Parses after an edit; returns whether the partial path ran and checks the manifest equals a whole parse's. */
  const parseAfterEdit = async (file: string, text: string) => {
    writeFileSync(path.join(dir, file), text);
    const partial = await parse();
    expect(partial.code, partial.stdout + partial.stderr).toBe(0);
    const afterPartial = manifest();
    const whole = await parse('--no-partial-parse');
    expect(whole.code).toBe(0);
    expect(afterPartial).toEqual(manifest());
    return { partial: partial.stdout.includes(PARTIAL), manifest: afterPartial as { nodes: Record<string, { depends_on: { nodes: string[]; macros: string[] }; description: string; tags: string[]; raw_code: string }>; child_map: Record<string, string[]> } };
  };

  it('parses only the edited model, keeping its property-file entry, and writes what a whole parse writes', async () => {
    expect((await parse()).code).toBe(0);
    const edited = await parseAfterEdit('models/b.sql', "{{ config(materialized='table') }}\nselect id from {{ ref('c') }}\n");
    expect(edited.partial).toBe(true);
    const b = edited.manifest.nodes['model.demo.b'];
    expect(b?.depends_on).toEqual({ nodes: ['model.demo.c'], macros: [] });
    expect(b?.description).toBe('the b model');
    expect(b?.tags).toEqual(['from_yml']);
    expect(edited.manifest.child_map['model.demo.a']).toEqual(['test.demo.no_negative']);
    expect(edited.manifest.child_map['model.demo.c']).toEqual(['model.demo.b']);
  });

  it('builds on its own output: two partial parses in a row read the cache the first one wrote', async () => {
    writeFileSync(path.join(dir, 'models/c.sql'), "{{ config(tags=['c']) }}\nselect 3 as id\n");
    expect((await parse()).stdout).toContain(PARTIAL);
    writeFileSync(path.join(dir, 'models/a.sql'), "{{ config(tags=['a']) }}\nselect 11 as id\n");
    expect((await parse()).stdout).toContain(PARTIAL);
    const twice = manifest() as { nodes: Record<string, { raw_code: string }> };
    expect(twice.nodes['model.demo.c']?.raw_code).toBe("{{ config(tags=['c']) }}\nselect 3 as id");
    expect(twice.nodes['model.demo.a']?.raw_code).toBe("{{ config(tags=['a']) }}\nselect 11 as id");
    expect((await parse('--no-partial-parse')).code).toBe(0);
    expect(twice).toEqual(manifest());
  });

  it('parses an edited singular test on its own too', async () => {
    const edited = await parseAfterEdit('tests/no_negative.sql', "select * from {{ ref('c') }} where id < 0\n");
    expect(edited.partial).toBe(true);
    expect(edited.manifest.nodes['test.demo.no_negative']?.depends_on.nodes).toEqual(['model.demo.c']);
  });

  it('parses the whole project when the edit disables a node or a macro changed', async () => {
    // Nothing refs `a` any more (the edits above moved b and the test to c).
    const disabled = await parseAfterEdit('models/a.sql', "{{ config(enabled=false) }}\nselect 1 as id\n");
    expect(disabled.partial).toBe(false);
    expect(disabled.manifest.nodes['model.demo.a']).toBeUndefined();
    writeFileSync(path.join(dir, 'models/a.sql'), 'select 1 as id\n');
    writeFileSync(path.join(dir, 'models/b.sql'), "select id, {{ twice('id') }} as d from {{ ref('a') }}\n");
    expect((await parse()).code).toBe(0);
    const macro = await parseAfterEdit('macros/twice.sql', '{% macro twice(x) %}({{ x }} + {{ x }}){% endmacro %}\n');
    expect(macro.partial).toBe(false);
    expect(macro.manifest.nodes['model.demo.b']?.depends_on.macros).toEqual(['macro.demo.twice']);
  });

  it('reports a ref the edit broke once, as a whole parse does', async () => {
    writeFileSync(path.join(dir, 'models/b.sql'), "select * from {{ ref('nope') }}\n");
    const broken = await parse();
    expect(broken.code).toBe(2);
    const output = broken.stdout + broken.stderr;
    expect(output.match(/nope/g)?.length, output).toBe(1);
    expect(output).not.toContain(PARTIAL);
    // A template error found by the partial attempt is not reported a second time by the whole parse.
    writeFileSync(path.join(dir, 'models/b.sql'), 'select {{ unclosed_call( }} as x\n');
    const syntax = await parse();
    expect(syntax.code).toBe(2);
    expect((syntax.stdout + syntax.stderr).match(/unexpected token/g)?.length, syntax.stdout + syntax.stderr).toBe(1);
  });
});

/** The manifest.json of `dir` without its metadata, as text. */
function manifestTextOf(dir: string): string {
  const m = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as Record<string, unknown>;
  delete m.metadata;
  return JSON.stringify(m);
}

/**
 * Writes `files` into `dir` and parses; returns the count `patched` (a debug line's first group)
 * found in the output, 0 when none, having checked the manifest is the one a whole parse writes.
 */
async function editAndParse(dir: string, files: Record<string, string>, patched: RegExp, env: Record<string, string> = {}): Promise<number> {
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
  const out = await runTsdbt(['parse', '--debug', '--project-dir', dir], { env: { HOME: dir, ...env } });
  expect(out.code, out.stdout + out.stderr).toBe(0);
  const count = patched.exec(out.stdout)?.[1];
  const after = manifestTextOf(dir);
  const whole = await runTsdbt(['parse', '--no-partial-parse', '--project-dir', dir], { env: { HOME: dir, ...env } });
  expect(whole.code).toBe(0);
  expect(after).toBe(manifestTextOf(dir));
  return count === undefined ? 0 : Number(count);
}

describe('an edit outside the Jinja tags of SQL files', () => {
  const TEXT_EDIT = /Partial parse: (\d+) changed files? differs? only outside (its|their) Jinja tags/;
  const dir = testdir({
    'dbt_project.yml': MINIMAL_PROJECT_YML,
    'models/a.sql': "{{ config(materialized='table') }}\nselect 1 as id\n",
    'models/b.sql': "select id from {{ ref('a') }} -- the {{ \"}}\" }} literal is a tag\n",
    'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
    'analyses/look.sql': "select * from {{ ref('b') }}\n",
  });
  afterAll(() => removeDir(dir));
  const parse = (...args: string[]) => runTsdbt(['parse', '--debug', '--project-dir', dir, ...args], { env: { HOME: dir } });
  const manifestText = () => manifestTextOf(dir);
  /** Edits, parses (the patch path or not), and checks the manifest is the one a whole parse writes. */
  const edit = (files: Record<string, string>) => editAndParse(dir, files, TEXT_EDIT);

  it('patches the text of the edited files without parsing, and writes what a whole parse writes', async () => {
    expect((await parse()).code).toBe(0);
    expect(await edit({ 'models/a.sql': "{{ config(materialized='table') }}\nselect 2 as id -- now two\n", 'analyses/look.sql': "select *\nfrom {{ ref('b') }}\n" })).toBe(2);
    // The next parse finds nothing changed; a command reusing partial_parse.bin sees the new text.
    expect((await parse()).stdout).toContain('nothing changed since the last parse');
    const compiled = await runTsdbt(['compile', '--select', 'a', '--debug', '--project-dir', dir], { env: { HOME: dir } });
    expect(compiled.code, compiled.stdout + compiled.stderr).toBe(0);
    expect(compiled.stdout).toContain('Reusing the previous parse');
    expect(readFileSync(path.join(dir, 'target/compiled/demo/models/a.sql'), 'utf8')).toContain('select 2 as id -- now two');
    // A command other than parse after such an edit takes the new text without rendering the file.
    writeFileSync(path.join(dir, 'models/a.sql'), "{{ config(materialized='table') }}\nselect 5 as id\n");
    const again = await runTsdbt(['compile', '--select', 'a', '--debug', '--project-dir', dir], { env: { HOME: dir } });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain(PARTIAL);
    // dbt's text: the config() line leaves its newline, the file's last one is dropped.
    expect(readFileSync(path.join(dir, 'target/compiled/demo/models/a.sql'), 'utf8')).toBe('\nselect 5 as id');
    expect((await parse()).code).toBe(0);
    const afterCompile = manifestText();
    expect((await parse('--no-partial-parse')).code).toBe(0);
    expect(afterCompile).toBe(manifestText());
  });

  it('writes manifest.json where it is (the same file), byte for byte what a whole parse writes but its metadata', async () => {
    expect((await parse()).code).toBe(0);
    const manifestFile = path.join(dir, 'target/manifest.json');
    const inode = statSync(manifestFile).ino;
    const body = () => {
      const text = readFileSync(manifestFile, 'utf8');
      return text.slice(text.indexOf('"nodes":'));
    };
    writeFileSync(path.join(dir, 'models/a.sql'), "{{ config(materialized='table') }}\nselect 1 as id -- a longer text than it was\n");
    expect((await parse()).stdout).toMatch(TEXT_EDIT);
    expect(statSync(manifestFile).ino).toBe(inode);
    const patched = body();
    expect(patched).toContain('a longer text than it was');
    expect((await parse('--no-partial-parse')).code).toBe(0);
    expect(patched).toBe(body());
  });

  it('parses what changed inside a tag, a string literal of a tag included, or beside another kind of file', async () => {
    expect(await edit({ 'models/b.sql': "select id from {{ ref('a') }} -- the {{ \"}} \" }} literal is a tag\n" })).toBe(0);
    expect(await edit({ 'models/a.sql': "{{ config(materialized='view') }}\nselect 2 as id -- now two\n" })).toBe(0);
    expect(await edit({ 'models/a.sql': "{{ config(materialized='view') }}\nselect 3 as id\n", 'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n' })).toBe(0);
    // Back on the patch path once the index is current again.
    expect(await edit({ 'models/a.sql': "{{ config(materialized='view') }}\nselect 4 as id\n" })).toBe(1);
  });

  it("takes a file replaced by a rename (sed -i, an editor's safe write) as an edit of that file, and a new file as a change of its folder", async () => {
    expect((await parse()).code).toBe(0);
    // The rename moves the folder's mtime, as does a swap file coming and going.
    const replaceByRename = (file: string, text: string) => {
      writeFileSync(path.join(dir, 'models/.a.sql.swp'), 'swap');
      writeFileSync(path.join(dir, `${file}.tmp`), text);
      renameSync(path.join(dir, `${file}.tmp`), path.join(dir, file));
      rmSync(path.join(dir, 'models/.a.sql.swp'));
      return {};
    };
    expect(await edit(replaceByRename('models/a.sql', "{{ config(materialized='view') }}\nselect 6 as id\n"))).toBe(1);
    expect(manifestText()).toContain('select 6 as id');
    expect(await edit({ 'models/c.sql': 'select 7 as id\n' })).toBe(0);
    expect(manifestText()).toContain('model.demo.c');
  });
});

describe('an edit inside the Jinja tags that leaves the node linked as it was', () => {
  const PATCHED = /Partial parse: (\d+) changed files? parsed again on (its|their) own, (its node|their nodes) patched into manifest\.json/;
  const dir = testdir({
    'dbt_project.yml': MINIMAL_PROJECT_YML,
    'macros/twice.sql': '{% macro twice(x) %}({{ x }} * 2){% endmacro %}\n',
    'models/a.sql': 'select 1 as id\n',
    'models/b.sql': "select id from {{ ref('a') }}\n",
    'models/c.sql': "select id from {{ ref('b') }}\n",
    'models/schema.yml': 'version: 2\nmodels:\n  - name: b\n    description: the b model\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
  });
  afterAll(() => removeDir(dir));
  const parse = (...args: string[]) => runTsdbt(['parse', '--debug', '--project-dir', dir, ...args], { env: { HOME: dir } });
  /** Edits, parses; returns how many files the Jinja patch path took, having checked the manifest is the one a whole parse writes. */
  const edit = (files: Record<string, string>, env: Record<string, string> = {}) => editAndParse(dir, files, PATCHED, env);
  const node = (id: string) => (JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { config: { materialized: string; tags: string[] }; depends_on: { nodes: string[]; macros: string[] }; description: string }> }).nodes[id];

  it('parses the edited file on its own and patches its node in: configs, tags and macro calls', async () => {
    expect((await parse()).code).toBe(0);
    expect(await edit({ 'models/b.sql': "{{ config(materialized='table', tags=['hot']) }}\nselect id, {{ twice('id') }} as d from {{ ref('a') }}\n" })).toBe(1);
    expect(node('model.demo.b')?.config.materialized).toBe('table');
    expect(node('model.demo.b')?.config.tags).toEqual(['hot']);
    expect(node('model.demo.b')?.depends_on).toEqual({ nodes: ['model.demo.a'], macros: ['macro.demo.twice'] });
    expect(node('model.demo.b')?.description).toBe('the b model');
    // The next parse finds nothing changed, and a command reading partial_parse.bin sees the new node.
    expect((await parse()).stdout).toContain('nothing changed since the last parse');
    const listed = await runTsdbt(['ls', '--select', 'tag:hot', '--project-dir', dir], { env: { HOME: dir } });
    expect(listed.code, listed.stdout + listed.stderr).toBe(0);
    expect(listed.stdout).toContain('demo.b');
    // Two files at once, then the same file again: each patch reads the files the last one wrote.
    expect(await edit({ 'models/a.sql': "{{ config(tags=['a']) }}\nselect 1 as id\n", 'models/c.sql': "{{ config(materialized='view') }}\nselect id from {{ ref('b') }}\n" })).toBe(2);
    expect(await edit({ 'models/b.sql': "{{ config(materialized='view') }}\nselect id from {{ ref('a') }}\n" })).toBe(1);
    expect(node('model.demo.b')?.depends_on.macros).toEqual([]);
  });

  it('parses as before when the edit changes what links the node to others', async () => {
    expect((await parse()).code).toBe(0);
    // Another parent, another relation, disabled, a new env var: the ordinary partial or whole parse.
    expect(await edit({ 'models/c.sql': "select id from {{ ref('a') }}\n" })).toBe(0);
    expect(node('model.demo.c')?.depends_on.nodes).toEqual(['model.demo.a']);
    expect(await edit({ 'models/a.sql': "{{ config(alias='a_renamed') }}\nselect 1 as id\n" })).toBe(0);
    expect(await edit({ 'models/a.sql': "select {{ env_var('TSDBT_TEST_REGION', 'eu') | tojson }} as region, 1 as id\n" }, { TSDBT_TEST_REGION: 'us' })).toBe(0);
    expect(await edit({ 'models/c.sql': "{{ config(enabled=false) }}\nselect id from {{ ref('a') }}\n" })).toBe(0);
    expect(node('model.demo.c')).toBeUndefined();
  });

  it("leaves a config() key dbt does not know to the whole parse where dbt checks them, and patches it in where it does not", async () => {
    const checked = { TSDBT_JSONSCHEMA_ADAPTERS: 'all' };
    const parseChecked = () => runTsdbt(['parse', '--debug', '--project-dir', dir], { env: { HOME: dir, ...checked } });
    expect((await runTsdbt(['parse', '--project-dir', dir], { env: { HOME: dir, ...checked } })).code).toBe(0);
    // Checked: the key is warned about (the whole parse), and the warning is not repeated once the key is gone.
    writeFileSync(path.join(dir, 'models/b.sql'), "{{ config(my_key=1) }}\nselect id from {{ ref('a') }}\n");
    const warned = await parseChecked();
    expect(warned.stdout).not.toMatch(PATCHED);
    expect(warned.stdout).toContain('Custom key `my_key` found in `config`');
    writeFileSync(path.join(dir, 'models/b.sql'), "{{ config(tags=['t']) }}\nselect id from {{ ref('a') }}\n");
    const fixed = await parseChecked();
    expect(fixed.stdout).not.toMatch(PATCHED);
    expect(fixed.stdout).not.toContain('my_key');
    // Not checked on this adapter: patched in without a warning, as the whole parse writes it.
    expect((await parse()).code).toBe(0);
    expect(await edit({ 'models/b.sql': "{{ config(my_key=2) }}\nselect id from {{ ref('a') }}\n" })).toBe(1);
    expect(await edit({ 'models/b.sql': "select id from {{ ref('a') }}\n" })).toBe(1);
  });

  it('reports an error the edit made once, as a whole parse does', async () => {
    writeFileSync(path.join(dir, 'models/a.sql'), "{{ config(materialized='table') }}\nselect {{ unclosed_call( }} as x\n");
    const syntax = await parse();
    expect(syntax.code).toBe(2);
    expect((syntax.stdout + syntax.stderr).match(/unexpected token/g)?.length, syntax.stdout + syntax.stderr).toBe(1);
  });
});

describe('an edit inside the Jinja tags, with only the macro files discovered', () => {
  const PATCHED = /Partial parse: (\d+) changed files? parsed again on (its|their) own/;
  const dir = testdir({
    'dbt_project.yml': MINIMAL_PROJECT_YML,
    // A macro beside a generic test in tests/generic/: a macro file, as dbt reads it.
    'tests/generic/helpers.sql': '{% macro thrice(x) %}({{ x }} * 3){% endmacro %}\n{% test positive(model, column_name) %}select * from {{ model }} where {{ column_name }} <= 0{% endtest %}\n',
    'tests/singular.sql': "select * from {{ ref('a') }} where id < 0\n",
    'models/a.sql': 'select 1 as id\n',
    'models/b.sql': "select id from {{ ref('a') }}\n",
    // A Python model: the whole parse warns about it, and a patch repeats that warning without walking the models again.
    'models/py_model.py': 'def model(dbt, session):\n    return None\n',
    'analyses/look.sql': "select * from {{ ref('b') }}\n",
  });
  afterAll(() => removeDir(dir));
  const edit = (files: Record<string, string>) => editAndParse(dir, files, PATCHED);

  it('finds the macros of the test paths and the edited model, singular test or analysis, and repeats the last parse warnings', async () => {
    const first = await runTsdbt(['parse', '--project-dir', dir], { env: { HOME: dir } });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Python models are not supported');
    expect(await edit({ 'models/b.sql': "{{ config(tags=['x']) }}\nselect id, {{ thrice('id') }} as t from {{ ref('a') }}\n" })).toBe(1);
    const b = (JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { depends_on: { macros: string[] } }> }).nodes['model.demo.b'];
    expect(b?.depends_on.macros).toEqual(['macro.demo.thrice']);
    expect(await edit({ 'tests/singular.sql': "{{ config(severity='warn') }}\nselect * from {{ ref('a') }} where id < 0\n", 'analyses/look.sql': "{{ config(tags=['y']) }}\nselect * from {{ ref('b') }}\n" })).toBe(2);
    writeFileSync(path.join(dir, 'models/b.sql'), "{{ config(tags=['z']) }}\nselect id from {{ ref('a') }}\n");
    const again = await runTsdbt(['parse', '--debug', '--project-dir', dir], { env: { HOME: dir } });
    expect(again.stdout).toMatch(PATCHED);
    expect(again.stdout).toContain('Python models are not supported');
  });
});
