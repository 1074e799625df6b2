// Ephemeral models as CTEs: which ephemeral ancestors a node reads (parents first) and how their
// compiled SQL is put in front of the node's, as dbt-core's compiler does.
import type { Manifest, ManifestNode } from '../manifest/types.js';

/**
 * Puts CTEs in front of a query, laid out as dbt-core's inject_ctes_into_sql lays them (with
 * sqlparse): each CTE is ` name as (\n<sql>\n)`, joined by `, `; a query with its own `with`
 * (after leading comments; `with recursive` too) gets them after the keyword and the whitespace
 * that follows it, then `, ` and its own CTEs; any other gets `with` and the CTEs in front of its
 * first token, then one space (`) select`).
 */
export function injectCtes(sql: string, ctes: { name: string; sql: string }[]): string {
  if (ctes.length === 0) return sql;
  const text = ctes.map(cteText).join(', ');
  const leading = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*with(?:\s+recursive)?\b\s*/i.exec(sql);
  if (leading) return `${leading[0]}${text}, ${sql.slice(leading[0].length)}`;
  const start = /^\s*/.exec(sql)![0].length;
  return `${sql.slice(0, start)}with${text} ${sql.slice(start)}`;
}

/** A compiled node's `extra_ctes` when it reads no ephemeral (shared: most nodes). */
export const NO_CTES: readonly { id: string; sql: string }[] = Object.freeze([]);

/** One ephemeral's CTE as dbt's _recursively_prepend_ctes writes it: ` name as (\n<sql>\n)`. */
export const cteText = (c: { name: string; sql: string }): string => ` ${c.name} as (\n${c.sql}\n)`;

/** dbt's InjectedCTE list of a compiled node: each ephemeral ancestor's id and the text written for it. */
export const extraCtesOf = (ctes: readonly { id: string; name: string; sql: string }[]): readonly { id: string; sql: string }[] =>
  ctes.length === 0 ? NO_CTES : ctes.map((c) => ({ id: c.id, sql: cteText(c) }));

/**
 * The ids of the manifest's ephemeral nodes. A set, looked up by the parents' ids: those ids come
 * from partial_parse.bin's deserializer as strings V8 has not internalized, and each lookup of one
 * as a key of `manifest.nodes` (an object of 30,000 keys) went through V8's string table (~2 us;
 * 0.1 s over the parents of a 30,000-node compile), where a Set hashes each string once.
 */
export function ephemeralIds(manifest: Manifest): Set<string> {
  const ids = new Set<string>();
  for (const node of Object.values(manifest.nodes)) if (node.config.materialized === 'ephemeral') ids.add(node.unique_id);
  return ids;
}

/** Every ephemeral ancestor of `node` reachable through ephemeral nodes (`ephemeral`: ephemeralIds of the manifest), parents first. */
export function ephemeralAncestors(manifest: Manifest, node: ManifestNode, ephemeral: ReadonlySet<string> = ephemeralIds(manifest)): string[] {
  // Most nodes read no ephemeral model: no walk (and nothing allocated) for them.
  if (ephemeral.size === 0 || !node.depends_on.nodes.some((id) => ephemeral.has(id))) return [];
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string) => {
    const parent = manifest.nodes[id];
    if (!parent || !ephemeral.has(id) || seen.has(id)) return;
    seen.add(id);
    for (const grand of parent.depends_on.nodes) visit(grand);
    order.push(id);
  };
  for (const id of node.depends_on.nodes) visit(id);
  return order;
}
