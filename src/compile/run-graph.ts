// `graph` as the run's state, as dbt's `manifest.flat_graph` is: one set of plain dicts for the
// whole run, which templates may change, every later render seeing the change (Elementary keeps
// its run state in `graph['elementary']`, set by `graph.setdefault(...)` in on-run-start;
// dbt_constraints' on-run-end does `node.update({'alias': ...})` on the nodes it reads). The
// manifest's flat graph (artifacts/flat-graph.ts) is frozen and shared, and its entries hold the
// manifest's own lists, so the run's graph copies an entry the first time a template reads it
// (a section's dict is a Proxy that does so): what a template changes is the run's alone, never
// manifest.json's. A render attempt that stops to ask the warehouse renders again from the start
// (render-replay.ts), so what it changed is undone, each change counting once: the dicts and lists
// copied from the flat graph are watched (jinja/engine/change-watch.ts) and the first change of
// each in an attempt saves what it held; keys a template adds to the top level are copied.
import { watchChanges, type ChangeWatcher } from '../jinja/engine/index.js';
import type { RunState } from '../jinja/dbt/render-replay.js';
import type { Manifest } from '../manifest/types.js';
import { GRAPH_KINDS, type FlatGraph } from '../manifest/flat-graph-kinds.js';

const GRAPH_KIND_SET: ReadonlySet<string> = new Set(GRAPH_KINDS);

type Dict = Record<string, unknown>;

function isPlainDict(value: unknown): value is Dict {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Python tuples are arrays with a symbol-keyed marker; they cannot change, so they are kept as they are. */
function isMarkedArray(value: unknown[]): boolean {
  return Object.getOwnPropertySymbols(value).length > 0;
}

/** A copy of the dicts and lists in `value`, deep; anything else (relations, tables) as is. */
function copyPlain(value: unknown): unknown {
  if (Object.isFrozen(value)) return value; // tuples cannot change
  if (Array.isArray(value)) return value.map(copyPlain);
  if (isPlainDict(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyPlain(v)]));
  return value;
}

/** What a render attempt may have to undo: the keys added to graph's top level, and what each changed dict or list held. */
interface Saved {
  added: Dict;
  before: Map<object, unknown>;
}

/** One run's `graph`, rebuilt when the manifest it shows is replaced. */
export class RunGraph {
  private ofRun: { manifest: Manifest; graph: Dict } | null = null;
  /** What the dicts and lists changed in the current attempt held before it (the first change of each saves it). */
  private before: Map<object, unknown> | null = null;
  private readonly watcher: ChangeWatcher = (target) => this.remember(target);

  /** Saves what `target` holds, the first time it changes in this attempt. */
  private remember(target: object): void {
    const before = this.before;
    if (before && !before.has(target)) before.set(target, Array.isArray(target) ? target.slice() : { ...target });
  }

  /**
   * @param manifest the session's manifest now (none while parsing).
   * @param flatGraph the manifest's flat graph (artifacts/flat-graph.ts: nodes in manifest.json's shape).
   */
  constructor(
    private readonly manifest: () => Manifest | null,
    private readonly flatGraph: (manifest: Manifest) => FlatGraph,
  ) {}

  /** The run's graph, built on first use. */
  graph(): Dict | undefined {
    const manifest = this.manifest();
    if (!manifest) return undefined;
    if (this.ofRun?.manifest !== manifest) {
      const flat = this.flatGraph(manifest);
      const graph: Dict = {};
      for (const kind of GRAPH_KINDS) graph[kind] = this.section(flat[kind]);
      this.ofRun = { manifest, graph };
    }
    return this.ofRun.graph;
  }

  /** The run's dict of one resource kind: its entries are the flat graph's until read, then the run's copies. */
  private section(shared: Readonly<Dict>): Dict {
    const own: Dict = { ...shared };
    const section = new Proxy(own, {
      get: (target, key, receiver) => {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof key !== 'string' || value !== shared[key] || !isPlainDict(value)) return value;
        const copy = this.thaw(value);
        target[key] = copy;
        return copy;
      },
    });
    // Templates change the Proxy; what it held is read from its target, copying no entry.
    watchChanges(section, () => this.remember(own));
    return section;
  }

  /** A deep copy of a flat-graph entry whose dicts and lists are watched. */
  private thaw(value: unknown): unknown {
    if (Array.isArray(value)) {
      if (isMarkedArray(value)) return value;
      const list = value.map((v) => this.thaw(v));
      watchChanges(list, this.watcher);
      return list;
    }
    if (!isPlainDict(value)) return value;
    const dict: Dict = {};
    for (const key of Object.keys(value)) dict[key] = this.thaw(value[key]);
    watchChanges(dict, this.watcher);
    return dict;
  }

  /** What templates changed in `graph`, undone for a render attempt that stops to ask the warehouse. */
  readonly runState: RunState = {
    snapshot: (): Saved => {
      this.before = new Map();
      // Not built yet (most renders never read graph): nothing was added, and building it costs.
      const graph = this.ofRun?.manifest === this.manifest() ? this.ofRun?.graph : undefined;
      const added = graph ? Object.keys(graph).filter((k) => !GRAPH_KIND_SET.has(k)) : [];
      return { added: Object.fromEntries(added.map((k) => [k, copyPlain(graph?.[k])])), before: this.before };
    },
    restore: (saved) => {
      const { added, before } = saved as Saved;
      for (const [target, held] of [...before].reverse()) {
        if (Array.isArray(target)) target.splice(0, target.length, ...(held as unknown[]));
        else {
          for (const key of Object.keys(target)) delete (target as Dict)[key];
          Object.assign(target, held);
        }
      }
      before.clear();
      const graph = this.ofRun?.graph;
      if (!graph) return;
      for (const k of Object.keys(graph)) if (!GRAPH_KIND_SET.has(k)) delete graph[k];
      Object.assign(graph, added);
    },
  };
}
