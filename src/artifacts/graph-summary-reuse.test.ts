import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import { graphSummaryText, writeGraphSummary } from './graph-summary.js';

const node = (id: string, parents: string[]) => ({ unique_id: id, resource_type: 'model', depends_on: { nodes: parents, macros: [] }, config: {} }) as unknown as ManifestNode;
const manifest = (nodes: ManifestNode[]) => ({ nodes: Object.fromEntries(nodes.map((n) => [n.unique_id, n])), sources: {} }) as unknown as Manifest;
const ID_A = '11111111-1111-4111-8111-111111111111';
const ID_B = '22222222-2222-4222-8222-222222222222';
const ID_C = '33333333-3333-4333-8333-333333333333';

describe('graph_summary.json written again from the same parse', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-graph-summary-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'graph_summary.json');
  const basisFile = path.join(dir, 'graph_summary.basis.json');
  const read = () => readFileSync(file, 'utf8');

  it('is the text a whole write gives, its invocation id the new one', async () => {
    const m = manifest([node('model.p.a', []), node('model.p.b', ['model.p.a'])]);
    await writeGraphSummary(dir, m, ID_A, { basis: 'gen-1' });
    expect(read()).toBe(graphSummaryText(m, ID_A, false));
    expect(existsSync(basisFile)).toBe(true);
    // The manifest is given as it was: a reuse writes only the head, so the text shows the new id over the old graph.
    await writeGraphSummary(dir, manifest([node('model.p.a', [])]), ID_B, { basis: 'gen-1' });
    expect(read()).toBe(graphSummaryText(m, ID_B, false));
    expect((JSON.parse(read()) as { _invocation_id: string })._invocation_id).toBe(ID_B);
  });

  it('is a whole write for another parse, another graph kind, or a file changed since', async () => {
    const one = manifest([node('model.p.a', [])]);
    const two = manifest([node('model.p.a', []), node('model.p.c', ['model.p.a'])]);
    await writeGraphSummary(dir, one, ID_A, { basis: 'gen-1' });
    await writeGraphSummary(dir, two, ID_B, { basis: 'gen-2' });
    expect(read()).toBe(graphSummaryText(two, ID_B, false));
    await writeGraphSummary(dir, two, ID_C, { basis: 'gen-2', withTestEdges: true });
    expect(read()).toBe(graphSummaryText(two, ID_C, true));
    // Edited by hand (another size): written whole.
    writeFileSync(file, '{}');
    await writeGraphSummary(dir, two, ID_A, { basis: 'gen-2', withTestEdges: true });
    expect(read()).toBe(graphSummaryText(two, ID_A, true));
  });

  it('forgets the parse once a command writes the summary without one', async () => {
    const one = manifest([node('model.p.a', [])]);
    const two = manifest([node('model.p.a', []), node('model.p.d', ['model.p.a'])]);
    await writeGraphSummary(dir, one, ID_A, { basis: 'gen-3' });
    await writeGraphSummary(dir, two, ID_B);
    expect(existsSync(basisFile)).toBe(false);
    await writeGraphSummary(dir, one, ID_C, { basis: 'gen-3' });
    expect(read()).toBe(graphSummaryText(one, ID_C, false));
  });
});
