// A docs-site node (site-types.ts SiteNode) for tests that write a site without building a
// project: a view of `project` at `path` with no SQL, columns, relations or run, and `extra` on top.
import type { SiteNode } from '../../src/docs/site-types.js';

export function siteNode(id: string, resourceType: string, path: string, extra: Partial<SiteNode> = {}): SiteNode {
  const name = id.split('.').pop() as string;
  return {
    id,
    name,
    resourceType,
    package: id.split('.')[1] as string,
    folder: path.split('/').slice(0, -1).join('/') || '.',
    path,
    fqn: [id.split('.')[1] as string, ...id.split('.').slice(2)],
    relation: null,
    database: 'postgres',
    schema: 'analytics',
    identifier: name,
    descriptionHtml: '',
    columns: [],
    rawSql: null,
    compiledSql: null,
    config: { enabled: true, materialized: resourceType === 'test' ? 'test' : 'view' },
    tags: [],
    parents: [],
    children: [],
    lastRun: null,
    rowCount: null,
    columnLineage: null,
    ...extra,
  };
}
