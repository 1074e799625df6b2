// A column's meta and tags as dbt 1.10+ writes them (parser/common.py, ParserRef._add): the
// column's own `meta:` with its `config: meta:` over it, and its `tags:` with its `config: tags:`,
// each on the column and in its config alike. dbt joins the tags through a Python set, in an order
// that changes from run to run; tsdbt keeps the order they are written in, without repeats.

interface WrittenColumn {
  meta?: Record<string, unknown>;
  tags?: string[];
  config?: { meta?: Record<string, unknown>; tags?: unknown };
}

export function columnMetaAndTags(column: WrittenColumn): { meta: Record<string, unknown>; tags: string[]; config: { meta: Record<string, unknown>; tags: string[] } } {
  const configMeta = column.config?.meta !== null && typeof column.config?.meta === 'object' && !Array.isArray(column.config.meta) ? column.config.meta : {};
  const configTags = column.config?.tags;
  const extraTags = Array.isArray(configTags) ? configTags.map(String) : typeof configTags === 'string' ? [configTags] : [];
  const meta = { ...(column.meta ?? {}), ...configMeta };
  const tags = [...new Set([...(column.tags ?? []), ...extraTags])];
  return { meta, tags, config: { meta, tags } };
}
