// `tsdbt docs serve`'s HTTP server. target/ also holds the embedded database's files, the parse
// cache, compiled SQL and logs, so the server serves only the docs site's own files (what
// docs/site-writer.ts writes), dbt's two docs artifacts, manifest.json and catalog.json, and the
// files `docs generate` copied from the project's asset-paths, by exact name from an allow-list
// made when the server starts: no request path is ever joined to a folder, so no `..`, encoded or
// not, and no absolute path can reach another file. Anything else is 404; methods other than
// GET and HEAD are 405.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { DOCS_SITE_FILES, STATIC_SITE_FILE } from '../docs/site-writer.js';
import { LOOPBACK, listenOn } from '../http/listen.js';

/** dbt's docs artifacts, which tools read from a docs server. */
const ARTIFACTS = ['manifest.json', 'catalog.json'] as const;

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json' };

/** The files served, by name (the URL path without its leading slash); `/` is index.html. */
export const SERVED_FILES: readonly string[] = [...DOCS_SITE_FILES, STATIC_SITE_FILE, ...ARTIFACTS];

export interface DocsServer {
  /** The port it listens on (the one asked for, or the one the system chose for 0). */
  readonly port: number;
  close(): Promise<void>;
}

/** The served file a request target names, or null (404); `assets` are the asset files' URL paths. */
export function servedFile(requestTarget: string, assets: ReadonlySet<string> = new Set()): string | null {
  // Only origin-form targets (`/name?query`); an absolute-form or `*` target names nothing here.
  if (!requestTarget.startsWith('/')) return null;
  const pathname = requestTarget.split(/[?#]/, 1)[0] ?? '';
  const name = pathname === '/' ? 'index.html' : pathname.slice(1);
  if (SERVED_FILES.includes(name)) return name;
  let decoded: string;
  try {
    decoded = decodeURIComponent(name); // an image's name may hold spaces
  } catch {
    return null;
  }
  return assets.has(decoded) ? decoded : null;
}

function handler(root: string, assets: ReadonlySet<string>): http.RequestListener {
  return (req, res) => {
    const headers = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    const name = servedFile(req.url ?? '/', assets);
    if (name === null) {
      res.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    readFile(path.join(root, name)).then(
      (body) => res.writeHead(200, { ...headers, 'content-type': TYPES[path.extname(name)] ?? 'application/octet-stream' }).end(req.method === 'HEAD' ? undefined : body),
      () => res.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end('not found\n'),
    );
  };
}

/**
 * Serves the docs site in `root` (a target folder) on `host` (127.0.0.1 unless given):`port` (0: any
 * free port), with the asset files listed (URL paths relative to `root`).
 */
export async function startDocsServer(root: string, port: number, host = LOOPBACK, assets: readonly string[] = []): Promise<DocsServer> {
  const server = http.createServer(handler(root, new Set(assets)));
  const bound = await listenOn(server, port, { serving: 'the docs site', portFlag: '--port' }, host);
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
