// A property file's `macros:` entries (dbt's "Macro properties"): a description (through doc()),
// arguments with a type and a description, meta and docs, written to manifest.json's macros as
// dbt writes them, with patch_path; a macro without an entry lists no arguments there (dbt's
// manifest has none from the signature). A macro described twice is refused as dbt refuses it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const PROFILES = 'demo:\n  target: dev\n  outputs:\n    dev: {type: pglite, path: memory, schema: main}\n';
const FILES = {
  'dbt_project.yml': MINIMAL_PROJECT_YML,
  'profiles.yml': PROFILES,
  'models/m.sql': 'select 1 as id\n',
  'macros/money.sql': '{% macro cents_to_dollars(column, scale=2) %}({{ column }} / 100)::numeric(16, {{ scale }}){% endmacro %}\n{% macro plain(x) %}{{ x }}{% endmacro %}\n',
  'macros/docs.md': '{% docs money %}Turns cents into dollars.{% enddocs %}\n',
  'macros/macros.yml': `version: 2
macros:
  - name: cents_to_dollars
    description: '{{ doc("money") }}'
    meta: {owner: finance}
    config:
      meta: {tier: 1}
      docs: {show: false}
    arguments:
      - name: column
        type: string
        description: the column holding cents
      - name: scale
        type: integer
`,
};

type MacroJson = { description: string; meta: unknown; docs: unknown; config: unknown; patch_path: string | null; arguments: unknown[] };

async function parse(files: Record<string, string>) {
  const dir = testdir(files);
  try {
    const result = await runTsdbt(['parse', '--project-dir', dir, '--profiles-dir', dir]);
    const manifest = result.code === 0 ? (JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { macros: Record<string, MacroJson> }) : undefined;
    return { ...result, out: result.stdout + result.stderr, manifest };
  } finally {
    removeDir(dir);
  }
}

describe('macro properties', () => {
  it("gives the macro its entry's description, arguments, meta and docs in manifest.json", async () => {
    const result = await parse(FILES);
    expect(result.code, result.out).toBe(0);
    expect(result.manifest?.macros['macro.demo.cents_to_dollars']).toMatchObject({
      description: 'Turns cents into dollars.',
      meta: { owner: 'finance', tier: 1 },
      docs: { show: false, node_color: null },
      patch_path: 'demo://macros/macros.yml',
      config: { meta: { owner: 'finance', tier: 1 }, docs: { show: false, node_color: null } },
      arguments: [
        { name: 'column', type: 'string', description: 'the column holding cents' },
        { name: 'scale', type: 'integer', description: '' },
      ],
    });
    expect(result.manifest?.macros['macro.demo.plain']).toMatchObject({ description: '', meta: {}, docs: { show: true, node_color: null }, patch_path: null, arguments: [] });
  });

  it('refuses a macro described twice, naming both files', async () => {
    const result = await parse({ ...FILES, 'macros/more.yml': 'version: 2\nmacros:\n  - name: cents_to_dollars\n    description: again\n' });
    expect(result.code, result.out).toBe(2);
    expect(result.out).toContain('dbt found two schema.yml entries for the same macro in package demo named cents_to_dollars. Macros may only be described a single time.');
    expect(result.out).toMatch(/macros\/(more|macros)\.yml:3/);
    expect(result.out).not.toMatch(/\n\s+at /);
  });
});
