// The parse cache decides which files changed by their stamps where it can: a file whose size and
// mtime are those recorded with its digest is not read again (a big project's command reads only
// what was edited), and a file modified too close to when its stamp was taken has no recorded
// stamp, so its text is always compared.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProjectConfig } from '../config/types.js';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import { discoverProject } from '../project/index.js';
import { PyFloat } from '../jinja/engine/values.js';
import { PyDate, PyDatetime, PyTime, PyTimedelta, PyTimezone } from '../jinja/pylib/datetime/index.js';
import { pytzTimezone } from '../jinja/pylib/pytz/index.js';
import { Namespace } from '../jinja/engine/values.js';
import { DeferredPatch, nodePatch } from '../manifest/node-patch.js';
import { propertyLocation } from '../manifest/property-location.js';
import { Dag } from '../graph/dag.js';
import { knownMapJson } from '../manifest/map-json.js';
import { deserializeNodes, fileColumns, parseCacheKeys, readParseCache, recordedDigest, serializeNodes, withDigest, writeParseCache } from './parse-cache.js';

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

  it('records the stamp of such a file once a load finds it unchanged and old enough, so later loads take its digest without reading it', () => {
    mkdirSync(path.join(root, 'models'), { recursive: true });
    writeFileSync(model('fresh'), 'select 6');
    writeParseCache(targetDir, keys(), {}, manifest, []);
    // Unchanged, and now older than RACY_MS: this load reads it, finds the recorded digest, and records its stamp.
    for (const file of readdirSync(path.join(root, 'models'))) age(path.join(root, 'models', file), 60);
    expect(changed()).toEqual([]);
    // Same size and mtime, other text: the stamp recorded above is trusted (as for a file the parse stamped).
    const { mtime } = statSync(model('fresh'));
    writeFileSync(model('fresh'), 'select 7');
    utimesSync(model('fresh'), mtime, mtime);
    expect(changed()).toEqual([]);
    // An edit that moves the stamp still shows.
    writeFileSync(model('fresh'), 'select 77');
    expect(changed()).toEqual(['model:models/fresh.sql']);
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

  it("keeps each node's `_patch` entry apart, read when first asked for, in its place among the keys and written again as it was", () => {
    const location = { file: 'models/schema.yml', line: 3 };
    const columns = [{ name: 'id', tests: [{ testName: 'not_null' }], location }];
    const nodes = [
      { unique_id: 'model.p.a', raw_code: 'select 1', _patch: { name: 'a', columns, location }, primary_key: ['id'] },
      { unique_id: 'model.p.b', raw_code: 'select 2', _patch: undefined, primary_key: [] },
      { unique_id: 'test.p.t', raw_code: '{{ t() }}' },
      { unique_id: 'model.p.c', raw_code: 'select 3', _patch: { name: 'c', location, since: new PyDate(2020, 1, 1) }, primary_key: [] },
    ];
    const back = deserializeNodes(serializeNodes(nodes)) as unknown as Record<string, unknown>[];
    expect(back.map((n) => Object.keys(n))).toEqual(nodes.map((n) => Object.keys(n)));
    expect(back[0]?._patch).toBeInstanceOf(DeferredPatch);
    // Written again before any was read (a partial parse's chunk): the entries go with it.
    const again = deserializeNodes(serializeNodes(back)) as unknown as Record<string, unknown>[];
    for (const copy of [back, again]) {
      expect(nodePatch(copy[0] as object)).toEqual(nodes[0]?._patch);
      expect(copy[0]?._patch).toEqual(nodes[0]?._patch);
      expect(nodePatch(copy[1] as object)).toBeUndefined();
      expect('_patch' in (copy[1] as object)).toBe(true);
      expect(nodePatch(copy[2] as object)).toBeUndefined();
      expect(nodePatch<{ since: PyDate }>(copy[3] as object)?.since).toBeInstanceOf(PyDate);
      // Objects shared between entries of a chunk are still shared.
      expect(nodePatch<{ location: object }>(copy[3] as object)?.location).toBe(nodePatch<{ location: object }>(copy[0] as object)?.location);
    }
    expect(propertyLocation(again[0] as unknown as ManifestNode)).toEqual(location);
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

  it('gives back Python values in nodes as the same classes, with the same values', () => {
    const berlin = pytzTimezone('Europe/Berlin');
    const shared = { since: new PyDate(2020, 1, 1) };
    const nodes = [
      {
        unique_id: 'model.p.a',
        config: { meta: { shared, at: PyDatetime.fromParts(18_262, 3_600_000_000, PyTimezone.of(7_200_000_000, 'CEST')), naive: PyDatetime.fromParts(18_262, 5) } },
        list: [new PyTime(1, 2, 3, 4), new PyTimedelta({ days: 2, microseconds: 7 }), new PyFloat(1), PyTimezone.utc, berlin],
        // A dict whose own key is the cache's tag stays a dict.
        odd: { '\u0000py': 'date', v: 3 },
      },
      { unique_id: 'model.p.b', config: { meta: { shared } } },
    ];
    const [a, b] = deserializeNodes(serializeNodes(nodes)) as unknown as (typeof nodes)[number][];
    const meta = a?.config.meta as { shared: { since: PyDate }; at: PyDatetime; naive: PyDatetime };
    expect(meta.shared.since).toBeInstanceOf(PyDate);
    expect(meta.shared.since.toJSON()).toBe('2020-01-01');
    expect(meta.at).toBeInstanceOf(PyDatetime);
    expect(meta.at.isoformat()).toBe('2020-01-01T01:00:00+02:00');
    expect(meta.at.tzinfo).toBeInstanceOf(PyTimezone);
    expect(meta.naive.isoformat()).toBe('2020-01-01T00:00:00.000005');
    expect(meta.naive.tzinfo).toBeNull();
    const list = a?.list as unknown[];
    expect((list[0] as PyTime).isoformat()).toBe('01:02:03.000004');
    expect((list[1] as PyTimedelta).totalMicroseconds).toBe(2n * 86_400_000_000n + 7n);
    expect(list[2]).toBeInstanceOf(PyFloat);
    expect(Number(list[2])).toBe(1);
    expect(list[3]).toBe(PyTimezone.utc);
    expect(list[4]).toBe(berlin);
    expect(a?.odd).toEqual({ '\u0000py': 'date', v: 3 });
    expect((b?.config.meta as { shared: unknown }).shared).toBe(meta.shared);
    // The nodes written are left as they were.
    expect(shared.since).toBeInstanceOf(PyDate);
    expect(nodes[0]?.odd).toEqual({ '\u0000py': 'date', v: 3 });
  });

  it('caches a parse holding a datetime.date, in a node and in a disabled one, and reads it back as a date', () => {
    const keys = keysFor({ a: 1 });
    const disabled = [{ unique_id: 'model.p.off', config: { meta: { d: new PyDate(2021, 2, 3) } } }] as unknown as ManifestNode[];
    writeParseCache(targetDir, keys, {}, manifestWith({ d: new PyDate(2020, 1, 1) }), disabled);
    const back = readParseCache(targetDir, keys, {});
    const date = back?.manifest.nodes['model.p.m']?.config.meta.d as PyDate;
    expect(date).toBeInstanceOf(PyDate);
    expect(date.toJSON()).toBe('2020-01-01');
    expect((back?.disabled[0]?.config.meta.d as PyDate).toJSON()).toBe('2021-02-03');
  });

  it("keeps parent_map and child_map as the text manifest.json writes, and reads them back with that text for the writer", () => {
    const keys = keysFor({ a: 1 });
    const m = manifestWith({});
    m.parent_map = { 'model.p.m': [], 'model.p.n': ['model.p.m'], 'source.p.s.t': [] };
    m.child_map = { 'model.p.m': ['model.p.n'], 'model.p.n': [], 'source.p.s.t': [] };
    writeParseCache(targetDir, keys, {}, m, []);
    expect(knownMapJson(m.parent_map)).toBe('{"model.p.m":[],"model.p.n":["model.p.m"],"source.p.s.t":[]}');
    const back = readParseCache(targetDir, keys, {})?.manifest;
    // The same keys in the same order, and the same lists.
    expect(Object.entries(back?.parent_map ?? {})).toEqual(Object.entries(m.parent_map));
    expect(Object.entries(back?.child_map ?? {})).toEqual(Object.entries(m.child_map));
    expect(knownMapJson(back?.child_map)).toBe(JSON.stringify(m.child_map));
  });

  it("reads the DAG back in arrays of its own, not views keeping the whole file's bytes alive", () => {
    const keys = keysFor({ a: 1 });
    const m = manifestWith({});
    Object.assign(m.nodes['model.p.m'] as ManifestNode, { resource_type: 'model', depends_on: { nodes: [], macros: [] } });
    writeParseCache(targetDir, keys, {}, m, [], undefined, Dag.fromManifest(m));
    const dag = readParseCache(targetDir, keys, {})?.dag;
    expect(dag).toBeDefined();
    for (const array of [dag?.predStarts, dag?.predPlaces, dag?.succStarts, dag?.succPlaces, dag?.sorted]) {
      expect(array).toBeInstanceOf(Int32Array);
      expect(array?.buffer.byteLength).toBe(array?.byteLength);
    }
    expect(Dag.fromPlaces(dag as NonNullable<typeof dag>).topologicalOrder()).toEqual(['model.p.m']);
  });

  it('does not cache a parse holding an object of a class it cannot write back, and removes an older cache', () => {
    const keys = keysFor({ a: 1 });
    writeParseCache(targetDir, keys, {}, manifestWith({ d: '2020-01-01' }), []);
    expect(readParseCache(targetDir, keys, {})?.manifest.nodes['model.p.m']?.config.meta).toEqual({ d: '2020-01-01' });
    writeParseCache(targetDir, keys, {}, manifestWith({ d: new PyDate(2020, 1, 1), ns: new Namespace({}) }), []);
    expect(readParseCache(targetDir, keys, {})).toBeNull();
    expect(readdirSync(targetDir)).toEqual([]);
  });

  it('keys a date var apart from the same text quoted', () => {
    expect(keysFor({ vars: { d: new PyDate(2020, 1, 1) } }).settings).not.toBe(keysFor({ vars: { d: '2020-01-01' } }).settings);
    expect(keysFor({ vars: { d: new PyDate(2020, 1, 1) } }).settings).toBe(keysFor({ vars: { d: new PyDate(2020, 1, 1) } }).settings);
  });
});

describe("the file columns' digest lookups", () => {
  // Keys that hold one another (`model:models/a.sql` ends `x.model:models/a.sql`'s... and starts `model:models/a.sql.bak`'s).
  const digests = { 'model:models/a.sql.bak': 'd0', 'seed:x.model:models/a.sql': 'd1', 'model:models/a.sql': 'd2', 'yaml:models/s.yml': 'd3', 'model:models/b.sql': 'd4' };
  const files = fileColumns(digests, { 'model:models/a.sql': [10, 20], 'model:models/b.sql': [30, 40] });

  it('finds each file as a whole key, first and last included, and replaces only its digest and stamp', () => {
    for (const [key, digest] of Object.entries(digests)) expect(recordedDigest(files, key)).toBe(digest);
    expect(recordedDigest(files, 'models/a.sql')).toBeUndefined();
    expect(recordedDigest(files, 'model:models/c.sql')).toBeUndefined();
    const edited = withDigest(files, 'model:models/a.sql', 'new');
    expect(edited && Object.keys(digests).map((key) => recordedDigest(edited, key))).toEqual(['d0', 'd1', 'new', 'd3', 'd4']);
    expect([...(edited?.stamps ?? [])]).toEqual([NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, 30, 40]);
    const last = withDigest(files, 'model:models/b.sql', 'z');
    expect(last && Object.keys(digests).map((key) => recordedDigest(last, key))).toEqual(['d0', 'd1', 'd2', 'd3', 'z']);
    expect(withDigest(files, 'model:models/c.sql', 'x')).toBeNull();
  });
});

describe('why the parse cache is not reused (dbt\'s UnableToPartialParse reasons)', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-parse-cache-why-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const targetDir = path.join(root, 'target');
  const manifest = { projectName: 'p', nodes: {}, sources: {}, macros: {}, docs: {}, parent_map: {}, child_map: {}, warnings: [] } as unknown as Manifest;
  const keysFor = (target: Record<string, unknown>, vars: Record<string, unknown>) => parseCacheKeys({ targetDir, profile: target, settings: { target, vars }, files: [], globalMacros: [] });
  const reason = (keys: ReturnType<typeof keysFor>) => {
    let why: string | null = null;
    const read = readParseCache(targetDir, keys, {}, (r) => ((why = r), null));
    return read ? 'reused' : why;
  };

  it("says 'profile has changed' when the target's connection changed, and names the rest otherwise", () => {
    writeParseCache(targetDir, keysFor({ dbname: 'dbt', host: 'localhost' }, { a: 1 }), {}, manifest, []);
    expect(reason(keysFor({ dbname: 'dbt', host: 'localhost' }, { a: 1 }))).toBe('reused');
    expect(reason(keysFor({ dbname: 'dbt2', host: 'localhost' }, { a: 1 }))).toBe('profile has changed');
    expect(reason(keysFor({ dbname: 'dbt', host: 'localhost' }, { a: 2 }))).toBe('the project directory, --full-refresh, --store-failures or tsdbt changed');
  });
});
