// docs generate's column lineage on a worker thread (lineage-tracer.ts): the worker bundled as
// `npm run build` bundles it beside the CLI (scripts/bundle-cli.ts) traces what the main thread
// traces, from the smaller copy of the manifest it is sent (lineageProject), and keeps the cache in
// target/; a worker that fails leaves the tracing to the main thread.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deserialize } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleLineageWorker } from '../../scripts/bundle-cli.js';
import type { Manifest } from '../manifest/types.js';
import { lineageProject, projectLineage } from './column-lineage.js';
import { LINEAGE_CACHE_FILE } from './lineage-cache.js';
import { LineageTracer, traceLineage } from './lineage-tracer.js';

const model = (name: string, parents: string[], sql: string) => ({ unique_id: `model.p.${name}`, resource_type: 'model', schema: 'analytics', alias: name, relation_name: `"db"."analytics"."${name}"`, compiled_code: sql, columns: { id: { name: 'id', description: 'the id' } }, depends_on: { nodes: parents, macros: [] }, raw_code: 'not sent' });
const test = { unique_id: 'test.p.not_null_report_id', resource_type: 'test', schema: 'analytics', alias: 'not_null_report_id', relation_name: null, compiled_code: 'select * from "db"."analytics"."report" where id is null', columns: {}, depends_on: { nodes: ['model.p.report'], macros: [] } };
const manifest = {
  nodes: Object.fromEntries(
    [
      model('stg', [], 'select cast(id as int) as id, lower(email) as email from raw_users'),
      test,
      model('users', ['model.p.stg'], 'select * from "db"."analytics"."stg"'),
      model('report', ['model.p.users'], 'select id, email as contact from "db"."analytics"."users"'),
    ].map((n) => [n.unique_id, n]),
  ),
  sources: { 'source.p.app.raw': { unique_id: 'source.p.app.raw', schema: 'app', identifier: 'raw_users', relation_name: '"db"."app"."raw_users"', columns: { id: {}, email: {} }, description: 'not sent' } },
  parent_map: { 'model.p.stg': [], 'test.p.not_null_report_id': ['model.p.report'], 'model.p.users': ['model.p.stg'], 'model.p.report': ['model.p.users'] },
} as unknown as Manifest;

describe('traceLineage', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-lineage-tracer-'));
  // Where the worker is bundled: in dist/, as the built package lays it out, so it finds node-sql-parser in node_modules.
  const bundled = fileURLToPath(new URL(`../../dist/lineage-worker-test-${process.pid}`, import.meta.url));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(bundled, { recursive: true, force: true });
  });

  it('sends a worker only what lineage reads: the relations in the order they are traced, compiled SQL and parents of models only, column names', () => {
    // report comes first in the manifest: it is traced after its parents, and so listed.
    const reordered = { ...manifest, nodes: Object.fromEntries(['model.p.report', 'test.p.not_null_report_id', 'model.p.stg', 'model.p.users'].map((id) => [id, manifest.nodes[id]])) } as unknown as Manifest;
    const sent = lineageProject(reordered);
    expect(Object.keys(sent.nodes)).toEqual(['model.p.stg', 'model.p.users', 'model.p.report']);
    expect(Object.keys(projectLineage(reordered, null, 'postgresql'))).toEqual(Object.keys(sent.nodes));
    expect(sent.nodes['model.p.users']).toEqual({ unique_id: 'model.p.users', resource_type: 'model', schema: 'analytics', alias: 'users', relation_name: '"db"."analytics"."users"', depends_on: { nodes: [], macros: [] }, compiled_code: 'select * from "db"."analytics"."stg"', columns: { id: true } });
    expect(sent.parent_map).toEqual({ 'model.p.stg': [], 'model.p.users': ['model.p.stg'], 'model.p.report': ['model.p.users'] });
    expect(sent.sources['source.p.app.raw']).toEqual({ unique_id: 'source.p.app.raw', schema: 'app', identifier: 'raw_users', relation_name: '"db"."app"."raw_users"', columns: { id: true, email: true } });
    expect(projectLineage(sent, null, 'postgresql')).toEqual(projectLineage(reordered, null, 'postgresql'));
  });

  it('traces on the bundled worker what the main thread traces, keys in the same order, and keeps the cache in target/', async () => {
    const script = path.join(bundled, 'lineage-worker.cjs');
    await bundleLineageWorker(script);
    const target = path.join(dir, 'target');
    // Started before its job, as docs generate starts it (the parser loaded meanwhile).
    const tracer = new LineageTracer({ parserDialect: 'postgresql', targetDir: target }, script);
    const traced = await tracer.trace(manifest, null);
    // The cache is written after the reply: the worker has ended once it is.
    await tracer.ended;
    const here = projectLineage(manifest, null, 'postgresql');
    expect(traced).toEqual(here);
    expect(Object.keys(traced)).toEqual(Object.keys(here));
    expect(traced['model.p.report']).toEqual({ columns: { id: [{ node: 'model.p.users', column: 'id' }], contact: [{ node: 'model.p.users', column: 'email' }] } });
    expect(existsSync(path.join(target, LINEAGE_CACHE_FILE))).toBe(true);
    // (written by the bundle's code, which the sources' readLineageCache does not take for its own)
    expect((deserialize(readFileSync(path.join(target, LINEAGE_CACHE_FILE))) as { entries: Map<string, unknown> }).entries.size).toBe(3);
  });

  it('a worker given no job (docs generate failed before its lineage) is stopped by cancel: the process is not kept alive', async () => {
    const script = path.join(bundled, 'lineage-worker.cjs');
    if (!existsSync(script)) await bundleLineageWorker(script);
    const tracer = new LineageTracer({ parserDialect: 'postgresql', targetDir: path.join(dir, 'target-cancelled') }, script);
    tracer.cancel();
    await tracer.ended;
    expect(existsSync(path.join(dir, 'target-cancelled', LINEAGE_CACHE_FILE))).toBe(false);
  });

  it('traces on the main thread when the worker fails', async () => {
    const broken = path.join(dir, 'broken-worker.cjs');
    writeFileSync(broken, "throw new Error('no worker here');\n");
    const progress: number[] = [];
    const traced = await traceLineage(manifest, null, 'postgresql', path.join(dir, 'target-2'), (done) => progress.push(done), broken);
    expect(traced).toEqual(projectLineage(manifest, null, 'postgresql'));
    expect(progress).toEqual([1, 2, 3]);
  });
});
