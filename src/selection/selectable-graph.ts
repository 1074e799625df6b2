// The view of the project the selector grammar works on: nodes with the fields selection methods
// read, and parent/child edges. The manifest implements it (src/app/select.ts).

export interface SelectableNode {
  unique_id: string;
  name: string;
  /** model | seed | test | snapshot | source | analysis | unit_test | exposure */
  resource_type: string;
  package_name: string;
  fqn: string[];
  /** Project-relative, forward slashes. */
  original_file_path: string;
  /** The property file that describes the node (`package://models/schema.yml`), which `path:` also matches. */
  patch_path?: string | null;
  tags: string[];
  config: Record<string, unknown>;
  source_name?: string;
  test_type?: 'generic' | 'singular';
  test_name?: string;
  /**
   * Sources: `fresher` when target/sources.json shows a newer load than the --state run's
   * sources.json (or the state has none), for `source_status:fresher`.
   */
  source_status?: 'fresher' | 'unchanged';
  /**
   * Against the --state manifest (absent without --state): whether it has this node, and which of
   * dbt's `state:modified` criteria changed (body, configs, relation, persisted_descriptions,
   * macros, contract, other). `missingMacro`: the node calls a test or macro that no longer exists
   * while the project's macros changed (what dbt's check of macro changes stops on).
   */
  state?: { old: boolean; modified: readonly string[]; missingMacro?: string };
  /** The node's status in the --state run_results.json (`result:<status>`), when it ran there. */
  result_status?: string;
  /** Versioned models: the node's version and its model's latest (`version:` selection, `m.v2`). */
  version?: string | number | null;
  latest_version?: string | number | null;
  /** unique_ids of parents. */
  depends_on: string[];
}

export interface SelectableGraph {
  nodes: ReadonlyMap<string, SelectableNode>;
  /** A --state manifest was read (`state:` needs it); `result:` also needs its run_results.json. */
  state?: { manifest: boolean; results: boolean };
  children(id: string): readonly string[];
  parents(id: string): readonly string[];
  /**
   * Many selections are made on this graph (the docs page's, one per graph drawn): the fqn method
   * (a bare name, `+model+`) looks its value up in an index of the nodes' names, built once
   * (fqn-index.ts), instead of trying every node. A one-off selection (the CLI's) tries them all.
   */
  repeated?: boolean;
}

export type IndirectSelection = 'eager' | 'cautious' | 'buildable' | 'empty';
