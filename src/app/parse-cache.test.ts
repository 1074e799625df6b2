// The parse cache decides which files changed by their stamps where it can: a file whose size and
// mtime are those recorded with its digest is not read again (a big project's command reads only
// what was edited), and a file modified too close to when its stamp was taken has no recorded
// stamp, so its text is always compared.
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProjectConfig } from '../config/types.js';
import type { Manifest } from '../manifest/types.js';
import { discoverProject } from '../project/index.js';
import { PyDate } from '../jinja/pylib/datetime/index.js';
import { deserializeNodes, holdsClassInstance, parseCacheKeys, readParseCache, serializeNodes, writeParseCache } from './parse-cache.js';

describe('the parse cache and file stamps', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-parse-cache-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const config = { projectDir: root, modelPaths: ['models'], seedPaths: ['seeds'], macroPaths: ['macros'], testPaths: ['tests'], snapshotPaths: [], analysisPaths: [], docsPaths: [], targetPath: 'target', logPath: 'logs', packagesInstallPath: 'dbt_packages' } as unknown as ProjectConfig;
  const targetDir = path.join(root, 'target');
  const manifest = { projectName: 'p', nodes: {}, sources: {}, macros: {}, docs: {}, parent_map: {}, child_map: {}, warnings: [] } as unknown as Manifest;
  const keys = () => parseCacheKeys({ targetDir, settings: { a: 1 }, files: discoverProject(config).files, globalMacros: [] });
  const changed = () => readParseCache(targetDir, keys(), {})?.changedFiles;
  const model = (name: string) => path.join(root, 'models', `${name}.sql`);
  /** Sets a file's mtime `secondsAgo` in the past. */
  const age = (file: string, secondsAgo: number) => {
    const at = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(file, at, at);
  };

  it('takes the digest of a file whose stamp it recorded, and reads a file whose stamp moved', () => {
    mkdirSync(path.join(root, 'models'), { recursive: true });
    writeFileSync(model('old'), 'select 1');
    writeFileSync(model('edited'), 'select 2');
    age(model('old'), 60);
    age(model('edited'), 60);
    writeParseCache(targetDir, keys(), {}, manifest, []);
    expect(changed()).toEqual([]);
    // Same size, same mtime, other text: the cache trusts the stamp it recorded (as git does).
    const { mtime } = statSync(model('old'));
    writeFileSync(model('old'), 'select 3');
    utimesSync(model('old'), mtime, mtime);
    // An edit moves the stamp: the file is read and its digest compared.
    writeFileSync(model('edited'), 'select 22');
    expect(changed()).toEqual(['model:models/edited.sql']);
  });

  it('records no stamp for a file modified just before it was stamped, so an edit keeping size and mtime still shows', () => {
    writeFileSync(model('racy'), 'select 4');
    writeParseCache(targetDir, keys(), {}, manifest, []);
    const { mtime } = statSync(model('racy'));
    writeFileSync(model('racy'), 'select 5');
    utimesSync(model('racy'), mtime, mtime);
    expect(changed()).toContain('model:models/racy.sql');
  });
});

describe('node chunks', () => {
  it('give back each node with its keys in their order, undefined values kept, and objects shared between nodes still shared', () => {
    const config = Object.freeze({ enabled: true, tags: [] });
    const nodes = [
      { unique_id: 'model.p.a', config, raw_code: 'select 1', '2': 'an integer-like key', gone: undefined },
      { unique_id: 'test.p.t', config, test_metadata: { name: 'not_null', kwargs: { column_name: 'id' } } },
      { config, unique_id: 'model.p.b', raw_code: 'select 2', '2': 'x', gone: undefined },
    ];
    const back = deserializeNodes(serializeNodes(nodes)) as unknown as Record<string, unknown>[];
    expect(back).toEqual(nodes);
    expect(back.map((n) => Object.keys(n))).toEqual(nodes.map((n) => Object.keys(n)));
    expect('gone' in (back[0] as object)).toBe(true);
    expect(back[1]?.config).toBe(back[0]?.config);
    expect(back[2]?.config).toBe(back[0]?.config);
  });

  it('gives back a key a literal cannot spell as a key of the node', () => {
    const node = JSON.parse('{"unique_id": "model.p.a", "__proto__": {"x": 1}}') as object;
    const [back] = deserializeNodes(serializeNodes([node])) as unknown as Record<string, unknown>[];
    expect(Object.keys(back ?? {})).toEqual(['unique_id', '__proto__']);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(back, '__proto__')?.value).toEqual({ x: 1 });
  });
});

describe('Python values and the parse cache', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-parse-cache-py-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const targetDir = path.join(root, 'target');
  const manifestWith = (meta: Record<string, unknown>) => ({ projectName: 'p', nodes: { 'model.p.m': { unique_id: 'model.p.m', config: { meta } } }, sources: {}, macros: {}, docs: {}, parent_map: {}, child_map: {}, warnings: [] }) as unknown as Manifest;
  const keysFor = (settings: unknown) => parseCacheKeys({ targetDir, settings, files: [], globalMacros: [] });

  it('finds an object of a class anywhere in a value, and nothing in plain data', () => {
    expect(holdsClassInstance({ a: [{ b: 'x', c: null, d: [1, 2] }], e: Object.create(null) as object })).toBe(false);
    expect(holdsClassInstance({ a: [{ b: { d: new PyDate(2020, 1, 1) } }] })).toBe(true);
  });

  it('does not cache a parse holding a datetime.date (v8 would give it back without its methods), and removes an older cache', () => {
    const keys = keysFor({ a: 1 });
    writeParseCache(targetDir, keys, {}, manifestWith({ d: '2020-01-01' }), []);
    expect(readParseCache(targetDir, keys, {})?.manifest.nodes['model.p.m']?.config.meta).toEqual({ d: '2020-01-01' });
    writeParseCache(targetDir, keys, {}, manifestWith({ d: new PyDate(2020, 1, 1) }), []);
    expect(readParseCache(targetDir, keys, {})).toBeNull();
  });

  it('keys a date var apart from the same text quoted', () => {
    expect(keysFor({ vars: { d: new PyDate(2020, 1, 1) } }).settings).not.toBe(keysFor({ vars: { d: '2020-01-01' } }).settings);
    expect(keysFor({ vars: { d: new PyDate(2020, 1, 1) } }).settings).toBe(keysFor({ vars: { d: new PyDate(2020, 1, 1) } }).settings);
  });
});
