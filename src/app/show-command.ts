// tsdbt show, as dbt's ShowTask: compiles the selected nodes the first --select names (each
// version of a versioned model, previewed as `m.v2`) or an inline query (--inline, refs resolved,
// ephemeral parents as CTEs), runs each with the row limit applied in the SQL by the adapter's
// builder (`--limit`, default 5; a negative limit is no limit), and prints the rows as agate's
// print_table does (`Previewing node 'm':` then `| a | b |`), or with `--output json` dbt's
// `{"node": "m", "show": [rows]}` (`{"show": [...]}` for an inline query), each value as agate's
// to_json writes it (a numeric `3.0` stays `3.0`). The model is not built: its SQL runs as a query.
// Each preview is recorded in run_results.json as dbt's ShowRunner result: its compiled_code is the
// query that ran (get_show_sql's, the limit in it), and args carry `limit`.
import type { Adapter, Connection } from '../adapters/adapter.js';
import { adapterResponseDict, type NodeResult } from '../manifest/results.js';
import { workerThreadName } from '../execution/dag-runner.js';
import { EXIT_OK } from '../errors/exit-codes.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { Compiler } from '../compile/compiler.js';
import type { ManifestNode } from '../manifest/types.js';
import { AgateTable, tableText, typeNamesOf } from '../jinja/pylib/agate/index.js';
import { pyJson } from '../jinja/engine/index.js';
import { connectTemplates } from '../jinja/dbt/warehouse-calls.js';
import { announceTarget } from './commands.js';
import { namedBySelection } from './compile-command.js';
import { openAdapter, writeCommandRunResults } from './execute-plan.js';
import { inlineQueryNode } from './inline-query.js';
import type { Invocation } from './invocation.js';
import { loadProject, type LoadedProject } from './project-loader.js';
import { writeCommandManifest } from './command-manifest.js';
import { selectForInvocation } from './select.js';
import { writeGraphSummary } from '../artifacts/graph-summary.js';
import { announceNodes } from './concurrency-line.js';

export interface ShowOptions {
  inline?: string;
  /** Rows to fetch; negative: all (dbt's `--limit -1`). */
  limit: number;
  output: 'text' | 'json';
}

const SHOWABLE = new Set(['model', 'test', 'analysis', 'snapshot', 'seed']);

/**
 * The nodes to preview: of those selected, each the first --select names (dbt's matched results, so
 * `--select m` previews both versions of a versioned model m), or the one node selected.
 */
function selectedNodes(inv: Invocation, project: LoadedProject): ManifestNode[] {
  const { manifest, dag } = project.parsed;
  const ids = selectForInvocation({ ...inv, options: { ...inv.options, indirectSelection: 'empty' } }, manifest, dag, project);
  project.session.setSelection('show', ids);
  const nodes = [...ids].map((id) => manifest.nodes[id]).filter((n): n is ManifestNode => n !== undefined && SHOWABLE.has(n.resource_type));
  const words = namedBySelection(inv.options.select);
  const named = nodes.filter((n) => words.has(n.name));
  const picked = named.length > 0 ? named : nodes.length === 1 ? nodes : [];
  const selection = (inv.options.select ?? []).join(' ');
  if (picked.length === 0) {
    throw new TsdbtError(nodes.length === 0 ? `--select ${selection} matches no model, test, analysis, snapshot or seed` : `--select ${selection} matches ${nodes.length} nodes; show previews one`, {
      code: 'show-selection',
      hint: nodes.length === 0 ? 'check the name with `tsdbt ls`' : `name one of them: ${nodes.slice(0, 5).map((n) => n.name).join(', ')}`,
    });
  }
  for (const n of nodes) if (!picked.includes(n)) inv.logger.debug(`Excluded node '${n.name}' from results`);
  return picked;
}

/** The name a preview gives its node: a versioned model's with its version (`dim_customers.v2`), as dbt's ShowTask. */
function previewName(node: ManifestNode): string {
  const version = (node as { version?: unknown }).version;
  return version === undefined || version === null || version === '' ? node.name : `${node.name}.v${String(version)}`;
}

export async function showCommand(inv: Invocation, options: ShowOptions): Promise<number> {
  const hasSelect = (inv.options.select ?? []).some((s) => s.trim() !== '');
  if (!hasSelect && options.inline === undefined) {
    throw new TsdbtError('Either --select or --inline must be passed to show', { code: 'show-selection', hint: "e.g. tsdbt show --select my_model, or tsdbt show --inline \"select * from {{ ref('my_model') }}\"" });
  }
  if (options.output === 'json') inv.logger.dataOnStdout = true;
  const project = loadProject(inv);
  // Written as parsed, before an --inline query becomes a node of it (dbt's setup_manifest).
  await writeCommandManifest(inv, project);
  await writeGraphSummary(project.targetDir, project.parsed.manifest, inv.invocationId);
  // dbt's FoundStats line whatever the output: with --output json it goes to stderr beside the other log lines (--quiet drops it).
  announceTarget(inv, project);
  const nodes = options.inline !== undefined ? [inlineQueryNode(project, options.inline)] : selectedNodes(inv, project);
  announceNodes(inv.logger, project.target, nodes.length);
  const startedAt = performance.now();
  const adapter = await openAdapter(inv, project);
  const tables: AgateTable[] = [];
  const results: NodeResult[] = [];
  try {
    const renders = connectTemplates(project.session, adapter, (text) => inv.logger.out(text));
    const compiler = new Compiler(project.session, project.parsed.manifest, project.parsed.refs, adapter.sql, renders);
    await adapter.withConnection(async (conn) => {
      for (const node of nodes) {
        const started = inv.now();
        const preview = await previewTable(project, adapter, compiler, conn, node, options.limit);
        tables.push(preview.table);
        results.push(showResult(node, started, inv.now(), preview));
      }
    });
  } finally {
    await adapter.close();
  }
  await writeCommandRunResults(inv, project, results, (performance.now() - startedAt) / 1000, 'show', inv.options, { limit: options.limit });
  const inline = options.inline !== undefined;
  for (const [i, node] of nodes.entries()) {
    const table = tables[i];
    if (table) printPreview(inv, node, table, inline, options.output);
  }
  return EXIT_OK;
}

interface Preview {
  table: AgateTable;
  /** The query that ran: get_show_sql's. */
  sql: string;
  response: NodeResult['adapter_response'];
}

/** A preview's result in run_results.json, as dbt's ShowRunner returns it (compiled_code: the query that ran). */
function showResult(node: ManifestNode, started: Date, completed: Date, preview: Preview): NodeResult {
  return {
    unique_id: node.unique_id,
    status: 'success',
    timing: [{ name: 'execute', started_at: started.toISOString(), completed_at: completed.toISOString() }],
    thread_id: workerThreadName(1),
    execution_time: (completed.getTime() - started.getTime()) / 1000,
    adapter_response: preview.response,
    message: null,
    failures: null,
    compiled_code: preview.sql,
    relation_name: node.relation_name ?? null,
  };
}

/** The rows of `node`'s query, limited (dbt's get_show_sql), and that query. */
async function previewTable(project: LoadedProject, adapter: Adapter, compiler: Compiler, conn: Connection, node: ManifestNode, limitOption: number): Promise<Preview> {
  const compiled =
    node.resource_type === 'seed'
      ? `select * from ${compiler.relationOf(node).render()}`
      : (await compiler.withWarehouse(conn, node.unique_id, () => compiler.compile(node))).sql;
  const query = compiled.replace(/[\s;]+$/, '');
  const limit = limitOption >= 0 ? limitOption : null;
  const header = typeof node.config.sql_header === 'string' && node.config.sql_header.trim() !== '' ? node.config.sql_header.trim() : null;
  // dbt's get_show_sql: a project's replacement of it (or of get_limit_subquery_sql, or a
  // `<prefix>__get_limit_sql`, which dbt's get_limit_subquery_sql dispatches to) renders;
  // otherwise the adapter's limit builder wraps the query, with no template rendered.
  const scope = project.session.scope;
  const replaced = ['get_show_sql', 'get_limit_subquery_sql', 'get_limit_sql'].some((name) => scope.overrideOf(node.package_name, name) !== null);
  const sql = replaced
    ? String(await compiler.callMacro(conn, node, 'get_show_sql', [query, header, limit]))
    : `${header === null ? '' : `${header}\n`}${limit === null ? query : adapter.sql.limit(query, limit)}`;
  const result = await conn.execute(sql, { nodeId: node.unique_id });
  return { table: AgateTable.fromQueryResult(result.columns, result.rows, adapter.rules), sql, response: adapterResponseDict(result.response) };
}

/** dbt's ShowNode event: the table as agate's print_table draws it, or its to_json rows under `--output json`. */
function printPreview(inv: Invocation, node: ManifestNode, table: AgateTable, inline: boolean, output: ShowOptions['output']): void {
  const name = previewName(node);
  const values = table.rows.map((row) => row.values());
  if (output === 'json') {
    const rows = values.map((r) => table.jsonRow(r));
    inv.logger.out(pyJson(inline ? { show: rows } : { node: name, show: rows }, 2));
    return;
  }
  const text = tableText(table.column_names, typeNamesOf(table), values, Infinity, 6, 20, 3).replace(/\n$/, '');
  inv.logger.info(inline ? 'Previewing inline node:' : `Previewing node '${name}':`, 'ShowNode', { node_name: name, unique_id: node.unique_id, is_inline: inline, preview: text });
  if (inv.logger.format !== 'json') inv.logger.out(text);
}
