// tsdbt show, as dbt's ShowTask: compiles one selected node (--select) or an inline query
// (--inline, refs resolved, ephemeral parents as CTEs), runs it with the row limit applied in the
// SQL by the adapter's builder (`--limit`, default 5; a negative limit is no limit), and prints the
// rows as agate's print_table does (`Previewing node 'm':` then `| a | b |`), or with
// `--output json` dbt's `{"node": "m", "show": [rows]}` (`{"show": [...]}` for an inline query).
// The model is not built: its SQL runs as a query, as in dbt.
import { EXIT_OK } from '../errors/exit-codes.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { Compiler } from '../compile/compiler.js';
import type { ManifestNode } from '../manifest/types.js';
import { AgateTable, tableText, typeNamesOf } from '../jinja/pylib/agate/index.js';
import { PyDatetime } from '../jinja/pylib/datetime/index.js';
import { connectTemplates } from '../jinja/dbt/warehouse-calls.js';
import { announceTarget } from './commands.js';
import { openAdapter } from './execute-plan.js';
import { inlineQueryNode } from './inline-query.js';
import type { Invocation } from './invocation.js';
import { loadProject, type LoadedProject } from './project-loader.js';
import { selectForInvocation } from './select.js';

export interface ShowOptions {
  inline?: string;
  /** Rows to fetch; negative: all (dbt's `--limit -1`). */
  limit: number;
  output: 'text' | 'json';
}

const SHOWABLE = new Set(['model', 'test', 'analysis', 'snapshot', 'seed']);

/** The node to preview: the one selected, or among several those named in --select (dbt's matched results). */
function selectedNode(inv: Invocation, project: LoadedProject): ManifestNode {
  const { manifest, dag } = project.parsed;
  const ids = selectForInvocation({ ...inv, options: { ...inv.options, indirectSelection: 'empty' } }, manifest, dag, project.targetDir);
  const nodes = [...ids].map((id) => manifest.nodes[id]).filter((n): n is ManifestNode => n !== undefined && SHOWABLE.has(n.resource_type));
  const words = new Set((inv.options.select ?? []).flatMap((s) => s.split(/\s+/)));
  const named = nodes.filter((n) => words.has(n.name));
  const pick = named[0] ?? (nodes.length === 1 ? nodes[0] : undefined);
  if (!pick) {
    throw new TsdbtError(nodes.length === 0 ? `--select ${[...words].join(' ')} matches no model, test, analysis, snapshot or seed` : `--select ${[...words].join(' ')} matches ${nodes.length} nodes; show previews one`, {
      code: 'show-selection',
      hint: nodes.length === 0 ? 'check the name with `tsdbt ls`' : `name one of them: ${nodes.slice(0, 5).map((n) => n.name).join(', ')}`,
    });
  }
  if (named.length > 1) inv.logger.debug(`Excluded ${named.slice(1).map((n) => `'${n.name}'`).join(', ')} from results`);
  return pick;
}

/** A cell as agate's to_json writes it: dates in ISO form, numbers as numbers. */
function jsonValue(value: unknown): unknown {
  if (value instanceof PyDatetime) return value.isoformat();
  if (typeof value === 'object' && value !== null && typeof (value as { isoformat?: unknown }).isoformat === 'function') return (value as { isoformat(): string }).isoformat();
  return value;
}

export async function showCommand(inv: Invocation, options: ShowOptions): Promise<number> {
  const hasSelect = (inv.options.select ?? []).some((s) => s.trim() !== '');
  if (!hasSelect && options.inline === undefined) {
    throw new TsdbtError('Either --select or --inline must be passed to show', { code: 'show-selection', hint: "e.g. tsdbt show --select my_model, or tsdbt show --inline \"select * from {{ ref('my_model') }}\"" });
  }
  if (options.output === 'json') inv.logger.dataOnStdout = true;
  const project = loadProject(inv);
  if (options.output === 'text') announceTarget(inv, project);
  const node = options.inline !== undefined ? inlineQueryNode(project, options.inline) : selectedNode(inv, project);
  const adapter = await openAdapter(inv, project);
  let table: AgateTable;
  try {
    const renders = connectTemplates(project.session, adapter, (message) => inv.logger.info(message));
    const compiler = new Compiler(project.session, project.parsed.manifest, project.parsed.refs, adapter.sql, renders);
    table = await adapter.withConnection(async (conn) => {
      const compiled =
        node.resource_type === 'seed'
          ? `select * from ${compiler.relationOf(node).render()}`
          : (await compiler.withWarehouse(conn, node.unique_id, () => compiler.compile(node))).sql;
      const query = compiled.replace(/[\s;]+$/, '');
      const limit = options.limit >= 0 ? options.limit : null;
      const header = typeof node.config.sql_header === 'string' && node.config.sql_header.trim() !== '' ? node.config.sql_header.trim() : null;
      // dbt's get_show_sql: a project's replacement of it (or of get_limit_subquery_sql) renders;
      // otherwise the adapter's limit builder wraps the query, with no template rendered.
      const scope = project.session.scope;
      const replaced = ['get_show_sql', 'get_limit_subquery_sql'].some((name) => scope.overrideOf(node.package_name, name) !== null);
      const sql = replaced
        ? String(await compiler.callMacro(conn, node, 'get_show_sql', [query, header, limit]))
        : `${header === null ? '' : `${header.replace(/;?$/, ';')}\n`}${limit === null ? query : adapter.sql.limit(query, limit)}`;
      const result = await conn.execute(sql, { nodeId: node.unique_id });
      return AgateTable.fromQueryResult(result.columns, result.rows, adapter.rules);
    });
  } finally {
    await adapter.close();
  }
  const inline = options.inline !== undefined;
  const values = table.rows.map((row) => row.values());
  if (options.output === 'json') {
    const rows = values.map((r) => Object.fromEntries(table.column_names.map((name, i) => [name, jsonValue(r[i])])));
    inv.logger.out(JSON.stringify(inline ? { show: rows } : { node: node.name, show: rows }, null, 2));
    return EXIT_OK;
  }
  const text = tableText(table.column_names, typeNamesOf(table), values, Infinity, 6, 20, 3).replace(/\n$/, '');
  inv.logger.info(inline ? 'Previewing inline node:' : `Previewing node '${node.name}':`, 'ShowNode', { node_name: node.name, unique_id: node.unique_id, is_inline: inline, preview: text });
  if (inv.logger.format !== 'json') inv.logger.out(text);
  return EXIT_OK;
}
