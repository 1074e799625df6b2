// Layout in the browser for the column-lineage view: ELK's layered algorithm (elkjs) in a Web
// Worker, for the part on screen only (the lineage graph has its own, layered-layout.ts). The
// worker runs elkjs's own worker script, started from a Blob (a page opened from file:// may not
// load a worker from a file); the script is loaded (site-source.ts) and the worker started the
// first time ELK is asked for: the warm-up while the reader is idle, or a column view opened first.
import ELK from 'elkjs/lib/elk-api.js';
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import { loadElkWorkerSource } from './site-source.js';

export type { ElkNode, ElkExtendedEdge, ElkPort } from 'elkjs/lib/elk-api.js';

let elk: Promise<InstanceType<typeof ELK>> | null = null;

function engine(): Promise<InstanceType<typeof ELK>> {
  elk ??= loadElkWorkerSource().then(
    (source) => {
      const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
      return new ELK({ workerFactory: () => new Worker(url) });
    },
    (err: unknown) => {
      elk = null; // asked again, it is loaded again
      throw err;
    },
  );
  return elk;
}

/** ELK's options for the warm-up: those of the column view (layered, orthogonal edges). */
const WARM_UP_OPTIONS: Record<string, string> = { 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT', 'elk.edgeRouting': 'ORTHOGONAL' };

/**
 * The warm-up, in steps (main.ts runs them while the reader is idle, idle-steps.ts): start the
 * worker and have it lay out graphs shaped like lineage (a few dozen nodes over many layers, long
 * edges): ELK's compiled Java runs several times faster once the engine has optimised it, and
 * this way a reader's first column view finds it so.
 */
export function warmUpSteps(): (() => Promise<unknown>)[] {
  const nodes = 60;
  const children = Array.from({ length: nodes }, (_, i) => ({ id: `n${i}`, width: 100, height: 30 }));
  // A fixed pseudo-random DAG: each node reads one to three earlier ones.
  const edges: { id: string; sources: string[]; targets: string[] }[] = [];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 1; i < nodes; i++) for (let k = 0; k < 1 + Math.floor(next() * 3); k++) edges.push({ id: `e${edges.length}`, sources: [`n${Math.floor(next() * i)}`], targets: [`n${i}`] });
  const graph = (n: number) => ({ id: 'warm-up', layoutOptions: WARM_UP_OPTIONS, children: children.slice(0, n), edges: edges.filter((e) => Number(e.sources[0]?.slice(1)) < n && Number(e.targets[0]?.slice(1)) < n) });
  return [2, nodes, 20, nodes].map((n) => async () => (await engine()).layout(graph(n)));
}

let latest = 0;

/**
 * Lays out `graph`; resolves to null when a later call superseded this one (the reader moved on
 * before the worker answered), so a slow layout never draws over a newer one.
 */
export async function layout(graph: ElkNode): Promise<ElkNode | null> {
  const ticket = ++latest;
  const laid = await (await engine()).layout(graph);
  return ticket === latest ? laid : null;
}
