// Layout in the browser: ELK's layered algorithm (elkjs) in a Web Worker, for the part of the graph
// on screen only. The worker runs elkjs's own worker script, started from a Blob (a page opened
// from file:// may not load a worker from a file), and is started when the page opens so its
// 1.6 MB of code is ready by the time a graph is asked for.
import ELK from 'elkjs/lib/elk-api.js';
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import workerSource from 'tsdbt:elk-worker-source';

export type { ElkNode, ElkExtendedEdge, ElkPort } from 'elkjs/lib/elk-api.js';

let elk: InstanceType<typeof ELK> | null = null;

function engine(): InstanceType<typeof ELK> {
  if (!elk) {
    const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
    elk = new ELK({ workerFactory: () => new Worker(url) });
  }
  return elk;
}

/** Starts the worker and has it lay out a trivial graph, so the first real layout finds ELK loaded. */
export function warmUp(): void {
  void engine()
    .layout({ id: 'warm-up', children: [{ id: 'a', width: 10, height: 10 }], edges: [] })
    .catch(() => undefined);
}

let latest = 0;

/**
 * Lays out `graph`; resolves to null when a later call superseded this one (the reader moved on
 * before the worker answered), so a slow layout never draws over a newer one.
 */
export async function layout(graph: ElkNode): Promise<ElkNode | null> {
  const ticket = ++latest;
  const laid = await engine().layout(graph);
  return ticket === latest ? laid : null;
}

/** ELK's options for a lineage graph of `nodes` nodes: thorough for small graphs, fast for large ones. */
export function lineageOptions(nodes: number): Record<string, string> {
  const small = nodes <= 400;
  return {
    'elk.algorithm': 'layered',
    'elk.direction': 'RIGHT',
    'elk.edgeRouting': 'ORTHOGONAL',
    'elk.layered.layering.strategy': small ? 'NETWORK_SIMPLEX' : 'LONGEST_PATH',
    'elk.layered.nodePlacement.strategy': small ? 'BRANDES_KOEPF' : 'SIMPLE',
    'elk.layered.thoroughness': small ? '7' : '1',
    'elk.spacing.nodeNode': '16',
    'elk.layered.spacing.nodeNodeBetweenLayers': '40',
    'elk.layered.spacing.edgeNodeBetweenLayers': '12',
    'elk.spacing.componentComponent': '32',
  };
}
