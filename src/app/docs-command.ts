// `tsdbt docs generate`: target/manifest.json with compiled SQL, target/compiled's files and the
// compile step's run_results.json (none with --no-compile, as dbt's; only the selected nodes compiled
// with --select; a node that does not compile stops the command, as dbt's), target/catalog.json read from the
// warehouse (empty with --empty-catalog, the selected nodes and sources with --select), and the static docs
// site (target/index.html and its assets; with --static also target/static_index.html, the site
// in one file) showing the last run's results and source freshness found in target/. `tsdbt docs serve` serves the site's files (and only
// them, docs-server.ts) on 127.0.0.1.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Adapter } from '../adapters/adapter.js';
import { dialectFor } from '../adapters/index.js';
import { readCatalog, writeCatalog, type Catalog } from '../artifacts/catalog-writer.js';
import { writeColumnLineage } from '../artifacts/column-lineage-writer.js';
import { writeProjectManifest } from '../artifacts/manifest-writer.js';
import type { ModelLineage } from '../docs/column-lineage.js';
import { LineageTracer } from '../docs/lineage-tracer.js';
import { addLineage, buildSiteData, type FreshnessEntry, type LastRun, type RunResultEntry } from '../docs/site-data.js';
import { STATIC_SITE_FILE, writeSiteEntries, writeSitePages } from '../docs/site-writer.js';
import { EXIT_OK } from '../errors/exit-codes.js';
import { TsdbtError, asTsdbtError, hasErrorCode, throwCollected } from '../errors/tsdbt-error.js';
import { Compiler } from '../compile/compiler.js';
import { connectTemplates } from '../jinja/dbt/warehouse-calls.js';
import type { ManifestNode } from '../manifest/types.js';
import { nodeRefOf } from '../manifest/node-ref.js';
import type { NodeResult } from '../manifest/results.js';
import { slowProgress, slowStepAfterMs } from '../time/slow-step.js';
import { startDocsServer } from './docs-server.js';
import { copyAssetPaths, listAssetFiles } from '../docs/asset-paths.js';
import { catalogFromMacro, catalogMacroName, selectedRelationCount } from './catalog-macro.js';
import { openAdapter, writeCommandRunResults } from './execute-plan.js';
import { compileResult, printNamedNodes } from './compile-command.js';
import type { Invocation } from './invocation.js';
import { loadProject } from './project-loader.js';
import { selectForInvocation } from './select.js';
import { DocsCompiledFiles } from './docs-compiled-files.js';
import { writeGraphSummary } from '../artifacts/graph-summary.js';
import { announceNodes } from './concurrency-line.js';
import { announceTarget } from './commands.js';

export interface DocsGenerateOptions {
  /** false: `--no-compile` (the manifest and the site show raw SQL only). */
  compile: boolean;
  /** `--empty-catalog`: do not read the warehouse. */
  emptyCatalog: boolean;
  /** `--static`: also write target/static_index.html, the whole site in one file. */
  static?: boolean;
}

/**
 * An artifact's `results` and `metadata.generated_at`, or nothing when it is missing or unreadable,
 * or when it was written by one of the commands `skip` names (its `args.which`).
 */
function readResults<T>(file: string, skip: readonly string[] = []): { results: T[]; generatedAt: string | null } {
  if (!existsSync(file)) return { results: [], generatedAt: null };
  try {
    const json = JSON.parse(readFileSync(file, 'utf8')) as { results?: T[]; metadata?: { generated_at?: string }; args?: { which?: unknown } };
    if (skip.includes(String(json.args?.which))) return { results: [], generatedAt: null };
    return { results: Array.isArray(json.results) ? json.results : [], generatedAt: json.metadata?.generated_at ?? null };
  } catch {
    return { results: [], generatedAt: null };
  }
}

/**
 * What the last run left in target/: node results (run_results.json) and source freshness
 * (sources.json). A compile's results are no run's: those of `compile` and of `docs generate`
 * itself (whose compile step writes run_results.json, as dbt's) are not shown.
 */
export function lastRun(targetDir: string): LastRun {
  const run = readResults<RunResultEntry>(path.join(targetDir, 'run_results.json'), ['compile', 'generate']);
  const freshness = readResults<FreshnessEntry>(path.join(targetDir, 'sources.json'));
  return { results: run.results, generatedAt: run.generatedAt, freshness: freshness.results, freshnessGeneratedAt: freshness.generatedAt };
}

/**
 * The nodes and sources `--select` / `--exclude` / `--selector` pick, or null when none is given.
 * dbt's docs generate compiles only the selected nodes and reads only them and the selected
 * sources into catalog.json; the manifest and the site still hold every node.
 */
function docsSelection(inv: Invocation, project: ReturnType<typeof loadProject>): ReadonlySet<string> | null {
  const { select, exclude, selector } = inv.options;
  const given = [...(select ?? []), ...(exclude ?? [])].some((s) => s.trim() !== '') || selector !== undefined;
  return given ? selectForInvocation(inv, project.parsed.manifest, project.parsed.dag, project) : null;
}

export async function docsGenerateCommand(inv: Invocation, options: DocsGenerateOptions): Promise<number> {
  const { logger } = inv;
  const project = loadProject(inv, { compilesAll: options.compile });
  const { manifest, refs } = project.parsed;
  // Column lineage (traced from the compiled SQL): its worker thread starts now, so that its start
  // and the SQL parser's load are done while this one compiles (lineage-tracer.ts).
  const tracer = options.compile ? new LineageTracer({ parserDialect: dialectFor(project.target).sql.sqlParserDialect, targetDir: project.targetDir }) : null;
  // "A line whenever something takes more than two seconds": each phase says where it is.
  const progress = slowProgress((text) => logger.info(`Generating the docs: ${text}`, 'DocsProgress'), { afterMs: slowStepAfterMs(inv.env) });
  // target/compiled's files, written while the command goes on (dbt's compile writes them; --no-compile none).
  let files: DocsCompiledFiles | null = null;
  try {
    if (options.compile) await writeGraphSummary(project.targetDir, manifest, inv.invocationId);
    const selected = docsSelection(inv, project);
    // Renders read the command as dbt names it (Command.DOCS_GENERATE), and what it compiles.
    project.session.setSelection('generate', selected ?? Object.keys(manifest.nodes));
    // Compiled without a connection first; a node whose render asks the warehouse (an incremental
    // model's is_incremental(), run_query...) is compiled again once it is open, as dbt's docs
    // generate compiles connected.
    const needWarehouse: ManifestNode[] = [];
    // The compile step's results, as dbt's CompileTask.run records them in run_results.json: each
    // compiled node's, seeds' too (a success without SQL); an ephemeral model's never (its
    // _handle_result keeps those for `dbt compile --select` only).
    const compiled: ManifestNode[] = [];
    const results = new Map<string, NodeResult>();
    const errors: TsdbtError[] = [];
    const compileStarted = performance.now();
    const succeeded = (node: ManifestNode, started: Date) => {
      files?.write(node);
      if (node.config.materialized !== 'ephemeral') results.set(node.unique_id, compileResult(node, started, inv.now(), { status: 'success', message: null, compiled_code: node.compiled_code ?? null }));
    };
    const failed = (node: ManifestNode, err: unknown) => {
      const error = asTsdbtError(err).inNode(nodeRefOf(node));
      error.location ??= { file: node.original_file_path };
      errors.push(error);
    };
    if (options.compile) {
      // dbt's GenerateTask compiles as its CompileTask does: the FoundStats line, then NothingToDo or the ConcurrencyLine.
      announceTarget(inv, project);
      compiled.push(...Object.values(manifest.nodes).filter((n) => n.resource_type !== 'unit_test' && (selected?.has(n.unique_id) ?? true)));
      announceNodes(logger, project.target, compiled.length);
      const compiler = new Compiler(project.session, manifest, refs, dialectFor(project.target).sql);
      const nodes = compiled.filter((n) => n.resource_type !== 'seed');
      for (const seed of compiled) if (seed.resource_type === 'seed') results.set(seed.unique_id, compileResult(seed, inv.now(), inv.now(), { status: 'success', message: null, compiled_code: null }));
      compiler.prepare(nodes);
      files = new DocsCompiledFiles([project.targetDir, project.config.targetPath], nodes.length);
      nodes.forEach((node, i) => {
        progress.update(`compiling ${i + 1} of ${nodes.length} nodes`);
        const started = inv.now();
        try {
          node.compiled_code = compiler.compile(node).sql;
        } catch (err) {
          if (hasErrorCode(err, 'warehouse-unavailable')) needWarehouse.push(node);
          else failed(node, err);
          return;
        }
        succeeded(node, started);
      });
    }
    // dbt's compile step raises at a node that does not compile (CompileTask.raise_on_first_error):
    // the command stops there (exit 2) with the files of the nodes compiled so far in
    // target/compiled, and writes nothing else (no run_results.json, manifest.json, catalog.json
    // nor index.html). Here every node is compiled first, and each error reported.
    const compileDone = async () => {
      if (errors.length > 0) {
        await files?.close().catch(() => undefined);
        throwCollected(errors);
      }
      // Its task_end_messages: the compiled code of each node the first --select names.
      printNamedNodes(inv, compiled, results, 'text');
    };
    if (errors.length > 0 || needWarehouse.length === 0) await compileDone();
    let catalog: Catalog = { nodes: {}, sources: {} };
    // Column lineage goes into target/column_lineage.json (tsdbt's own artifact; dbt has none).
    // Traced again only where a model's SQL or its upstream columns changed since the last time,
    // on a worker thread while this one goes on (lineage-tracer.ts); it needs the catalog.
    const readsWarehouse = !options.emptyCatalog || needWarehouse.length > 0;
    const startLineage = (): Promise<Record<string, ModelLineage>> => {
      if (!tracer) return Promise.resolve({});
      progress.update('tracing column lineage');
      return tracer.trace(manifest, catalog, (done, count) => progress.update(`tracing column lineage: ${done} of ${count} models`));
    };
    let tracing = readsWarehouse ? null : startLineage();
    // Awaited below; a failure before then must not also be an unhandled rejection.
    tracing?.catch(() => undefined);
    // The code of the templates compiled here, for the next run (as `tsdbt compile` keeps it).
    if (options.compile) project.session.jinja.saveCode();
    if (readsWarehouse) {
      progress.update('opening the warehouse');
      const adapter = await openAdapter(inv, project);
      try {
        if (needWarehouse.length > 0) {
          await compileConnected(project, adapter, needWarehouse, (text) => logger.out(text), succeeded, failed, () => inv.now());
          await compileDone();
        }
        if (!options.emptyCatalog) {
          // dbt's BuildingCatalog, before it reads the warehouse's catalog (task/docs/generate.py).
          logger.info('Building catalog', 'BuildingCatalog');
          // A project's or package's get_catalog_relations / get_catalog replaces the native read, as
          // dbt's adapter runs them by name (catalog-macro.ts).
          const macro = catalogMacroName({ compiled: options.compile, relationCount: selectedRelationCount(manifest, selected ?? undefined), byRelations: adapter.capabilities.metadataByRelations === true });
          if (project.session.scope.overrideOf(project.config.name, macro) !== null) {
            progress.update(`reading the catalog through ${macro}`);
            const compiler = new Compiler(project.session, manifest, refs, adapter.sql, connectTemplates(project.session, adapter, (text) => logger.out(text)));
            catalog = await catalogFromMacro({ compiler, adapter, manifest, rootProject: project.config.name, macro, ...(selected ? { only: selected } : {}) });
          } else catalog = await readCatalog(adapter, manifest, (schema, i, count) => progress.update(`reading the catalog of schema ${schema} (${i + 1} of ${count})`), selected ?? undefined);
        }
      } finally {
        await adapter.close();
      }
    }
    tracing ??= startLineage();
    // The site but for its pages (which show each model's lineage) while the lineage is traced.
    const site = buildSiteData(manifest, catalog, lastRun(project.targetDir), inv.now());
    const entries = await writeSiteEntries(project.targetDir, site);
    // The compile step's run_results.json (dbt's CompileTask.run writes it before the catalog is
    // read; nothing reads it here), written while the lineage is traced on the worker thread.
    if (options.compile) await writeCommandRunResults(inv, project, compiled.flatMap((node) => results.get(node.unique_id) ?? []), (performance.now() - compileStarted) / 1000, 'generate', inv.options, { compile: true, empty_catalog: options.emptyCatalog, static: options.static === true });
    // dbt's docs generate writes manifest.json only when it compiled (`--no-compile` leaves none:
    // requires.manifest(write=False); dbt-tests-adapter's test_run_and_generate_no_compile).
    // Neither it nor catalog.json shows the lineage: both are written while the worker traces it
    // (the main thread waited for the worker here before writing them).
    progress.update(options.compile ? 'writing manifest.json and catalog.json' : 'writing catalog.json');
    if (options.compile) await writeProjectManifest(inv, project);
    await writeCatalog(catalog, { targetDir: project.targetDir, invocationId: inv.invocationId, generatedAt: inv.now(), env: inv.env, startedAt: inv.startedAt });
    logger.info(`Catalog written to ${path.join(project.targetDir, 'catalog.json')} (${Object.keys(catalog.nodes).length} nodes, ${Object.keys(catalog.sources).length} sources)`);
    if (tracer) progress.update('tracing column lineage');
    const lineage = await tracing;
    addLineage(site, lineage);
    if (options.compile) await writeColumnLineage(lineage, { targetDir: project.targetDir, invocationId: inv.invocationId, generatedAt: inv.now() });
    progress.update('writing the site');
    await writeSitePages(project.targetDir, site, entries, { static: options.static });
    for (const refused of copyAssetPaths(project.config.projectDir, project.targetDir, project.config.assetPaths)) {
      logger.warn(`dbt_project.yml: asset-paths entry '${refused}' is not a folder inside the project; not copied`, 'AssetPathRefused');
    }
    // target/compiled's files are awaited last: their thread creates them while this one writes
    // manifest.json (which names them), catalog.json and the site. Creating 15,000 files takes
    // longer than all that on this machine's ext4 (each create passes over the inodes freed in the
    // last minutes): a 5,000-model generate waited here for the writer before writing the manifest.
    progress.update('writing the compiled files');
    await files?.close();
  } finally {
    files?.abandon();
    tracer?.cancel();
    progress.stop();
  }
  logger.info(`Docs site written to ${path.join(project.targetDir, 'index.html')} (open it from disk, or run tsdbt docs serve)`);
  if (options.static) logger.info(`Docs site in one file: ${path.join(project.targetDir, STATIC_SITE_FILE)} (to share by mail or object storage)`);
  return EXIT_OK;
}

/** Compiles `nodes` with the warehouse open (their renders ask it something). */
async function compileConnected(project: ReturnType<typeof loadProject>, adapter: Adapter, nodes: ManifestNode[], printed: (text: string) => void, compiled: (node: ManifestNode, started: Date) => void, failed: (node: ManifestNode, err: unknown) => void, now: () => Date): Promise<void> {
  const renders = connectTemplates(project.session, adapter, printed);
  const compiler = new Compiler(project.session, project.parsed.manifest, project.parsed.refs, adapter.sql, renders);
  await adapter.withConnection(async (conn) => {
    for (const node of nodes) {
      const started = now();
      try {
        node.compiled_code = (await compiler.withWarehouse(conn, node.unique_id, () => compiler.compile(node))).sql;
      } catch (err) {
        failed(node, err);
        continue;
      }
      compiled(node, started);
    }
  });
}

/** Serves the docs site of target/ on `host`:`port` until Ctrl-C (see docs-server.ts for what it serves). */
export async function docsServeCommand(inv: Invocation, { port, host }: { port: number; host: string }, onListening?: (port: number) => void): Promise<number> {
  const project = loadProject(inv);
  const root = project.targetDir;
  if (!existsSync(path.join(root, 'index.html'))) throw new TsdbtError(`no docs site in ${root}`, { code: 'docs-missing', hint: 'run tsdbt docs generate first' });
  const server = await startDocsServer(root, port, host, listAssetFiles(root, project.config.assetPaths));
  // A wildcard address is not one a browser can open: the loopback one is printed for it.
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  inv.logger.info(`Serving docs at http://${shown}:${server.port} (Ctrl-C stops)`);
  onListening?.(server.port);
  await new Promise<void>((resolve) => {
    const stop = () => void server.close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return EXIT_OK;
}
