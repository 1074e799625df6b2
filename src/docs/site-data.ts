// Everything the docs site shows, computed once at `tsdbt docs generate`: per resource its
// description (Markdown rendered by markdown-it with raw HTML off, so project text can never
// inject markup; `{{ doc('name') }}` resolved at parse), columns with types from the catalog and
// their tests, the raw and compiled SQL, config, parents and children, the last run's result
// (target/run_results.json) and, for sources, the last freshness check (target/sources.json).
// Exposures, groups, semantic models, metrics, saved queries and unit tests come with their own
// properties. No layout: the page lays out the part of the graph a reader looks at, in the
// browser (browser/layout.ts), so generating the site costs no more for a larger project than
// writing its data.
import MarkdownIt from 'markdown-it';
import type { DeclaredResource, MacroNode, Manifest, ManifestNode, SourceTable } from '../manifest/types.js';
import type { Catalog } from '../artifacts/catalog-writer.js';
import type { ModelLineage } from './column-lineage.js';
import type { SiteData, SiteFreshness, SiteNode } from './site-types.js';
import { hasThreshold } from '../freshness/criteria.js';
import { folderOf } from './site-encoding.js';
import { recordValues } from '../manifest/record-values.js';

export type { SiteColumn, SiteData, SiteNode } from './site-types.js';

/** One entry of target/run_results.json's `results`. */
export interface RunResultEntry {
  unique_id: string;
  status: string;
  execution_time: number;
  message: string | null;
  failures?: number | null;
}

/** One entry of target/sources.json's `results`. */
export interface FreshnessEntry {
  unique_id: string;
  status: string;
  max_loaded_at?: string | null;
  snapshotted_at?: string | null;
  max_loaded_at_time_ago_in_s?: number | null;
  criteria?: Record<string, unknown> | null;
  error?: string | null;
}

export interface LastRun {
  results: RunResultEntry[];
  generatedAt: string | null;
  freshness: FreshnessEntry[];
  freshnessGeneratedAt: string | null;
}

const markdown = new MarkdownIt({ html: false, linkify: true });

/**
 * What markdown-it renders for a one-line description of words only (letters, digits, spaces,
 * commas, semicolons, and full stops before a space or at the end): one paragraph of the text,
 * which none of its rules touch (no list, heading, emphasis, entity, link or linkified domain can
 * start there). Null for any other text. Most descriptions are such sentences, and a project of
 * thousands of models spent a third of building the site's data in markdown-it for them.
 */
export function plainParagraph(text: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9 ,;.]*$/.test(text) || /\.[^ ]/.test(text)) return null;
  return `<p>${text.trimEnd()}</p>\n`;
}

/** Descriptions come rendered from the parse (`doc()` resolved there, graph/doc-descriptions.ts): Markdown only here. */
function describer(): (text: string) => string {
  const cache = new Map<string, string>();
  return (text) => {
    if (!text) return '';
    let html = cache.get(text);
    if (html === undefined) {
      html = plainParagraph(text) ?? markdown.render(text);
      cache.set(text, html);
    }
    return html;
  };
}


export function buildSiteData(manifest: Manifest, catalog: Catalog | null, lastRun: LastRun, generatedAt: Date, lineage: Record<string, ModelLineage> = {}): SiteData {
  const describe = describer();
  const testsOf = new Map<string, string[]>();
  const nodeValues = recordValues(manifest.nodes);
  for (const node of nodeValues) {
    if (node.resource_type !== 'test' || !node.test_metadata) continue;
    const column = (node.test_metadata.kwargs as { column_name?: unknown }).column_name;
    if (typeof column !== 'string') continue;
    for (const parent of node.depends_on.nodes) {
      const key = `${parent}\u0000${column}`;
      const names = testsOf.get(key);
      if (names) names.push(node.test_metadata.name);
      else testsOf.set(key, [node.test_metadata.name]);
    }
  }
  const results = new Map(lastRun.results.map((r) => [r.unique_id, r]));
  const freshness = new Map(lastRun.freshness.map((r) => [r.unique_id, r]));
  const declared = Object.values(manifest.declared ?? {});

  const nodes: SiteNode[] = [];
  const common = (id: string) => {
    const run = results.get(id);
    return {
      // dbt's child_map: the declared resources (an exposure reading a model...) are children too.
      children: manifest.child_map[id] ?? [],
      lastRun: run ? { status: run.status, seconds: run.execution_time, message: run.message, failures: run.failures ?? null } : null,
    };
  };
  for (const n of [...nodeValues, ...recordValues(manifest.sources)]) {
    const isSource = n.resource_type === 'source';
    const node = n as ManifestNode;
    const source = n as SourceTable;
    const catalogTable = isSource ? catalog?.sources[n.unique_id] : catalog?.nodes[n.unique_id];
    const declaredColumns = Object.values(n.columns);
    const names = [...declaredColumns.map((c) => c.name), ...Object.keys(catalogTable?.columns ?? {}).filter((c) => !n.columns[c])];
    const rows = catalogTable?.stats.row_count?.value;
    const fresh = isSource ? freshness.get(n.unique_id) : undefined;
    const site: SiteNode = {
      id: n.unique_id,
      name: n.name,
      resourceType: n.resource_type,
      package: n.package_name,
      folder: folderOf(n.original_file_path),
      path: n.original_file_path,
      fqn: n.fqn,
      relation: isSource ? source.relation_name : (node.relation_name ?? null),
      database: n.database ?? null,
      schema: n.resource_type === 'test' || n.resource_type === 'unit_test' ? null : n.schema,
      identifier: isSource ? source.identifier : node.alias,
      descriptionHtml: describe(isSource ? n.description || source.source_description : n.description),
      columns: names.map((name) => ({
        name,
        type: catalogTable?.columns[name]?.type ?? n.columns[name]?.data_type ?? null,
        descriptionHtml: describe(n.columns[name]?.description ?? ''),
        tests: [...(testsOf.get(`${n.unique_id}\u0000${name}`) ?? [])].sort(),
      })),
      rawSql: isSource || n.resource_type === 'unit_test' ? null : node.raw_code,
      compiledSql: isSource ? null : (node.compiled_code ?? null),
      config: isSource ? source.config : node.config,
      tags: n.tags,
      parents: manifest.parent_map[n.unique_id] ?? (isSource ? [] : node.depends_on.nodes),
      ...common(n.unique_id),
      rowCount: typeof rows === 'number' ? rows : null,
      columnLineage: lineage[n.unique_id] ?? null,
    };
    if (isSource) {
      site.sourceName = source.source_name;
      site.freshness = fresh ? freshnessOf(fresh) : null;
      site.properties = { loader: source.loader, loaded_at_field: source.loaded_at_field, freshness: hasThreshold(source.freshness) ? source.freshness : null };
    }
    if (n.resource_type === 'test') {
      site.testType = node.test_metadata ? 'generic' : 'singular';
      site.testName = node.test_metadata?.name;
      site.testColumn = node.column_name ?? null;
      if (node.test_metadata) site.testKwargs = node.test_metadata.kwargs;
    }
    if (n.resource_type === 'model') {
      site.version = node.version ?? null;
      site.latestVersion = node.latest_version ?? null;
    }
    if (n.resource_type === 'unit_test' && node.unit_test) {
      const spec = node.unit_test;
      site.properties = { model: spec.model, given: spec.given.map((g) => ({ input: g.input, format: g.format, rows: g.rows })), expect: spec.expect, overrides: spec.overrides };
    }
    nodes.push(site);
  }
  for (const d of declared) nodes.push(declaredNode(d, describe, common(d.unique_id)));
  // Macros: listed by package and folder with their SQL (not in the graph).
  for (const m of Object.values(manifest.macros)) {
    nodes.push({
      id: m.unique_id,
      name: m.name,
      resourceType: 'macro',
      package: m.package_name,
      folder: folderOf(m.original_file_path),
      path: m.original_file_path,
      fqn: [m.package_name, m.name],
      relation: null,
      database: null,
      schema: null,
      identifier: null,
      descriptionHtml: describe(m.description),
      columns: [],
      rawSql: m.macro_sql,
      compiledSql: null,
      config: { arguments: macroArguments(m) },
      tags: [],
      parents: [],
      children: [],
      lastRun: null,
      rowCount: null,
      columnLineage: null,
    });
  }
  return { project: manifest.projectName, generatedAt: generatedAt.toISOString(), runGeneratedAt: lastRun.generatedAt, freshnessGeneratedAt: lastRun.freshnessGeneratedAt, nodes };
}

/** Sets each model's column lineage on its page (buildSiteData's `lineage`, given once it is traced). */
export function addLineage(data: SiteData, lineage: Record<string, ModelLineage>): void {
  for (const node of data.nodes) node.columnLineage = lineage[node.id] ?? null;
}

function declaredNode(d: DeclaredResource, describe: (text: string) => string, common: Pick<SiteNode, 'children' | 'lastRun'>): SiteNode {
  return {
    id: d.unique_id,
    name: d.name,
    resourceType: d.resource_type,
    package: d.package_name,
    folder: folderOf(d.original_file_path),
    path: d.original_file_path,
    fqn: d.fqn,
    relation: null,
    database: null,
    schema: null,
    identifier: null,
    descriptionHtml: describe(d.description),
    columns: [],
    rawSql: null,
    compiledSql: null,
    config: d.config,
    tags: d.tags,
    parents: d.depends_on.nodes,
    ...common,
    rowCount: null,
    columnLineage: null,
    properties: d.properties,
    label: d.label,
  };
}

function freshnessOf(entry: FreshnessEntry): SiteFreshness {
  return {
    status: entry.status,
    maxLoadedAt: entry.max_loaded_at ?? null,
    snapshottedAt: entry.snapshotted_at ?? null,
    ageSeconds: typeof entry.max_loaded_at_time_ago_in_s === 'number' ? entry.max_loaded_at_time_ago_in_s : null,
    criteria: entry.criteria ?? null,
    error: entry.error ?? null,
  };
}

/** A macro's arguments as its property entry documents them (`column (string): the cents`), else the signature's names. */
function macroArguments(macro: MacroNode): string[] {
  const documented = macro.patch?.arguments ?? [];
  if (documented.length === 0) return macro.arguments.map((a) => a.name);
  return documented.map((a) => `${a.name}${a.type ? ` (${a.type})` : ''}${a.description ? `: ${a.description}` : ''}`);
}
