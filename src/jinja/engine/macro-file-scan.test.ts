// The macro file scan cache (macro-file-scan.ts): a later environment (another run) takes a macro
// file's top-level blocks and macro texts from the cache instead of scanning the file again; an
// edited file is scanned again and its edit takes effect; the install's own macro files also go to
// the shared scan file beside the shared code cache, which a project without a cache of its own reads.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { afterEach, describe, expect, it } from 'vitest';
import { JinjaEnvironment, MacroLibrary, bindMacro } from './index.js';
import { scanFileOf } from './macro-file-scan.js';
import type { SharedCodeCache } from './code-cache.js';

const FILE = `{% set ignored = 'top level' %}
{% macro greet(name) %}hello {{ name }}{% endmacro %}
{% test positive(model, column_name) %}select * from {{ model }} where {{ column_name }} <= 0{% endtest %}
`;

describe('the macro file scan cache', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const tempDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-macro-scan-'));
    dirs.push(dir);
    return dir;
  };
  /** One run: a render session's read of the macro file (its macros' texts, the greeting it renders), then the caches saved. */
  const run = (target: string, source: string, filePath = 'macros/m.sql', shared?: SharedCodeCache) => {
    const env = new JinjaEnvironment();
    env.useCodeCache(path.join(target, 'template_code.bin'), shared);
    const scan = env.scanMacroFile({ path: filePath, source });
    const lib = new MacroLibrary(env);
    const names = lib.addFile({ path: filePath, source: scan.kept }, 'p').map((info) => info.name);
    const texts = Object.fromEntries(names.map((name) => [name, scan.text(name)]));
    const ctx: Record<string, unknown> = {};
    const greeting = env.render(env.compile({ path: 'models/x.sql', source: "{{ greet('you') }}" }), { ...ctx, greet: bindMacro(lib, 'p', 'greet', ctx) });
    env.saveCode();
    return { kept: scan.kept, names, texts, greeting };
  };
  /** Rewrites every cached scan's kept text (what only the cache can make a run see). */
  const tamper = (file: string) => {
    const data = deserialize(readFileSync(file)) as { entries: [string, { kept: string }][] };
    for (const [, entry] of data.entries) entry.kept = entry.kept.replace('hello', 'HOWDY');
    writeFileSync(file, serialize(data));
  };

  it('keeps the top-level blocks, test blocks as macros, and each macro text of a file', () => {
    const first = run(tempDir(), FILE);
    expect(first.kept).not.toContain('ignored');
    expect(first.kept.split('\n')).toHaveLength(FILE.split('\n').length); // lines unchanged
    expect(first.names).toEqual(['greet', 'test_positive']);
    expect(first.texts).toEqual({
      greet: '{% macro greet(name) %}hello {{ name }}{% endmacro %}',
      test_positive: '{% test positive(model, column_name) %}select * from {{ model }} where {{ column_name }} <= 0{% endtest %}',
    });
    expect(first.greeting).toBe('hello you');
  });

  it("a later run reads the file's scan from target/macro_scan.bin; an edited file is scanned again", () => {
    const target = tempDir();
    const first = run(target, FILE);
    tamper(path.join(target, 'macro_scan.bin'));
    // The scan came from the cache (and the code cache is keyed by the kept text: new code for it).
    const second = run(target, FILE);
    expect(second.greeting).toBe('HOWDY you');
    expect(second.texts).toEqual(first.texts);
    // The file edited: scanned again, the edit takes effect in its code and its macro text.
    const edited = FILE.replace('hello', 'good day');
    const third = run(target, edited);
    expect(third.greeting).toBe('good day you');
    expect(third.texts.greet).toBe('{% macro greet(name) %}good day {{ name }}{% endmacro %}');
    // The file keeps the scans this run asked for: the edited file's old scan is gone (no growth per edit).
    const kept = (deserialize(readFileSync(path.join(target, 'macro_scan.bin'))) as { entries: [string, { kept: string }][] }).entries;
    expect(kept.map(([, entry]) => entry.kept.includes('good day'))).toEqual([true]);
  });

  it("the install's own macro files are kept in the shared scan file too, which another project reads", () => {
    const install = tempDir();
    const shared: SharedCodeCache = { files: [path.join(install, 'builtin-templates.bin')], holds: (p) => p.startsWith('tsdbt/') };
    run(tempDir(), FILE, 'tsdbt/global_project/macros/m.sql', shared);
    run(tempDir(), FILE, 'macros/own.sql', shared); // a project's own file stays out of it
    const sharedFile = path.join(install, 'builtin-templates-scan.bin');
    expect((deserialize(readFileSync(sharedFile)) as { entries: unknown[] }).entries).toHaveLength(1);
    tamper(sharedFile);
    const otherProject = tempDir();
    expect(run(otherProject, FILE, 'tsdbt/global_project/macros/m.sql', shared).greeting).toBe('HOWDY you');
    // ... and copies the entry into its own file: its next run reads that one.
    expect((deserialize(readFileSync(path.join(otherProject, 'macro_scan.bin'))) as { entries: unknown[] }).entries).toHaveLength(1);
  });

  it("names the shared scan file after the shared code cache's, the build's fingerprint last (pruned as the code cache's files are)", () => {
    expect(scanFileOf('/x/builtin-templates-0123456789abcdef.bin')).toBe('/x/builtin-templates-scan-0123456789abcdef.bin');
    expect(scanFileOf('/x/builtin-templates.bin')).toBe('/x/builtin-templates-scan.bin');
  });
});
