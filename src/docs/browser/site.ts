// The site's data with the indexes the pages use: nodes by id, the tests of each node, group
// members, and which resource types the lineage graph draws.
import type { SiteData, SiteNode } from '../site-types.js';

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
  readonly byId = new Map<string, SiteNode>();
  private testsByNode: Map<string, SiteNode[]> | null = null;

  constructor(readonly data: SiteData) {
    for (const n of data.nodes) this.byId.set(n.id, n);
  }

  get(id: string): SiteNode | undefined {
    return this.byId.get(id);
  }

  /** The data tests and unit tests attached to a node, by name. */
  testsOf(id: string): SiteNode[] {
    if (!this.testsByNode) {
      this.testsByNode = new Map();
      for (const n of this.data.nodes) {
        if (n.resourceType !== 'test' && n.resourceType !== 'unit_test') continue;
        for (const parent of new Set(n.parents)) this.testsByNode.set(parent, [...(this.testsByNode.get(parent) ?? []), n]);
      }
      for (const list of this.testsByNode.values()) list.sort((a, b) => (a.name < b.name ? -1 : 1));
    }
    return this.testsByNode.get(id) ?? [];
  }

  /** The nodes whose config names this group. */
  membersOf(group: string): SiteNode[] {
    return this.data.nodes.filter((n) => n.config.group === group && n.resourceType !== 'group');
  }

  /** The node a page name or id means: its id, or its name (models first). */
  find(nameOrId: string): SiteNode | undefined {
    return this.byId.get(nameOrId) ?? this.data.nodes.find((n) => n.name === nameOrId && GRAPH_TYPES.has(n.resourceType));
  }
}
