// The template code cache: a second environment (another process) reuses the code the first one
// generated for the same template, never code generated for other text or another set of filters,
// and a damaged cache file is ignored.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { afterEach, describe, expect, it } from 'vitest';
import { pruneStale, sharedCacheName } from './code-cache.js';
import { JinjaEnvironment } from './environment.js';

describe('the template code cache', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const cacheFile = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-code-cache-'));
    dirs.push(dir);
    return path.join(dir, 'template_code.bin');
  };
  const render = (file: string, source: string, env = new JinjaEnvironment()) => {
    env.useCodeCache(file);
    const out = env.renderString(source, { who: 'world' }, 'models/m.sql');
    env.saveCode();
    return out;
  };
  /** Rewrites every cached template's `hello` text (one of its constants) to `HELLO` (what only the cache can make a render say). */
  const tamper = (file: string) => {
    // Each distinct constant is kept once (`values`), the entries name theirs by index.
    const data = deserialize(readFileSync(file)) as { format: number; values: unknown[] };
    data.values = data.values.map((c) => (typeof c === 'string' ? c.replaceAll('hello', 'HELLO') : c));
    writeFileSync(file, serialize(data));
  };

  it("a second environment renders from the first one's code, without generating it again", () => {
    const file = cacheFile();
    expect(render(file, 'hello {{ who }}')).toBe('hello world');
    tamper(file);
    expect(render(file, 'hello {{ who }}')).toBe('HELLO world'); // the cached code ran
    expect(render(file, 'hello {{ who }}!')).toBe('hello world!'); // other text: generated afresh
  });

  it('code made with other filters is not reused (an unknown filter compiles to an error)', () => {
    const file = cacheFile();
    expect(render(file, 'hello {{ who | shout }}', new JinjaEnvironment().addFilter('shout', (v) => String(v).toUpperCase()))).toBe('hello WORLD');
    tamper(file);
    expect(() => render(file, 'hello {{ who | shout }}')).toThrow(/no filter named 'shout'/);
  });

  it("another engine's entries are dropped, not kept beside this one's", () => {
    const file = cacheFile();
    expect(render(file, 'hello {{ who }}')).toBe('hello world');
    const data = deserialize(readFileSync(file)) as { engine: string; entries: [string, unknown][] };
    writeFileSync(file, serialize({ ...data, engine: 'an earlier build', entries: [...data.entries, ['stale', data.entries[0]?.[1]]] }));
    expect(render(file, 'hello {{ who }}!')).toBe('hello world!');
    const saved = deserialize(readFileSync(file)) as { engine: string; entries: [string, unknown][] };
    expect(saved.engine).toBe(data.engine);
    expect(saved.entries.map(([key]) => key)).not.toContain('stale');
    expect(saved.entries).toHaveLength(1);
  });

  it('keeps each distinct code and constant once: templates differing only in their text share them, and both render from the cache', () => {
    const file = cacheFile();
    const env = new JinjaEnvironment();
    env.useCodeCache(file);
    expect(env.renderString('hello {{ who }}', { who: 'world' }, 'models/a.sql')).toBe('hello world');
    expect(env.renderString('hello there {{ who }}', { who: 'world' }, 'models/b.sql')).toBe('hello there world');
    env.saveCode();
    const data = deserialize(readFileSync(file)) as { codes: string[]; values: unknown[]; entries: [string, { code: number }][] };
    expect(data.entries).toHaveLength(2);
    expect(data.codes).toHaveLength(1);
    expect(data.entries.map(([, entry]) => entry.code)).toEqual([0, 0]);
    // The texts differ; the constants they share (the variable's name, the template's line...) are kept once.
    expect(data.values.filter((v) => v === 'who')).toHaveLength(1);
    expect(data.values).toContain('hello ');
    expect(data.values).toContain('hello there ');
    tamper(file);
    const again = new JinjaEnvironment();
    again.useCodeCache(file);
    expect(again.renderString('hello {{ who }}', { who: 'world' }, 'models/a.sql')).toBe('HELLO world');
    expect(again.renderString('hello there {{ who }}', { who: 'world' }, 'models/b.sql')).toBe('HELLO there world');
  });

  it('a damaged cache file is ignored and replaced', () => {
    const file = cacheFile();
    writeFileSync(file, 'not a cache');
    expect(render(file, 'hello {{ who }}')).toBe('hello world');
    tamper(file);
    expect(render(file, 'hello {{ who }}')).toBe('HELLO world');
  });

  it('a file of the right format and engine but another layout is ignored, not a crash', () => {
    const file = cacheFile();
    expect(render(file, 'hello {{ who }}')).toBe('hello world');
    const data = deserialize(readFileSync(file)) as Record<string, unknown>;
    writeFileSync(file, serialize({ ...data, entries: [['k', null]] }));
    expect(render(file, 'hello {{ who }}')).toBe('hello world');
  });

  describe("the shared cache of the install's own macro files", () => {
    const shared = (file: string) => ({ files: [file], holds: (templatePath: string) => templatePath.startsWith('tsdbt/') });
    const renderAt = (file: string, sharedFile: string, templatePath: string) => {
      const env = new JinjaEnvironment();
      env.useCodeCache(file, shared(sharedFile));
      const out = env.renderString('hello {{ who }}', { who: 'world' }, templatePath);
      env.saveCode();
      return out;
    };

    it("another project's first render of a builtin template takes the shared code, and keeps it in its own cache", () => {
      const sharedFile = cacheFile();
      expect(renderAt(cacheFile(), sharedFile, 'tsdbt/global_project/macros/x.sql')).toBe('hello world');
      tamper(sharedFile);
      const second = cacheFile();
      expect(renderAt(second, sharedFile, 'tsdbt/global_project/macros/x.sql')).toBe('HELLO world'); // the shared code ran
      const own = deserialize(readFileSync(second)) as { entries: [string, unknown][] };
      expect(own.entries).toHaveLength(1);
    });

    it("a project's own template is never put in the shared cache, nor taken from it", () => {
      const sharedFile = cacheFile();
      expect(renderAt(cacheFile(), sharedFile, 'models/m.sql')).toBe('hello world');
      expect(() => readFileSync(sharedFile)).toThrow(/ENOENT/);
      expect(renderAt(cacheFile(), sharedFile, 'tsdbt/adapters/x/macros/y.sql')).toBe('hello world');
      tamper(sharedFile);
      expect(renderAt(cacheFile(), sharedFile, 'models/m.sql')).toBe('hello world'); // generated afresh
    });

    it("is named by the engine's fingerprint: another build's file in the same folder is left as it was", () => {
      const name = sharedCacheName('builtin-templates');
      expect(name).toMatch(/^builtin-templates-[0-9a-f]{16}\.bin$/);
      expect(sharedCacheName('builtin-templates')).toBe(name);
      const folder = path.dirname(cacheFile());
      // Another build's cache (another fingerprint) and the unsuffixed file of the builds before, both in use.
      const other = path.join(folder, 'builtin-templates-0123456789abcdef.bin');
      const legacy = path.join(folder, 'builtin-templates.bin');
      const otherBytes = serialize({ format: 2, engine: 'another build', entries: [] });
      writeFileSync(other, otherBytes);
      writeFileSync(legacy, otherBytes);
      const ours = path.join(folder, name);
      expect(renderAt(cacheFile(), ours, 'tsdbt/global_project/macros/x.sql')).toBe('hello world');
      expect(readFileSync(other)).toEqual(otherBytes);
      expect(readFileSync(legacy)).toEqual(otherBytes);
      tamper(ours);
      expect(renderAt(cacheFile(), ours, 'tsdbt/global_project/macros/x.sql')).toBe('HELLO world'); // ours, read back
    });

    it("removes other builds' files not written for 30 days when it writes its own", () => {
      const folder = path.dirname(cacheFile());
      const old = new Date(Date.now() - 31 * 24 * 3600 * 1000);
      const stale = ['builtin-templates-00000000000000aa.bin', 'builtin-templates.bin'];
      const kept = ['builtin-templates-00000000000000bb.bin', 'template_code.bin', 'builtin-templates-x.bin'];
      for (const f of [...stale, ...kept]) writeFileSync(path.join(folder, f), 'x');
      for (const f of [...stale, 'template_code.bin', 'builtin-templates-x.bin']) utimesSync(path.join(folder, f), old, old);
      const ours = path.join(folder, sharedCacheName('builtin-templates'));
      expect(renderAt(path.join(folder, 'own.bin'), ours, 'tsdbt/global_project/macros/x.sql')).toBe('hello world');
      expect(existsSync(ours)).toBe(true);
      for (const f of stale) expect(existsSync(path.join(folder, f)), f).toBe(false);
      for (const f of kept) expect(statSync(path.join(folder, f)).size, f).toBe(1);
      expect(readdirSync(folder).sort()).toEqual([path.basename(ours), ...kept, 'own.bin'].sort());
    });

    it('a shared file this build only reads is marked in use, so another build does not prune it', () => {
      const folder = path.dirname(cacheFile());
      const ours = path.join(folder, sharedCacheName('builtin-templates'));
      expect(renderAt(cacheFile(), ours, 'tsdbt/global_project/macros/x.sql')).toBe('hello world');
      const old = new Date(Date.now() - 31 * 24 * 3600 * 1000);
      utimesSync(ours, old, old);
      // Read (another project's first render), not written: its time is now.
      expect(renderAt(cacheFile(), ours, 'tsdbt/global_project/macros/x.sql')).toBe('hello world');
      expect(Date.now() - statSync(ours).mtimeMs).toBeLessThan(24 * 3600 * 1000);
      pruneStale(path.join(folder, 'builtin-templates-00000000000000cc.bin'));
      expect(existsSync(ours)).toBe(true);
    });
  });
});
