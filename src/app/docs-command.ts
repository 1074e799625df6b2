// `tsdbt docs generate`: target/manifest.json (with compiled SQL unless --no-compile),
// target/catalog.json read from the warehouse (empty with --empty-catalog), and the static docs
// site (target/index.html and its assets). `tsdbt docs serve` serves target/ on 127.0.0.1.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { dialectFor } from '../adapters/index.js';
import { readCatalog, writeCatalog, type Catalog } from '../artifacts/catalog-writer.js';
import { writeProjectManifest } from '../artifacts/manifest-writer.js';
import { projectLineage } from '../docs/column-lineage.js';
import { buildSiteData } from '../docs/site-data.js';
import { writeDocsSite } from '../docs/site-writer.js';
import { EXIT_OK } from '../errors/exit-codes.js';
import { TsdbtError, asTsdbtError } from '../errors/tsdbt-error.js';
import { Compiler } from '../execution/compiler.js';
import { listenOnLoopback } from '../http/listen.js';
import { openAdapter } from './execute-plan.js';
import type { Invocation } from './invocation.js';
import { loadProject } from './project-loader.js';

export interface DocsGenerateOptions {
  /** false: `--no-compile` (the manifest and the site show raw SQL only). */
  compile: boolean;
  /** `--empty-catalog`: do not read the warehouse. */
  emptyCatalog: boolean;
}

function lastRunResults(targetDir: string): { unique_id: string; status: string; execution_time: number; message: string | null }[] {
  const file = path.join(targetDir, 'run_results.json');
  if (!existsSync(file)) return [];
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { results?: { unique_id: string; status: string; execution_time: number; message: string | null }[] }).results ?? [];
  } catch {
    return [];
  }
}

export async function docsGenerateCommand(inv: Invocation, options: DocsGenerateOptions): Promise<number> {
  const { logger } = inv;
  const project = loadProject(inv);
  const { manifest, refs } = project.parsed;
  if (options.compile) {
    const compiler = new Compiler(project.session, manifest, refs, dialectFor(project.target).sql);
    const nodes = Object.values(manifest.nodes).filter((n) => n.resource_type !== 'seed' && n.resource_type !== 'unit_test');
    compiler.prepare(nodes);
    for (const node of nodes) {
      try {
        node.compiled_code = compiler.compile(node).sql;
      } catch (err) {
        // A template that needs the warehouse while rendering (run_query...) keeps its raw SQL.
        logger.warn(`${node.original_file_path}: not compiled for the docs: ${asTsdbtError(err).headline()}`);
      }
    }
  }
  let catalog: Catalog = { nodes: {}, sources: {} };
  if (!options.emptyCatalog) {
    const adapter = await openAdapter(inv, project);
    try {
      catalog = await readCatalog(adapter, manifest);
    } finally {
      await adapter.close();
    }
  }
  // Column lineage goes into the manifest under `tsdbt.column_lineage` (dbt has no such key).
  const lineage = options.compile ? projectLineage(manifest, catalog, dialectFor(project.target).sql.sqlParserDialect) : {};
  await writeProjectManifest(inv, project, { column_lineage: lineage });
  await writeCatalog(catalog, { targetDir: project.targetDir, invocationId: inv.invocationId, generatedAt: inv.now(), env: inv.env });
  logger.info(`Catalog written to ${path.join(project.targetDir, 'catalog.json')} (${Object.keys(catalog.nodes).length} nodes, ${Object.keys(catalog.sources).length} sources)`);
  await writeDocsSite(project.targetDir, await buildSiteData(manifest, catalog, lastRunResults(project.targetDir), inv.now(), lineage));
  logger.info(`Docs site written to ${path.join(project.targetDir, 'index.html')} (open it from disk, or run tsdbt docs serve)`);
  return EXIT_OK;
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.png': 'image/png' };

/** Serves target/ on 127.0.0.1:`port` until Ctrl-C. */
export async function docsServeCommand(inv: Invocation, port: number, onListening?: (port: number) => void): Promise<number> {
  const project = loadProject(inv);
  const root = project.targetDir;
  if (!existsSync(path.join(root, 'index.html'))) throw new TsdbtError(`no docs site in ${root}`, { code: 'docs-missing', hint: 'run tsdbt docs generate first' });
  const server = http.createServer((req, res) => {
    const wanted = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    const file = path.resolve(root, `.${wanted === '/' ? '/index.html' : wanted}`);
    if (!file.startsWith(root + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end('not found\n'),
    );
  });
  const bound = await listenOnLoopback(server, port, { serving: 'the docs site', portFlag: '--port' });
  inv.logger.info(`Serving docs at http://127.0.0.1:${bound} (Ctrl-C stops)`);
  onListening?.(bound);
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return EXIT_OK;
}
