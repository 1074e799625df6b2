import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import { manifestJson, manifestQuoting, writeManifest, writeProjectManifest, type ManifestWriteInput } from './manifest-writer.js';
import { readManifestLayout } from './manifest-layout.js';

const node = (id: string, type: string, extra: Record<string, unknown> = {}) =>
  ({ unique_id: id, resource_type: type, name: id.split('.').pop(), package_name: 'p', config: { enabled: true, materialized: 'view', pre_hook: [], post_hook: [], tags: [], meta: {} }, depends_on: { nodes: [], macros: [] }, columns: {}, refs: [], sources: [], line: 3, ...extra }) as unknown as ManifestNode;

describe('writeManifest', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-manifest-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams the same text JSON.stringify gives, leaving out tsdbt-only fields, through a rename', async () => {
    const nodes = Object.fromEntries([
      node('model.p.a', 'model', { _patch: { name: 'a' } }),
      node('seed.p.s', 'seed', { seed_file: '/abs/s.csv', seed_columns: [{ name: 'id', type: 'integer' }] }),
      node('unit_test.p.a.t', 'unit_test', { unit_test: { model: 'a', given: [], expect: { rows: [], format: 'dict' } } }),
      node('test.p.not_null_a_id.1234567890', 'test', { test_metadata: { name: 'not_null', namespace: null, kwargs: {} } }),
    ].map((n) => [n.unique_id, n]));
    const manifest = { projectName: 'p', nodes, sources: {}, macros: {}, docs: {}, parent_map: { 'model.p.a': [] }, child_map: { 'model.p.a': [] }, warnings: [] } as unknown as Manifest;
    const input: ManifestWriteInput = { manifest, targetDir: dir, invocationId: 'i', generatedAt: new Date(0), env: {}, adapterType: 'postgres', projectName: 'p' };
    const { layout } = await writeManifest(input);
    expect(layout.nodes.length).toBe(6);
    const text = readFileSync(path.join(dir, 'manifest.json'), 'utf8');
    expect(text).toBe(JSON.stringify(manifestJson(input)));
    const written = JSON.parse(text) as { nodes: Record<string, Record<string, unknown>>; unit_tests: Record<string, unknown>; tsdbt: unknown };
    expect(Object.keys(written.nodes)).toEqual(['model.p.a', 'seed.p.s', 'test.p.not_null_a_id.1234567890']);
    expect(Object.keys(written.unit_tests)).toEqual(['unit_test.p.a.t']);
    for (const n of Object.values(written.nodes)) for (const key of ['line', 'seed_file', 'seed_columns', '_patch']) expect(n).not.toHaveProperty(key);
    expect(written.nodes['model.p.a']).toMatchObject({ access: 'protected', config: { 'pre-hook': [], 'post-hook': [] } });
    expect(written).not.toHaveProperty('tsdbt'); // every key dbt's published schema names, no other
    expect(readdirSync(dir)).toEqual(['manifest.json']);
  });

  it('writes a config shared by nodes of different types with the defaults of each type, and text larger than its buffer whole', async () => {
    const out = mkdtempSync(path.join(dir, 'shared-'));
    const config = { enabled: true, materialized: 'view', pre_hook: [], post_hook: [], tags: ['é'], meta: {} };
    const big = `select '${'ü€'.repeat(1_500_000)}'`;
    const nodes = Object.fromEntries([
      node('model.p.a', 'model', { config, raw_code: big }),
      node('analysis.p.b', 'analysis', { config, raw_code: 'select 1' }),
      node('model.p.c', 'model', { config, raw_code: "select '\u2028'" }),
    ].map((n) => [n.unique_id, n]));
    const manifest = { projectName: 'p', nodes, sources: {}, macros: {}, docs: {}, parent_map: {}, child_map: {}, warnings: [] } as unknown as Manifest;
    const input: ManifestWriteInput = { manifest, targetDir: out, invocationId: 'i', generatedAt: new Date(0), env: {}, adapterType: 'postgres', projectName: 'p' };
    const { file, layout } = await writeManifest(input);
    const data = readFileSync(file);
    expect(data.toString('utf8')).toBe(JSON.stringify(manifestJson(input)));
    const [start, end] = layout.nodes.slice(4, 6) as [number, number];
    expect(JSON.parse(data.subarray(start, end).toString('utf8'))).toMatchObject({ unique_id: 'model.p.c', config: { access: 'protected', tags: ['é'] } });
  });

  it('rewrites only the changed nodes, metadata and maps of the manifest.json its layout describes, and all of it otherwise', async () => {
    const out = mkdtempSync(path.join(dir, 'reuse-'));
    const nodes = Object.fromEntries(['a', 'b', 'c'].map((n) => node(`model.p.${n}`, 'model', { raw_code: `select '${n}'` })).map((n) => [n.unique_id, n]));
    const manifest = { projectName: 'p', nodes, sources: { 'source.p.s.t': { unique_id: 'source.p.s.t' } }, macros: { 'macro.p.m': { name: 'm' } }, docs: {}, parent_map: {}, child_map: {}, warnings: [] } as unknown as Manifest;
    const input = (invocationId: string): ManifestWriteInput => ({ manifest, targetDir: out, invocationId, generatedAt: new Date(0), env: {}, adapterType: 'postgres', projectName: 'p' });
    const first = await writeManifest(input('one'), undefined, 'gen-1');
    // b is edited: a new raw_code and a parent; the macros part is changed behind the layout's back,
    // so a copy is visible as the old text (the layout says those bytes did not change).
    (manifest.nodes['model.p.b'] as unknown as Record<string, unknown>).raw_code = "select 'B'";
    manifest.parent_map = { 'model.p.b': ['model.p.a'] };
    manifest.macros = { 'macro.p.m': { name: 'changed behind the layout' } } as never;
    const spliced = await writeManifest(input('two'), { layout: first.layout, basis: 'gen-1', changed: new Set(['model.p.b']) }, 'gen-2');
    const written = JSON.parse(readFileSync(spliced.file, 'utf8')) as { metadata: { invocation_id: string }; nodes: Record<string, { raw_code: string }>; parent_map: unknown; macros: Record<string, { name: string }> };
    expect(written.metadata.invocation_id).toBe('two');
    expect(written.nodes['model.p.b']?.raw_code).toBe("select 'B'");
    expect(written.parent_map).toEqual({ 'model.p.b': ['model.p.a'] });
    expect(written.macros['macro.p.m']?.name).toBe('m');
    expect(spliced.layout.basis).toBe('gen-2');
    // The new layout describes the new file: spliced again with nothing changed, it is the same text.
    const again = await writeManifest(input('two'), { layout: spliced.layout, basis: 'gen-2', changed: new Set() }, 'gen-2');
    manifest.macros = { 'macro.p.m': { name: 'm' } } as never;
    expect(readFileSync(again.file, 'utf8')).toBe(JSON.stringify(manifestJson(input('two'))));
    // Another basis (or another writer's file) is written whole, so the changed macros show.
    manifest.macros = { 'macro.p.m': { name: 'changed' } } as never;
    const whole = await writeManifest(input('three'), { layout: again.layout, basis: 'gen-other', changed: new Set() }, 'gen-3');
    expect(readFileSync(whole.file, 'utf8')).toBe(JSON.stringify(manifestJson(input('three'))));
  });

  it("writes a command's manifest.json from the last one's bytes, but for the nodes this command or the last one compiled", async () => {
    const out = mkdtempSync(path.join(dir, 'commands-'));
    const fresh = () => Object.fromEntries(['a', 'b', 'c'].map((n) => node(`model.p.${n}`, 'model', { raw_code: `select '${n}'` })).map((n) => [n.unique_id, n]));
    const project = (nodes: Record<string, ManifestNode>, basis: { loadedFrom: string | null; generation: string; changed: string[] }) => ({
      parsed: { manifest: { projectName: 'p', nodes, sources: {}, macros: {}, docs: {}, parent_map: {}, child_map: {}, warnings: [] } as unknown as Manifest },
      targetDir: out,
      target: { type: 'postgres' } as never,
      config: { name: 'p' },
      basis,
    });
    let invocation = 0;
    const inv = () => ({ invocationId: `i${++invocation}`, now: () => new Date(0), env: {} });
    const text = () => readFileSync(path.join(out, 'manifest.json'), 'utf8');
    /** What a whole write of `p` gives (then the file is put back as it was). */
    const whole = async (p: ReturnType<typeof project>, id: string) => {
      const saved = text();
      await writeManifest({ manifest: p.parsed.manifest, targetDir: out, invocationId: id, generatedAt: new Date(0), env: {}, adapterType: 'postgres', projectName: 'p', quoting: manifestQuoting(p.target, undefined) });
      const expected = text();
      const { writeFileSync } = await import('node:fs');
      writeFileSync(path.join(out, 'manifest.json'), saved);
      return expected;
    };
    // A parse, then a command in a new process compiles b: only b gains compiled code.
    await writeProjectManifest(inv(), project(fresh(), { loadedFrom: null, generation: 'g1', changed: [] }));
    const nodes = fresh();
    const compiling = project(nodes, { loadedFrom: 'g1', generation: 'g1', changed: [] });
    Object.assign(nodes['model.p.b'] as object, { compiled: true, compiled_code: "select 'b' -- compiled" });
    // a changed behind the layout's back: a copied node shows its old text.
    Object.assign(nodes['model.p.a'] as object, { raw_code: 'changed behind the layout' });
    await writeProjectManifest(inv(), compiling);
    expect(readManifestLayout(out)?.compiled).toEqual(['model.p.b']);
    const afterCompile = JSON.parse(text()) as { nodes: Record<string, Record<string, unknown>> };
    expect(afterCompile.nodes['model.p.b']?.compiled_code).toBe("select 'b' -- compiled");
    expect(afterCompile.nodes['model.p.a']?.raw_code).toBe("select 'a'");
    // The next command compiles c: b, copied from the last file, would keep code this command did not make.
    const next = fresh();
    Object.assign(next['model.p.c'] as object, { compiled: true, compiled_code: "select 'c' -- compiled" });
    const nextProject = project(next, { loadedFrom: 'g1', generation: 'g1', changed: [] });
    await writeProjectManifest(inv(), nextProject);
    const written = JSON.parse(text()) as { nodes: Record<string, Record<string, unknown>> };
    expect(written.nodes['model.p.b']).not.toHaveProperty('compiled_code');
    expect(written.nodes['model.p.c']?.compiled_code).toBe("select 'c' -- compiled");
    expect(text()).toBe(await whole(nextProject, `i${invocation}`));
  });

  it('copies a node the last command compiled to the same text, and writes one compiled to other text', async () => {
    const out = mkdtempSync(path.join(dir, 'recompile-'));
    const fresh = (code: Record<string, string>) =>
      Object.fromEntries(['a', 'b', 'c'].map((n) => node(`model.p.${n}`, 'model', { raw_code: `select '${n}'`, ...(code[n] ? { compiled: true, compiled_code: code[n] } : {}) })).map((n) => [n.unique_id, n]));
    const write = (nodes: Record<string, ManifestNode>) =>
      writeProjectManifest({ invocationId: 'i', now: () => new Date(0), env: {} }, {
        parsed: { manifest: { projectName: 'p', nodes, sources: {}, macros: {}, docs: {}, parent_map: {}, child_map: {}, warnings: [] } },
        targetDir: out,
        target: { type: 'postgres' } as never,
        config: { name: 'p' },
        basis: { loadedFrom: 'g1', generation: 'g1', changed: [] },
      });
    const written = () => (JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { nodes: Record<string, Record<string, unknown>> }).nodes;
    await write(fresh({ a: 'A1', b: 'B1' }));
    expect(readManifestLayout(out)?.compiledHashes).toHaveLength(2);
    // Compiled again: a to the same text, b to new text. The raw code changed behind the layout's
    // back shows which were copied (a) and which written (b).
    const again = fresh({ a: 'A1', b: 'B2' });
    for (const n of ['a', 'b']) Object.assign(again[`model.p.${n}`] as object, { raw_code: 'changed behind the layout' });
    await write(again);
    expect(written()['model.p.a']).toMatchObject({ compiled_code: 'A1', raw_code: "select 'a'" });
    expect(written()['model.p.b']).toMatchObject({ compiled_code: 'B2', raw_code: 'changed behind the layout' });
    // Not compiled this time: written without the code the last command made.
    await write(fresh({}));
    expect(written()['model.p.a']).not.toHaveProperty('compiled_code');
    expect(readManifestLayout(out)?.compiled).toBeUndefined();
  });

  it('copies runs of unchanged nodes in one piece, and its layout points at every node of the new file', async () => {
    const out = mkdtempSync(path.join(dir, 'runs-'));
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const nodes = Object.fromEntries(names.map((n) => node(`model.p.${n}`, 'model', { raw_code: `select '${n}'` })).map((n) => [n.unique_id, n]));
    nodes['unit_test.p.a.t'] = node('unit_test.p.a.t', 'unit_test', { unit_test: { model: 'a', given: [], expect: { rows: [] } } });
    const manifest = { projectName: 'p', nodes, sources: {}, macros: {}, docs: {}, parent_map: {}, child_map: {}, warnings: [] } as unknown as Manifest;
    const input = (invocationId: string): ManifestWriteInput => ({ manifest, targetDir: out, invocationId, generatedAt: new Date(0), env: {}, adapterType: 'postgres', projectName: 'p' });
    let last = await writeManifest(input('one'), undefined, 'gen-1');
    // Edits that leave runs of one, two and several copied nodes, longer or shorter each time, so
    // every later node moves; each write is spliced from the one before it.
    const edits = [['b', 'f'], ['a', 'h'], ['c', 'd'], ['e']];
    for (const [round, edited] of edits.entries()) {
      for (const n of edited) (manifest.nodes[`model.p.${n}`] as unknown as Record<string, unknown>).raw_code = `select '${n}' -- ${'edit '.repeat(round + 1)}`;
      const spliced = await writeManifest(input('two'), { layout: last.layout, basis: `gen-${round + 1}`, changed: new Set(edited.map((n) => `model.p.${n}`)) }, `gen-${round + 2}`);
      const bytes = readFileSync(spliced.file);
      expect(bytes.toString('utf8')).toBe(JSON.stringify(manifestJson(input('two'))));
      const parsed = JSON.parse(bytes.toString('utf8')) as { nodes: Record<string, unknown> };
      names.forEach((n, i) => {
        const [start, end] = spliced.layout.nodes.slice(2 * i, 2 * i + 2) as [number, number];
        expect(JSON.parse(bytes.subarray(start, end).toString('utf8'))).toEqual(parsed.nodes[`model.p.${n}`]);
      });
      last = spliced;
    }
  });
});

describe('manifestJson constraints', () => {
  it("writes every field of dbt's ColumnLevelConstraint / ModelLevelConstraint, unset ones as their defaults", () => {
    const model = node('model.p.payments', 'model', {
      columns: {
        payment_id: { name: 'payment_id', description: '', meta: {}, tags: [], constraints: [{ type: 'primary_key' }] },
        order_id: { name: 'order_id', description: '', meta: {}, tags: [], constraints: [{ type: 'foreign_key', to: "ref('orders')", to_columns: ['order_id'] }] },
      },
      constraints: [{ type: 'check', expression: 'amount >= 0', columns: ['amount'], name: 'positive' }, { type: 'unique', columns: ['a', 'b'], warn_unsupported: false }],
    });
    const manifest = { projectName: 'p', nodes: { [model.unique_id]: model }, sources: {}, macros: {}, docs: {}, parent_map: {}, child_map: {}, warnings: [] } as unknown as Manifest;
    const json = manifestJson({ manifest, targetDir: '/unused', invocationId: 'i', generatedAt: new Date(0), env: {}, adapterType: 'postgres', projectName: 'p' }) as unknown as {
      nodes: Record<string, { columns: Record<string, { constraints: unknown[] }>; constraints: unknown[] }>;
    };
    const written = json.nodes['model.p.payments'];
    expect(written?.columns.payment_id?.constraints).toEqual([{ type: 'primary_key', name: null, expression: null, warn_unenforced: true, warn_unsupported: true, to: null, to_columns: [] }]);
    expect(written?.columns.order_id?.constraints).toEqual([{ type: 'foreign_key', name: null, expression: null, warn_unenforced: true, warn_unsupported: true, to: "ref('orders')", to_columns: ['order_id'] }]);
    expect(written?.constraints).toEqual([
      { type: 'check', name: 'positive', expression: 'amount >= 0', warn_unenforced: true, warn_unsupported: true, to: null, to_columns: [], columns: ['amount'] },
      { type: 'unique', name: null, expression: null, warn_unenforced: true, warn_unsupported: false, to: null, to_columns: [], columns: ['a', 'b'] },
    ]);
  });
});

describe("manifestJson: dbt 1.11's node fields", () => {
  // dbt-core 1.11's CompiledResource (artifacts/resources/v1/components.py) and the functional
  // suite's expected_manifest.py: every node but a seed has metrics, functions and compiled_path;
  // a compiled one extra_ctes_injected and extra_ctes; a seed root_path; configs static_analysis.
  const write = (nodes: ManifestNode[]) => {
    const manifest = { projectName: 'p', nodes: Object.fromEntries(nodes.map((n) => [n.unique_id, n])), sources: {}, macros: {}, docs: {}, parent_map: {}, child_map: {}, warnings: [] } as unknown as Manifest;
    const json = manifestJson({ manifest, targetDir: '/unused', invocationId: 'i', generatedAt: new Date(0), env: {}, adapterType: 'postgres', projectName: 'p' }) as { nodes: Record<string, Record<string, unknown> & { config: Record<string, unknown> }> };
    return json.nodes;
  };

  it('writes metrics, functions and compiled_path on a node never compiled, with the compiled fields left out', () => {
    const nodes = write([node('model.p.a', 'model', { original_file_path: 'models/a.sql' })]);
    const a = nodes['model.p.a']!;
    expect(a).toMatchObject({ metrics: [], functions: [], compiled_path: null });
    expect(a).not.toHaveProperty('extra_ctes_injected');
    expect(a).not.toHaveProperty('extra_ctes');
    // dbt's order: refs, sources, metrics, functions, depends_on.
    const keys = Object.keys(a);
    expect(keys.indexOf('metrics')).toBe(keys.indexOf('sources') + 1);
    expect(keys.indexOf('functions')).toBe(keys.indexOf('metrics') + 1);
    expect(a.config).toMatchObject({ static_analysis: null, freshness: null, access: 'protected' });
  });

  it('writes compiled_path, extra_ctes_injected and the injected CTEs of a compiled node; a snapshot has no compiled_path', () => {
    const cte = { id: 'model.p.eph', sql: ' __dbt__cte__eph as (\nselect 1\n)' };
    const nodes = write([
      node('model.p.b', 'model', { compiled: true, compiled_code: 'with __dbt__cte__eph as (\nselect 1\n) select * from __dbt__cte__eph', compiled_path: 'target/compiled/p/models/b.sql', extra_ctes: [cte], functions: [['f']] }),
      node('snapshot.p.s', 'snapshot', { compiled: true, compiled_code: 'select 1', compiled_path: 'target/compiled/p/snapshots/s.sql', extra_ctes: [] }),
    ]);
    expect(nodes['model.p.b']).toMatchObject({ compiled: true, compiled_path: 'target/compiled/p/models/b.sql', extra_ctes_injected: true, extra_ctes: [cte], functions: [['f']] });
    expect(nodes['snapshot.p.s']).toMatchObject({ compiled: true, compiled_path: null, extra_ctes_injected: true, extra_ctes: [] });
  });

  it("gives a seed root_path and none of the compiled fields; configs carry static_analysis, YAML's on/off read back as text; a test's config has no hooks", () => {
    const seedConfig = { enabled: true, materialized: 'seed', pre_hook: [], post_hook: [], tags: [], meta: {}, static_analysis: false };
    const testConfig = { enabled: true, materialized: 'test', pre_hook: [], post_hook: [], tags: [], meta: {}, static_analysis: 'unsafe' };
    const nodes = write([
      node('seed.p.s', 'seed', { original_file_path: 'seeds/s.csv', seed_file: path.join(path.sep, 'work', 'proj', 'seeds', 's.csv'), config: seedConfig }),
      node('test.p.t', 'test', { original_file_path: 'tests/t.sql', config: testConfig }),
    ]);
    const seed = nodes['seed.p.s']!;
    expect(seed.root_path).toBe(path.join(path.sep, 'work', 'proj'));
    for (const key of ['metrics', 'functions', 'compiled_path']) expect(seed).not.toHaveProperty(key);
    expect(seed.config.static_analysis).toBe('off');
    const test = nodes['test.p.t']!;
    expect(test.config.static_analysis).toBe('unsafe');
    expect(test.config).not.toHaveProperty('pre-hook');
    expect(test.config).not.toHaveProperty('post-hook');
  });
});
