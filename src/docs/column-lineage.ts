// Column-level lineage (dbt-core has none; dbt Fusion and SQLMesh do): each compiled model is
// parsed with node-sql-parser and, for each output column, the upstream columns it is computed
// from are recorded (through CTEs, subqueries, joins, `select *` and unions). `select *` over a
// model or source expands with that relation's known columns (its own lineage, the catalog or the
// YAML). A statement the parser cannot read is reported as such, never guessed. Parsing is most of
// the time `docs generate` takes: a statement traced before with the same SQL and the same
// upstream columns is taken from a cache instead (lineage-cache.ts keeps it in target/).
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { ManifestNode, SourceTable } from '../manifest/types.js';
import type { Catalog } from '../artifacts/catalog-writer.js';
import { ShapeMemo, statementShape, type StatementShape } from './statement-shapes.js';

export interface UpstreamColumn {
  node: string;
  column: string;
}

export type ModelLineage = { columns: Record<string, UpstreamColumn[]> } | { error: string };

/** A relation's columns, each with the upstream columns it comes from. */
type Scope = Map<string, Set<string>>;

interface Known {
  id: string;
  columns: string[] | null;
}

/** Where a relation's scope keeps the relation itself, for columns it does not list: never an output column. */
const RELATION = '\u0000relation';

const key = (u: UpstreamColumn) => `${u.node}\u0000${u.column}`;
const unkey = (k: string): UpstreamColumn => {
  const [node, column] = k.split('\u0000') as [string, string];
  return { node, column };
};

function nameOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const v = value as { expr?: { value?: unknown }; value?: unknown };
    if (typeof v.expr?.value === 'string') return v.expr.value;
    if (typeof v.value === 'string') return v.value;
  }
  return null;
}

class LineageResolver {
  constructor(private readonly resolve: (table: string, schema: string | null) => Known | null) {}

  /** Upstream of every output column of a SELECT (with its WITH list and set operations). */
  select(stmt: Record<string, unknown>, outer: Map<string, Scope>): Scope {
    const ctes = new Map(outer);
    for (const cte of (stmt.with as { name: unknown; stmt: unknown }[] | null) ?? []) {
      const name = nameOf(cte.name);
      const body = (cte.stmt as { ast?: unknown }).ast ?? cte.stmt;
      if (name) ctes.set(name.toLowerCase(), this.select(body as Record<string, unknown>, ctes));
    }
    const sources = new Map<string, Scope>();
    for (const item of (stmt.from as Record<string, unknown>[] | null) ?? []) {
      const alias = typeof item.as === 'string' ? item.as : null;
      if (item.expr && (item.expr as { ast?: unknown }).ast) {
        sources.set((alias ?? `subquery${sources.size}`).toLowerCase(), this.select((item.expr as { ast: Record<string, unknown> }).ast, ctes));
        continue;
      }
      const table = typeof item.table === 'string' ? item.table : null;
      if (!table) continue;
      const cte = ctes.get(table.toLowerCase());
      const scope = cte ?? this.relationScope(table, typeof item.schema === 'string' ? item.schema : null);
      sources.set((alias ?? table).toLowerCase(), scope);
    }
    const output: Scope = new Map();
    for (const column of (stmt.columns as Record<string, unknown>[] | string | null) === '*' ? [{ expr: { type: 'column_ref', table: null, column: '*' } }] : ((stmt.columns as Record<string, unknown>[]) ?? [])) {
      const expr = column.expr as Record<string, unknown>;
      if (expr?.type === 'column_ref' && nameOf(expr.column) === '*') {
        const only = typeof expr.table === 'string' ? sources.get(expr.table.toLowerCase()) : null;
        for (const scope of only ? [only] : sources.values()) for (const [name, up] of scope) output.set(name, new Set(up));
        continue;
      }
      const name = (typeof column.as === 'string' ? column.as : nameOf(column.as)) ?? (expr?.type === 'column_ref' ? nameOf(expr.column) : null);
      if (!name) continue;
      output.set(name.toLowerCase(), this.expression(expr, sources, ctes));
    }
    // UNION / EXCEPT / INTERSECT: columns by position.
    if (stmt._next) {
      const next = [...this.select(stmt._next as Record<string, unknown>, outer).values()];
      [...output.values()].forEach((up, i) => next[i]?.forEach((k) => up.add(k)));
    }
    return output;
  }

  private relationScope(table: string, schema: string | null): Scope {
    const known = this.resolve(table, schema);
    const scope: Scope = new Map();
    if (!known) return scope;
    for (const c of known.columns ?? []) scope.set(c.toLowerCase(), new Set([key({ node: known.id, column: c.toLowerCase() })]));
    // Columns not listed still resolve to the relation (`(unknown columns)` marker keeps the link).
    scope.set(RELATION, new Set([known.id]));
    return scope;
  }

  /** Every upstream column an expression reads. */
  private expression(expr: unknown, sources: Map<string, Scope>, ctes: Map<string, Scope>): Set<string> {
    const found = new Set<string>();
    const visit = (value: unknown) => {
      if (Array.isArray(value)) return value.forEach(visit);
      if (!value || typeof value !== 'object') return;
      const node = value as Record<string, unknown>;
      if (node.ast && typeof node.ast === 'object') {
        for (const up of this.select(node.ast as Record<string, unknown>, ctes).values()) up.forEach((k) => found.add(k));
        return;
      }
      if (node.type === 'column_ref') {
        const column = nameOf(node.column)?.toLowerCase();
        if (!column || column === '*') return;
        const scopes = typeof node.table === 'string' ? [sources.get(node.table.toLowerCase())] : [...sources.values()];
        for (const scope of scopes) {
          const up = scope?.get(column);
          if (up) up.forEach((k) => found.add(k));
          else if (scope && scopes.length === 1 && scope.has(RELATION)) {
            // A relation whose columns are unknown: the column is still that relation's.
            for (const id of scope.get(RELATION) ?? []) found.add(key({ node: id, column }));
          }
        }
        return;
      }
      for (const [k, v] of Object.entries(node)) if (k !== 'type') visit(v);
    };
    visit(expr);
    return found;
  }
}

type SqlParser = { astify(sql: string, options: { database: string }): unknown };

/** node-sql-parser's builds of one dialect each (the package's main file holds every dialect). */
const DIALECT_BUILDS = new Set(['postgresql', 'mysql', 'mariadb', 'bigquery', 'snowflake', 'redshift', 'sqlite', 'transactsql', 'trino', 'hive', 'db2', 'athena', 'flinksql', 'noql']);
const parsers = new Map<string, SqlParser>();

/**
 * The parser of a dialect: its own build of node-sql-parser (a tenth of the whole package's 2.5 MB,
 * which took about half a second to load), loaded by require (an ESM import also has Node scan
 * the CommonJS text for its exports).
 */
function parserFor(dialect: string): SqlParser {
  const build = dialect.toLowerCase();
  let parser = parsers.get(build);
  if (!parser) {
    const require = createRequire(import.meta.url);
    const mod = require(DIALECT_BUILDS.has(build) ? `node-sql-parser/build/${build}` : 'node-sql-parser') as { Parser: new () => SqlParser };
    parser = new mod.Parser();
    parsers.set(build, parser);
  }
  return parser;
}

/** Loads the parser of a dialect now (a lineage worker does while the main thread compiles). */
export function loadSqlParser(dialect: string): void {
  parserFor(dialect);
}

/** A statement's shape and the memo of parsed shapes it is taken from (statement-shapes.ts). */
export interface ShapeOf {
  shape: StatementShape;
  memo: ShapeMemo;
}

/** Lineage of one compiled statement (its tree taken from `shaped`'s memo when given). */
export function statementLineage(sql: string, parserDialect: string, resolve: (table: string, schema: string | null) => Known | null, shaped?: ShapeOf): ModelLineage {
  let ast: unknown;
  const parse = (text: string) => parserFor(parserDialect).astify(text, { database: parserDialect });
  try {
    try {
      ast = shaped ? shaped.memo.take(shaped.shape, parse) : parse(sql);
    } catch {
      // Said of the statement as written (the shape's placeholders would move the position).
      ast = parse(sql);
    }
  } catch (err) {
    return { error: `the SQL parser could not read this model (${parserDialect}): ${String((err as Error).message).split('\n')[0]}` };
  }
  const stmt = (Array.isArray(ast) ? ast[ast.length - 1] : ast) as Record<string, unknown>;
  if (stmt?.type !== 'select') return { error: 'not a single SELECT statement' };
  const scope = new LineageResolver(resolve).select(stmt, new Map());
  // `select *` carries the relation marker along (a later CTE may still name its columns); the
  // model's own columns are the named ones.
  const named = [...scope].filter(([column]) => column !== RELATION);
  return { columns: Object.fromEntries(named.map(([column, up]) => [column, [...up].map(unkey).sort((a, b) => (key(a) < key(b) ? -1 : 1))])) };
}

/**
 * What a statement's lineage was computed from besides its SQL: each relation it looked up (table,
 * schema) with the id and columns it resolved to then (null: unknown).
 */
export type LineageLookup = [table: string, schema: string | null, id: string | null, columns: string[] | null];

/** A statement's lineage and the lookups it was computed with. */
export interface CachedLineage {
  lookups: LineageLookup[];
  lineage: ModelLineage;
}

/**
 * Lineage computed before (lineage-cache.ts keeps it in target/), by `lineageKey` of the dialect
 * and SQL: an entry is reused when each of its lookups resolves as it did then, so what it says
 * is what parsing the SQL again would say. `used` collects this run's entries, to be kept.
 */
export interface LineageCache {
  entries: Map<string, CachedLineage>;
  used: Map<string, CachedLineage>;
}

/** The cache key of a statement: its parser dialect and SQL. */
export function lineageKey(parserDialect: string, sql: string): string {
  return createHash('sha1').update(parserDialect).update('\0').update(sql).digest('base64');
}

const sameColumns = (a: string[] | null, b: string[] | null) => a === b || (a !== null && b !== null && a.length === b.length && a.every((c, i) => c === b[i]));

/** `statementLineage`, or the cached lineage of the same SQL when every relation it read resolves as it did then. */
function cachedStatementLineage(sql: string, parserDialect: string, resolve: (table: string, schema: string | null) => Known | null, cache: LineageCache | undefined, shaped: ShapeOf | undefined, k: string): ModelLineage {
  if (!cache) return statementLineage(sql, parserDialect, resolve, shaped);
  const hit = cache.entries.get(k);
  if (hit && hit.lookups.every(([table, schema, id, columns]) => {
    const now = resolve(table, schema);
    return (now?.id ?? null) === id && sameColumns(now?.columns ?? null, columns);
  })) {
    if (shaped) shaped.memo.skip(shaped.shape);
    cache.used.set(k, hit);
    return hit.lineage;
  }
  const lookups: LineageLookup[] = [];
  const lineage = statementLineage(
    sql,
    parserDialect,
    (table, schema) => {
      const known = resolve(table, schema);
      lookups.push([table, schema, known?.id ?? null, known?.columns ? [...known.columns] : null]);
      return known;
    },
    shaped,
  );
  cache.used.set(k, { lookups, lineage });
  return lineage;
}

/** What lineage reads of a node: a Manifest's node has it (columns: only their names are read). */
export type LineageNode = Pick<ManifestNode, 'unique_id' | 'resource_type' | 'schema' | 'alias' | 'relation_name' | 'depends_on' | 'compiled_code' | 'seed_columns'> & { columns: Record<string, unknown> };
/** What lineage reads of a source. */
export type LineageSource = Pick<SourceTable, 'unique_id' | 'schema' | 'identifier' | 'relation_name'> & { columns: Record<string, unknown> };
/** What lineage reads of the project: a Manifest is one; `lineageProject` makes the smallest one, to hand to a worker. */
export interface LineageProject {
  nodes: Record<string, LineageNode>;
  sources: Record<string, LineageSource>;
  parent_map: Record<string, string[]>;
}

/** The relations lineage resolves a statement's tables to. */
const RELATION_TYPES = new Set(['model', 'seed', 'snapshot']);

/**
 * The part of `manifest` lineage reads, as plain data for a worker thread, made small (copying it
 * there costs in proportion): the models, seeds and snapshots only, in the order projectLineage
 * traces them (each after its parents, as its walk of every node in the manifest's order reaches
 * them, so the result's keys come in the same order), only models with their compiled SQL and
 * parents, and columns by name only.
 */
export function lineageProject(manifest: LineageProject): LineageProject {
  const names = (columns: Record<string, unknown>) => Object.fromEntries(Object.keys(columns).map((name) => [name, true]));
  const nodes: Record<string, LineageNode> = {};
  const parentMap: Record<string, string[]> = {};
  const done = new Set<string>();
  const visit = (id: string) => {
    if (done.has(id)) return;
    done.add(id);
    for (const parent of manifest.parent_map[id] ?? []) visit(parent);
    const n = manifest.nodes[id];
    if (!n || !RELATION_TYPES.has(n.resource_type)) return;
    const node: LineageNode = { unique_id: n.unique_id, resource_type: n.resource_type, schema: n.schema, alias: n.alias, relation_name: n.relation_name, depends_on: { nodes: [], macros: [] }, columns: names(n.columns) };
    if (n.resource_type === 'model') {
      if (n.compiled_code !== undefined) node.compiled_code = n.compiled_code;
      const parents = manifest.parent_map[id];
      if (parents) parentMap[id] = parents;
      else node.depends_on = { nodes: n.depends_on.nodes, macros: [] };
    }
    if (n.seed_columns) node.seed_columns = n.seed_columns;
    nodes[id] = node;
  };
  for (const id of Object.keys(manifest.nodes)) visit(id);
  const sources: Record<string, LineageSource> = {};
  for (const [id, s] of Object.entries(manifest.sources)) sources[id] = { unique_id: s.unique_id, schema: s.schema, identifier: s.identifier, relation_name: s.relation_name, columns: names(s.columns) };
  return { nodes, sources, parent_map: parentMap };
}

/**
 * Lineage of every compiled model, in DAG order so `select *` sees its parents' columns; with a
 * cache, a model whose SQL and upstream columns are unchanged is not parsed again, and models of
 * one shape (the same SQL but for their parents' relation names) are parsed once.
 */
export function projectLineage(manifest: LineageProject, catalog: Catalog | null, parserDialect: string, onModel?: (done: number, count: number) => void, cache?: LineageCache): Record<string, ModelLineage> {
  const result: Record<string, ModelLineage> = {};
  // A relation may be known under several ids (a seed also declared as a source): a model's own
  // parent is the one it reads.
  const byRelation = new Map<string, string[]>();
  const add = (schema: string, identifier: string, id: string) => {
    for (const k of [`${schema}.${identifier}`.toLowerCase(), `\u0000${identifier.toLowerCase()}`]) byRelation.set(k, [...(byRelation.get(k) ?? []), id]);
  };
  for (const n of Object.values(manifest.nodes)) if (RELATION_TYPES.has(n.resource_type)) add(n.schema, n.alias, n.unique_id);
  for (const s of Object.values(manifest.sources)) add(s.schema, s.identifier, s.unique_id);
  const columnsOf = (id: string): string[] | null => {
    const own = result[id];
    if (own && 'columns' in own) return Object.keys(own.columns);
    const cat = catalog?.nodes[id] ?? catalog?.sources[id];
    if (cat) return Object.keys(cat.columns);
    const declared = manifest.nodes[id]?.columns ?? manifest.sources[id]?.columns;
    const names = Object.keys(declared ?? {});
    const seed = manifest.nodes[id]?.seed_columns?.map((c) => c.name);
    return names.length ? names : (seed ?? null);
  };
  let parents = new Set<string>();
  const resolve = (table: string, schema: string | null): Known | null => {
    const ids = byRelation.get(`${schema ?? ''}.${table}`.toLowerCase()) ?? byRelation.get(`\u0000${table.toLowerCase()}`) ?? [];
    const id = ids.find((i) => parents.has(i)) ?? ids[0];
    return id ? { id, columns: columnsOf(id) } : null;
  };
  const relationOf = (id: string) => manifest.nodes[id]?.relation_name ?? manifest.sources[id]?.relation_name ?? null;
  // The statements to parse (not in the cache), by shape: each shape is parsed once.
  const memo = new ShapeMemo();
  const statements = new Map<string, { key: string; shaped?: ShapeOf }>();
  for (const node of Object.values(manifest.nodes)) {
    if (node.resource_type !== 'model' || !node.compiled_code) continue;
    const k = cache ? lineageKey(parserDialect, node.compiled_code) : '';
    if (cache?.entries.has(k)) {
      statements.set(node.unique_id, { key: k });
      continue;
    }
    const relations = (manifest.parent_map[node.unique_id] ?? node.depends_on.nodes).map(relationOf).filter((r): r is string => r !== null);
    const shape = statementShape(node.compiled_code, relations);
    memo.expect(shape);
    statements.set(node.unique_id, { key: k, shaped: { shape, memo } });
  }
  const done = new Set<string>();
  const models = onModel ? statements.size : 0;
  let traced = 0;
  const visit = (id: string) => {
    if (done.has(id)) return;
    done.add(id);
    for (const parent of manifest.parent_map[id] ?? []) visit(parent);
    const node = manifest.nodes[id];
    if (node?.resource_type === 'model' && node.compiled_code) {
      onModel?.(++traced, models);
      parents = new Set(manifest.parent_map[id] ?? node.depends_on.nodes);
      const statement = statements.get(id) as { key: string; shaped?: ShapeOf };
      result[id] = cachedStatementLineage(node.compiled_code, parserDialect, resolve, cache, statement.shaped, statement.key);
    }
  };
  for (const id of Object.keys(manifest.nodes)) visit(id);
  return result;
}

/**
 * The columns `column` of `nodeId` comes from, followed through models until they reach a node
 * for which `stop` is true (or a node with no lineage: a seed, a source).
 */
export function traceColumn(lineage: Record<string, ModelLineage>, nodeId: string, column: string, stop: (id: string) => boolean): UpstreamColumn[] {
  const found = new Map<string, UpstreamColumn>();
  const seen = new Set<string>();
  const walk = (id: string, col: string) => {
    const k = key({ node: id, column: col });
    if (seen.has(k)) return;
    seen.add(k);
    const own = lineage[id];
    if (id !== nodeId && (stop(id) || !own || !('columns' in own))) {
      found.set(k, { node: id, column: col });
      return;
    }
    if (!own || !('columns' in own)) return;
    for (const up of own.columns[col.toLowerCase()] ?? []) walk(up.node, up.column);
  };
  walk(nodeId, column);
  return [...found.values()];
}
