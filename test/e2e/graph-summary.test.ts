// target/graph_summary.json, as dbt-core's Compiler.compile writes it for every command that
// compiles the manifest: `_invocation_id`, `linked` (index -> name, type, succ) and, for build,
// `with_test_edges` (the edges that make build wait for a test: dbt's add_test_edges with only the
// edges not implied by others, as dbt's --use-fast-test-edges keeps).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const FILES = {
  'dbt_project.yml': 'name: shop\nprofile: shop\n',
  'seeds/raw_orders.csv': 'id,amount\n1,10\n2,20\n',
  'models/stg_orders.sql': "select id, amount from {{ ref('raw_orders') }}\n",
  'models/orders.sql': "select id, amount * 2 as amount from {{ ref('stg_orders') }}\n",
  'models/report.sql': "select count(*) as n from {{ ref('orders') }}\n",
  'models/schema.yml': [
    'version: 2',
    'sources:',
    '  - name: raw',
    '    tables: [{name: events}]',
    'models:',
    '  - name: stg_orders',
    '    columns: [{name: id, data_tests: [not_null]}]',
    '  - name: orders',
    "    columns: [{name: id, data_tests: [{relationships: {arguments: {to: ref('stg_orders'), field: id}}}]}]",
    'exposures:',
    '  - name: dashboard',
    '    type: dashboard',
    '    owner: {email: a@example.com}',
    "    depends_on: [ref('orders')]",
    '',
  ].join('\n'),
};

interface Entry { name: string; type: string; succ?: number[] }
interface Summary { _invocation_id: string; linked: Record<string, Entry>; with_test_edges?: Record<string, Entry> }

function read(dir: string): { text: string; summary: Summary } {
  const text = readFileSync(path.join(dir, 'target/graph_summary.json'), 'utf8');
  return { text, summary: JSON.parse(text) as Summary };
}

/** name -> the names of its successors. */
function edges(graph: Record<string, Entry>): Record<string, string[]> {
  const names = Object.values(graph).map((e) => e.name);
  return Object.fromEntries(Object.values(graph).map((e) => [e.name, (e.succ ?? []).map((i) => names[i]!).sort()]));
}

describe('target/graph_summary.json', () => {
  const dir = testdir(FILES);
  afterAll(() => removeDir(dir));
  const env = { HOME: dir, DBT_PROFILES_DIR: '' };

  it('compile writes the linked graph: every source, node and exposure, its type and its children', async () => {
    const result = await runTsdbt(['compile', '--project-dir', dir], { env });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const { text, summary } = read(dir);
    expect(text.startsWith('{"_invocation_id": "')).toBe(true); // Python's json.dumps spacing
    expect(summary.with_test_edges).toBeUndefined();
    const linked = Object.values(summary.linked);
    expect(Object.keys(summary.linked)).toEqual(linked.map((_, i) => String(i)));
    expect(linked[0]).toEqual({ name: 'source.shop.raw.events', type: 'source' }); // sources first, as dbt's Linker adds them
    const types = Object.fromEntries(linked.map((e) => [e.name.replace(/\.[0-9a-f]{10}$/, ''), e.type]));
    expect(types).toMatchObject({ 'seed.shop.raw_orders': 'seed', 'model.shop.stg_orders': 'model', 'model.shop.orders': 'model', 'exposure.shop.dashboard': 'exposure' });
    const graph = edges(summary.linked);
    const testOf = (prefix: string) => linked.map((e) => e.name).find((n) => n.startsWith(prefix))!;
    const notNull = testOf('test.shop.not_null_stg_orders_id');
    const relationships = testOf('test.shop.relationships_orders_id');
    expect([notNull, relationships].every(Boolean)).toBe(true);
    expect(graph['seed.shop.raw_orders']).toEqual(['model.shop.stg_orders']);
    expect(graph['model.shop.stg_orders']).toEqual(['model.shop.orders', notNull, relationships].sort());
    expect(graph['model.shop.orders']).toEqual(['exposure.shop.dashboard', 'model.shop.report', relationships].sort());
    expect(graph[notNull]).toEqual([]);
    expect(linked.find((e) => e.name === notNull)).not.toHaveProperty('succ'); // no children: no succ key
  });

  it("build adds with_test_edges: a test gates each node downstream of all it reads; the id is the run's", async () => {
    rmSync(path.join(dir, 'target/graph_summary.json'));
    const result = await runTsdbt(['build', '--project-dir', dir], { env });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const { summary } = read(dir);
    const runResults = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as { metadata: { invocation_id: string } };
    expect(summary._invocation_id).toBe(runResults.metadata.invocation_id);
    const linked = edges(summary.linked);
    const tested = edges(summary.with_test_edges!);
    const notNullId = Object.keys(linked).find((n) => n.startsWith('test.shop.not_null_stg_orders_id'))!;
    const relationshipsId = Object.keys(linked).find((n) => n.startsWith('test.shop.relationships_orders_id'))!;
    // not_null reads stg_orders only: stg_orders' children wait for it (report, further down, through orders).
    expect(linked[notNullId]).toEqual([]);
    expect(tested[notNullId]).toEqual(['model.shop.orders']);
    // relationships reads orders and stg_orders: the first node with both upstream is report (the exposure is no node).
    expect(tested[relationshipsId]).toEqual(['model.shop.report']);
    expect({ ...tested, [notNullId]: [], [relationshipsId]: [] }).toEqual(linked);
  });

  it('parse writes none; run and ls write it without test edges', async () => {
    rmSync(path.join(dir, 'target/graph_summary.json'));
    expect((await runTsdbt(['parse', '--project-dir', dir], { env })).code).toBe(0);
    expect(existsSync(path.join(dir, 'target/graph_summary.json'))).toBe(false);
    expect((await runTsdbt(['ls', '--project-dir', dir], { env })).code).toBe(0);
    expect(read(dir).summary.with_test_edges).toBeUndefined();
    rmSync(path.join(dir, 'target/graph_summary.json'));
    expect((await runTsdbt(['run', '--project-dir', dir], { env })).code).toBe(0);
    expect(Object.keys(read(dir).summary)).toEqual(['_invocation_id', 'linked']);
  });

  it("a run from the parse the file was written from writes only the run's invocation id; build's test edges and a changed parse are written whole", async () => {
    const withoutId = (text: string) => text.replace(/^\{"_invocation_id": "[^"]*"/, '');
    const invocationId = () => (JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as { metadata: { invocation_id: string } }).metadata.invocation_id;
    const basisFile = path.join(dir, 'target/graph_summary.basis.json');
    expect((await runTsdbt(['seed', '--project-dir', dir], { env })).code).toBe(0); // the models read the seed
    rmSync(path.join(dir, 'target/graph_summary.json'));
    expect((await runTsdbt(['run', '--project-dir', dir], { env })).code).toBe(0);
    const first = read(dir).text;
    // Recorded with the parse it was written from (graph-summary-reuse.ts), so the next run rewrites its head only.
    expect(existsSync(basisFile)).toBe(true);
    expect((await runTsdbt(['run', '--project-dir', dir], { env })).code).toBe(0);
    const second = read(dir);
    expect(second.summary._invocation_id).toBe(invocationId());
    expect(second.summary._invocation_id).not.toBe((JSON.parse(first) as Summary)._invocation_id);
    expect(withoutId(second.text)).toBe(withoutId(first));
    // build's summary holds the test edges: not the run's head over the run's graph.
    expect((await runTsdbt(['build', '--project-dir', dir], { env })).code).toBe(0);
    expect(Object.keys(read(dir).summary)).toEqual(['_invocation_id', 'linked', 'with_test_edges']);
    expect((await runTsdbt(['run', '--project-dir', dir], { env })).code).toBe(0);
    expect(withoutId(read(dir).text)).toBe(withoutId(first));
    // A model added: another parse, the summary written whole with it.
    writeFileSync(path.join(dir, 'models/extra.sql'), "select n from {{ ref('report') }}\n");
    try {
      expect((await runTsdbt(['run', '--project-dir', dir], { env })).code).toBe(0);
      expect(edges(read(dir).summary.linked)['model.shop.report']).toEqual(['model.shop.extra']);
    } finally {
      rmSync(path.join(dir, 'models/extra.sql'));
    }
  });
});

// compile writes graph_summary.json (and manifest.json when no node failed) once its renders are
// done, while its writer thread (1,000 files or more) still creates the compiled files: the same
// graph_summary.json text as written before the renders, also when a render fails.
describe('target/graph_summary.json beside the compiled files', () => {
  const models: Record<string, string> = {};
  for (let i = 0; i < 1000; i++) models[`models/m${i}.sql`] = i === 0 ? 'select 1 as id\n' : `select id from {{ ref('m${Math.floor(i / 2)}') }}\n`;
  const dir = testdir({ 'dbt_project.yml': 'name: many\nprofile: many\n', ...models, 'models/broken.sql': "{% if execute %}{{ exceptions.raise_compiler_error('broken on purpose') }}{% endif %}select id from {{ ref('m7') }}\n" });
  afterAll(() => removeDir(dir));
  const env = { HOME: dir, DBT_PROFILES_DIR: '' };
  const withoutId = (text: string) => text.replace(/^\{"_invocation_id": "[^"]*"/, '');

  it('is the one ls writes, though a model failed, and every other model is compiled', async () => {
    expect((await runTsdbt(['ls', '--project-dir', dir], { env })).code).toBe(0);
    const listed = read(dir).text;
    rmSync(path.join(dir, 'target/graph_summary.json'));
    const result = await runTsdbt(['compile', '--project-dir', dir], { env });
    expect(result.code, result.stdout + result.stderr).toBe(2); // a node failed
    expect(result.stdout + result.stderr).toContain('broken on purpose');
    const { text, summary } = read(dir);
    expect(withoutId(text)).toBe(withoutId(listed));
    expect(Object.keys(summary.linked)).toHaveLength(1001);
    expect(readFileSync(path.join(dir, 'target/compiled/many/models/m999.sql'), 'utf8')).toMatch(/^select id from "[^"]+"\."[^"]+"\."m499"$/);
    expect(existsSync(path.join(dir, 'target/compiled/many/models/broken.sql'))).toBe(false);
    // A compile with a failed node writes manifest.json as dbt's does, as parsed (before any node
    // compiled: no compiled code), and no run_results.json.
    expect(Object.values(manifestOf(dir).nodes).filter((node) => node.compiled_code !== undefined)).toEqual([]);
    expect(existsSync(path.join(dir, 'target/run_results.json'))).toBe(false);
  });

  it("with every node compiled, manifest.json is written meanwhile: the invocation's, with each file's code", async () => {
    rmSync(path.join(dir, 'models/broken.sql'));
    const result = await runTsdbt(['compile', '--project-dir', dir], { env });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const manifest = manifestOf(dir);
    expect(manifest.metadata.invocation_id).toBe(runResultsOf(dir).metadata.invocation_id);
    expect(read(dir).summary._invocation_id).toBe(manifest.metadata.invocation_id);
    const nodes = Object.values(manifest.nodes);
    expect(nodes).toHaveLength(1000);
    for (const node of nodes) expect(readFileSync(path.join(dir, node.compiled_path), 'utf8')).toBe(node.compiled_code);
  });
});

function manifestOf(dir: string): { metadata: { invocation_id: string }; nodes: Record<string, { compiled_path: string; compiled_code: string }> } {
  return JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as ReturnType<typeof manifestOf>;
}

function runResultsOf(dir: string): { metadata: { invocation_id: string } } {
  return JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as ReturnType<typeof runResultsOf>;
}
