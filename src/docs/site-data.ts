// Everything the docs site shows, computed once at `tsdbt docs generate`: per node its description
// (Markdown rendered with markdown-it with raw HTML off, so project text can never inject markup;
// `{{ doc('name') }}` blocks resolved), columns with types from the catalog and their tests, the
// raw and compiled SQL, config, parents and children, the last run's status and timing; and the
// lineage graph laid out by ELK's layered algorithm (elkjs), so the page only draws it. (dagre
// was tried first: its crossing minimisation took 37 s at 1,000 models; ELK with longest-path
// layering and simple node placement lays out 5,000 in about 15 s.)
import elkModule from 'elkjs/lib/elk.bundled.js';
import type { ELK as ElkLayout, ElkNode } from 'elkjs/lib/elk-api.js';
import MarkdownIt from 'markdown-it';
import type { Manifest, ManifestNode, SourceTable } from '../graph/types.js';
import type { Catalog } from '../artifacts/catalog-writer.js';
import type { ModelLineage } from './column-lineage.js';

export interface SiteColumn {
  name: string;
  type: string | null;
  /** Markdown rendered, `doc()` resolved, raw HTML escaped. */
  descriptionHtml: string;
  tests: string[];
}

export interface SiteNode {
  id: string;
  name: string;
  resourceType: string;
  package: string;
  folder: string;
  path: string;
  relation: string | null;
  descriptionHtml: string;
  columns: SiteColumn[];
  rawSql: string | null;
  compiledSql: string | null;
  config: Record<string, unknown>;
  tags: string[];
  parents: string[];
  children: string[];
  lastRun: { status: string; seconds: number; message: string | null } | null;
  rowCount: number | null;
  /** Models: each output column's upstream columns, or why the SQL could not be read. */
  columnLineage: ModelLineage | null;
  /** Position in the lineage graph. */
  x: number;
  y: number;
}

export interface SiteData {
  project: string;
  generatedAt: string;
  nodes: SiteNode[];
  width: number;
  height: number;
}

const markdown = new MarkdownIt({ html: false, linkify: true });

function describe(text: string, manifest: Manifest): string {
  const resolved = text.replace(/\{\{\s*doc\(\s*['"]([^'"]+)['"]\s*\)\s*\}\}/g, (whole, name: string) => {
    const doc = Object.values(manifest.docs).find((d) => d.name === name);
    return doc ? doc.block_contents.trim() : whole;
  });
  return markdown.render(resolved);
}

type AnyNode = ManifestNode | SourceTable;

/** elkjs is CommonJS: Node hands its class over as the default export. */
const ElkClass = ((elkModule as unknown as { default?: unknown }).default ?? elkModule) as new () => ElkLayout;

export async function buildSiteData(
  manifest: Manifest,
  catalog: Catalog | null,
  runResults: { unique_id: string; status: string; execution_time: number; message: string | null }[],
  generatedAt: Date,
  lineage: Record<string, ModelLineage> = {},
): Promise<SiteData> {
  const all: AnyNode[] = [...Object.values(manifest.nodes).filter((n) => n.resource_type !== 'unit_test'), ...Object.values(manifest.sources)];
  const testsOf = new Map<string, string[]>();
  for (const node of Object.values(manifest.nodes)) {
    if (node.resource_type !== 'test' || !node.test_metadata) continue;
    const column = (node.test_metadata.kwargs as { column_name?: unknown }).column_name;
    if (typeof column !== 'string') continue;
    for (const parent of node.depends_on.nodes) {
      const key = `${parent}\u0000${column}`;
      testsOf.set(key, [...(testsOf.get(key) ?? []), node.test_metadata.name]);
    }
  }
  const lastRun = new Map(runResults.map((r) => [r.unique_id, r]));
  const drawn = all.filter((n) => n.resource_type !== 'test');
  const ids = new Set(drawn.map((n) => n.unique_id));
  const laid: ElkNode = await new ElkClass().layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.thoroughness': '1',
      'elk.layered.layering.strategy': 'LONGEST_PATH',
      'elk.layered.nodePlacement.strategy': 'SIMPLE',
      'elk.edgeRouting': 'POLYLINE',
      'elk.spacing.nodeNode': '12',
      'elk.layered.spacing.nodeNodeBetweenLayers': '60',
    },
    children: drawn.map((n) => ({ id: n.unique_id, width: Math.min(240, 40 + n.name.length * 7), height: 28 })),
    edges: drawn.flatMap((n) => (manifest.child_map[n.unique_id] ?? []).filter((c) => ids.has(c)).map((c, i) => ({ id: `${n.unique_id}->${i}`, sources: [n.unique_id], targets: [c] }))),
  });
  // Centres, as the page draws boxes around them.
  const centres = new Map((laid.children ?? []).map((c: ElkNode) => [c.id, { x: (c.x ?? 0) + (c.width ?? 0) / 2 + 20, y: (c.y ?? 0) + (c.height ?? 0) / 2 + 20 }]));

  const nodes = all.map((n): SiteNode => {
    const isSource = n.resource_type === 'source';
    const catalogTable = isSource ? catalog?.sources[n.unique_id] : catalog?.nodes[n.unique_id];
    const declared = Object.values(n.columns);
    const names = [...declared.map((c) => c.name), ...Object.keys(catalogTable?.columns ?? {}).filter((c) => !n.columns[c])];
    const columns = names.map((name) => ({
      name,
      type: catalogTable?.columns[name]?.type ?? n.columns[name]?.data_type ?? null,
      descriptionHtml: describe(n.columns[name]?.description ?? '', manifest),
      tests: [...(testsOf.get(`${n.unique_id}\u0000${name}`) ?? [])].sort(),
    }));
    const node = n as ManifestNode;
    const position = centres.get(n.unique_id) ?? { x: -1, y: -1 };
    const run = lastRun.get(n.unique_id);
    const rows = catalogTable?.stats.row_count?.value;
    return {
      id: n.unique_id,
      name: n.name,
      resourceType: n.resource_type,
      package: n.package_name,
      folder: n.original_file_path.split('/').slice(0, -1).join('/') || '.',
      path: n.original_file_path,
      relation: isSource ? (n as SourceTable).relation_name : (node.relation_name ?? null),
      descriptionHtml: describe(isSource ? n.description || (n as SourceTable).source_description : n.description, manifest),
      columns,
      rawSql: isSource ? null : node.raw_code,
      compiledSql: isSource ? null : (node.compiled_code ?? null),
      config: isSource ? (n as SourceTable).config : node.config,
      tags: n.tags,
      parents: manifest.parent_map[n.unique_id] ?? [],
      children: manifest.child_map[n.unique_id] ?? [],
      lastRun: run ? { status: run.status, seconds: run.execution_time, message: run.message } : null,
      rowCount: typeof rows === 'number' ? rows : null,
      columnLineage: lineage[n.unique_id] ?? null,
      x: position.x,
      y: position.y,
    };
  });
  // Macros: listed by package and folder with their SQL (not in the graph).
  for (const m of Object.values(manifest.macros)) {
    nodes.push({
      id: m.unique_id,
      name: m.name,
      resourceType: 'macro',
      package: m.package_name,
      folder: m.original_file_path.split('/').slice(0, -1).join('/') || '.',
      path: m.original_file_path,
      relation: null,
      descriptionHtml: describe(m.description, manifest),
      columns: [],
      rawSql: m.macro_sql,
      compiledSql: null,
      config: { arguments: m.arguments.map((a) => a.name) },
      tags: [],
      parents: [],
      children: [],
      lastRun: null,
      rowCount: null,
      columnLineage: null,
      x: -1,
      y: -1,
    });
  }
  return { project: manifest.projectName, generatedAt: generatedAt.toISOString(), nodes, width: (laid.width ?? 0) + 40, height: (laid.height ?? 0) + 40 };
}
