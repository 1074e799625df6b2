// The docs site's data: what `tsdbt docs generate` builds (site-data.ts), writes in two parts
// (site-encoding.ts: every node's entry in tsdbt-docs-data.js, the rest of each node's page in
// tsdbt-docs-pages.js) and the page reads (browser/). Types only, shared by both sides.

export interface SiteColumn {
  name: string;
  type: string | null;
  /** Markdown rendered by markdown-it with raw HTML off (`doc()` resolved by the parse). */
  descriptionHtml: string;
  /** The names of the generic tests on this column (e.g. `unique`). */
  tests: string[];
}

/** The result of a node in the last run (target/run_results.json). */
export interface SiteRunResult {
  status: string;
  seconds: number;
  message: string | null;
  failures: number | null;
}

/** A source's last freshness check (target/sources.json). */
export interface SiteFreshness {
  status: string;
  maxLoadedAt: string | null;
  snapshottedAt: string | null;
  ageSeconds: number | null;
  criteria: Record<string, unknown> | null;
  error: string | null;
}

export type UpstreamColumn = { node: string; column: string };
export type SiteColumnLineage = { columns: Record<string, UpstreamColumn[]> } | { error: string };

export interface SiteNode {
  id: string;
  name: string;
  /** model, seed, snapshot, source, test, unit_test, analysis, exposure, semantic_model, metric, saved_query, group, macro */
  resourceType: string;
  package: string;
  folder: string;
  /** The file, relative to the project (a property file for sources and declared resources). */
  path: string;
  fqn: string[];
  relation: string | null;
  database: string | null;
  schema: string | null;
  /** The relation's own name (alias or identifier). */
  identifier: string | null;
  descriptionHtml: string;
  columns: SiteColumn[];
  rawSql: string | null;
  compiledSql: string | null;
  config: Record<string, unknown>;
  tags: string[];
  /** What it reads and what reads it: nodes, sources and declared resources (not macros). */
  parents: string[];
  children: string[];
  lastRun: SiteRunResult | null;
  rowCount: number | null;
  /** Models: each output column's upstream columns, or why the SQL could not be read. */
  columnLineage: SiteColumnLineage | null;
  /** Sources: the last freshness check. */
  freshness?: SiteFreshness | null;
  /** Sources: the source's name (`source:` selection). */
  sourceName?: string;
  /** Data tests: generic or singular, the generic test's name, its column and arguments. */
  testType?: 'generic' | 'singular';
  testName?: string;
  testColumn?: string | null;
  testKwargs?: Record<string, unknown>;
  /** Versioned models. */
  version?: string | number | null;
  latestVersion?: string | number | null;
  /**
   * Exposures, groups, semantic models, metrics, saved queries and unit tests: their own
   * properties as declared (owner, type, url, measures, type_params, query_params, given...).
   */
  properties?: Record<string, unknown>;
  label?: string | null;
}

export interface SiteData {
  project: string;
  generatedAt: string;
  /** Where the last run's results and freshness came from, when there were any. */
  runGeneratedAt: string | null;
  freshnessGeneratedAt: string | null;
  nodes: SiteNode[];
}

/**
 * What only a node's own page (and the column view) reads: written apart from the entries, one
 * line per node, and read when that page opens, so the first view does not wait for them.
 */
export const PAGE_FIELDS = ['descriptionHtml', 'columns', 'rawSql', 'compiledSql', 'rowCount', 'columnLineage', 'freshness', 'testKwargs', 'properties'] as const;
export type SitePageField = (typeof PAGE_FIELDS)[number];

/** A node as the list, the search, the overview, the selection and the graph read it: every node's is loaded first. */
export type SiteEntry = Omit<SiteNode, SitePageField>;
/** The rest of a node: what its page shows. */
export type SitePage = Pick<SiteNode, SitePageField>;

/** The site's data as the first view has it: the header and every node's entry. */
export interface SiteIndex extends Omit<SiteData, 'nodes'> {
  nodes: SiteEntry[];
}
