// The site's data with the indexes the pages use: nodes by id, the tests of each node, group
// members, and which resource types the lineage graph draws. Every node's entry but the data
// tests' is there from the start, the data tests' once the first list is drawn (testsLoaded); a
// node's page (its SQL, columns, description...) once the pages' text is loaded.
import type { SitePages } from '../site-encoding.js';
import type { SiteEntry, SiteIndex, SiteNode } from '../site-types.js';

/** Resource types in the order the sidebar and the overview list them, with their plural labels. */
export const RESOURCE_TYPES: [string, string][] = [
  ['model', 'Models'],
  ['source', 'Sources'],
  ['seed', 'Seeds'],
  ['snapshot', 'Snapshots'],
  ['exposure', 'Exposures'],
  ['semantic_model', 'Semantic models'],
  ['metric', 'Metrics'],
  ['saved_query', 'Saved queries'],
  ['group', 'Groups'],
  ['analysis', 'Analyses'],
  ['unit_test', 'Unit tests'],
  ['test', 'Data tests'],
  ['macro', 'Macros'],
];

export const TYPE_LABEL: Record<string, string> = {
  model: 'model',
  source: 'source',
  seed: 'seed',
  snapshot: 'snapshot',
  exposure: 'exposure',
  semantic_model: 'semantic model',
  metric: 'metric',
  saved_query: 'saved query',
  group: 'group',
  analysis: 'analysis',
  unit_test: 'unit test',
  test: 'data test',
  macro: 'macro',
};

/** What the lineage graph draws (as dbt docs: no tests, macros or groups). */
export const GRAPH_TYPES = new Set(['model', 'source', 'seed', 'snapshot', 'analysis', 'exposure', 'semantic_model', 'metric', 'saved_query']);

export class Site {
  /** Each node's index in data.nodes (and in the pages' text). */
  private readonly indexOf = new Map<string, number>();
  private testsByNode: Map<string, SiteEntry[]> | null = null;
  private pageLines: SitePages | null = null;
  private readonly nodes = new Map<string, SiteNode>();
  /** Resolves when every node's entry, the data tests' too, is in data.nodes (hasTests). */
  readonly testsLoaded: Promise<void>;
  /** Resolves when every node's page can be read (node()), after testsLoaded. */
  readonly pagesLoaded: Promise<void>;
  hasTests = false;

  /** `withTests`: every node's entry, `data.nodes` with the data tests put in. */
  constructor(
    readonly data: SiteIndex,
    withTests: Promise<SiteEntry[]>,
    pages: Promise<SitePages>,
  ) {
    data.nodes.forEach((n, i) => this.indexOf.set(n.id, i));
    this.testsLoaded = withTests.then((nodes) => {
      data.nodes = nodes;
      this.indexOf.clear();
      nodes.forEach((n, i) => this.indexOf.set(n.id, i));
      this.testsByNode = null;
      this.hasTests = true;
    });
    this.pagesLoaded = Promise.all([this.testsLoaded, pages]).then(([, lines]) => {
      this.pageLines = lines;
    });
  }

  get(id: string): SiteEntry | undefined {
    const index = this.indexOf.get(id);
    return index === undefined ? undefined : this.data.nodes[index];
  }

  /** Whether node() can be called: the pages' text is loaded. */
  get hasPages(): boolean {
    return this.pageLines !== null;
  }

  /** A node with its page (parsed from its line of the pages' text when first asked for); only once hasPages. */
  node(id: string): SiteNode | undefined {
    if (!this.pageLines) throw new Error('the pages of the docs site are not loaded yet');
    let node = this.nodes.get(id);
    if (!node) {
      const entry = this.get(id);
      const page = this.pageLines.get(this.indexOf.get(id) ?? -1);
      if (!entry || !page) return undefined;
      this.nodes.set(id, (node = { ...entry, ...page }));
    }
    return node;
  }

  /** The data tests and unit tests attached to a node, by name. */
  testsOf(id: string): SiteEntry[] {
    if (!this.testsByNode) {
      this.testsByNode = new Map();
      for (const n of this.data.nodes) {
        if (n.resourceType !== 'test' && n.resourceType !== 'unit_test') continue;
        for (const parent of new Set(n.parents)) {
          const tests = this.testsByNode.get(parent);
          if (tests) tests.push(n);
          else this.testsByNode.set(parent, [n]);
        }
      }
      for (const list of this.testsByNode.values()) list.sort((a, b) => (a.name < b.name ? -1 : 1));
    }
    return this.testsByNode.get(id) ?? [];
  }

  /** The nodes whose config names this group. */
  membersOf(group: string): SiteEntry[] {
    return this.data.nodes.filter((n) => n.config.group === group && n.resourceType !== 'group');
  }

  /** The node a page name or id means: its id, or its name (models first). */
  find(nameOrId: string): SiteEntry | undefined {
    return this.get(nameOrId) ?? this.data.nodes.find((n) => n.name === nameOrId && GRAPH_TYPES.has(n.resourceType));
  }
}
