// `graph` as the run's state: the manifest's frozen flat graph under a top-level dict of the run's
// own, which templates may extend, as in dbt (Elementary keeps its run state in
// `graph['elementary']`, set by `graph.setdefault(...)` in an on-run-start hook and read by every
// later render), and the undo of what a render attempt added when it stops to ask the warehouse
// (render-replay.ts renders it again from the start, so each change counts once).
import type { RunState } from '../jinja/dbt/render-replay.js';
import type { Manifest } from '../manifest/types.js';
import { GRAPH_KINDS, type FlatGraph } from '../manifest/flat-graph-kinds.js';

const GRAPH_KIND_SET: ReadonlySet<string> = new Set(GRAPH_KINDS);

/** A copy of the dicts and lists in `value`, deep; anything else (relations, tables) as is. */
function copyPlain(value: unknown): unknown {
  if (Object.isFrozen(value)) return value; // tuples and frozen graph entries cannot change
  if (Array.isArray(value)) return value.map(copyPlain);
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto === Object.prototype || proto === null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyPlain(v)]));
  }
  return value;
}

/** One run's `graph`, rebuilt when the manifest it shows is replaced. */
export class RunGraph {
  private ofRun: { manifest: Manifest; graph: Record<string, unknown> } | null = null;

  /**
   * @param manifest the session's manifest now (none while parsing).
   * @param flatGraph the manifest's flat graph (artifacts/flat-graph.ts: nodes in manifest.json's shape).
   */
  constructor(
    private readonly manifest: () => Manifest | null,
    private readonly flatGraph: (manifest: Manifest) => FlatGraph,
  ) {}

  /** The run's graph, built on first use. */
  graph(): Record<string, unknown> | undefined {
    const manifest = this.manifest();
    if (!manifest) return undefined;
    if (this.ofRun?.manifest !== manifest) this.ofRun = { manifest, graph: { ...this.flatGraph(manifest) } };
    return this.ofRun.graph;
  }

  /** What templates added to `graph`, undone for a render attempt that stops to ask the warehouse. */
  readonly runState: RunState = {
    snapshot: () => {
      // Not built yet (most renders never read graph): nothing was added, and building it costs.
      const graph = this.ofRun?.manifest === this.manifest() ? this.ofRun?.graph : undefined;
      if (!graph) return {};
      const added = Object.keys(graph).filter((k) => !GRAPH_KIND_SET.has(k));
      return added.length === 0 ? {} : Object.fromEntries(added.map((k) => [k, copyPlain(graph[k])]));
    },
    restore: (saved) => {
      const graph = this.ofRun?.graph;
      if (!graph) return;
      for (const k of Object.keys(graph)) if (!GRAPH_KIND_SET.has(k)) delete graph[k];
      Object.assign(graph, saved);
    },
  };
}
