// A dbt package hub on 127.0.0.1 (port 0) for `tsdbt deps` tests: it serves the hub API dbt reads
// (`/api/v1/<org>/<name>.json` with each version's requirements, tarball URL and sha1) and the
// .tar.gz files, which it builds with tar from small fixture packages (a dbt_project.yml and a
// macro). It also serves any folder as static files (a bare git repository over git's "dumb" HTTP
// protocol), optionally behind basic auth. Every request is recorded, so tests count downloads.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { create } from 'tar';

export interface FixtureVersion {
  /** `org/name` on the hub. */
  package: string;
  version: string;
  /** The project name in its dbt_project.yml (default: the hub name). */
  projectName?: string;
  /** Its own requirements (the hub's `packages`). */
  requires?: { package: string; version: string | string[] }[];
  /** Extra files (path → text) besides dbt_project.yml. */
  files?: Record<string, string>;
  require_dbt_version?: string | string[];
}

interface Served {
  meta: Record<string, unknown>;
  body: Buffer;
}

/** A .tar.gz holding one folder `<folder>/` with `files`. */
export async function buildTarball(folder: string, files: Record<string, string>): Promise<Buffer> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-hub-tar-'));
  try {
    for (const [rel, text] of Object.entries(files)) {
      const file = path.join(work, folder, rel);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    const out = path.join(work, 'out.tar.gz');
    await create({ gzip: true, cwd: work, file: out, portable: true }, [folder]);
    return readFileSync(out);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export class PackageHub {
  /** Request paths, in order. */
  readonly requests: string[] = [];
  private readonly packages = new Map<string, Map<string, Served>>();
  private readonly files = new Map<string, Buffer>();
  private readonly statics = new Map<string, { dir: string; auth?: string }>();
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<PackageHub> {
    let hub: PackageHub | null = null;
    const server = createServer((req, res) => hub!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    hub = new PackageHub(server, `http://127.0.0.1:${port}/`);
    return hub;
  }

  get host(): string {
    return new URL(this.url).host;
  }

  /** How many requests asked for a path starting with `prefix`. */
  count(prefix: string): number {
    return this.requests.filter((r) => r.startsWith(prefix)).length;
  }

  tarballUrl(pkg: string, version: string): string {
    return `${this.url}tarballs/${pkg}/${version}.tar.gz`;
  }

  /** Publishes one version of a package (its tarball built from a dbt_project.yml and its files). */
  async publish(v: FixtureVersion): Promise<void> {
    const projectName = v.projectName ?? v.package.split('/')[1]!;
    const body = await buildTarball(`${projectName}-${v.version}`, {
      'dbt_project.yml': `name: ${projectName}\nversion: '${v.version}'\nconfig-version: 2\n`,
      ...v.files,
    });
    const meta: Record<string, unknown> = {
      id: `${v.package}/${v.version}`,
      name: projectName,
      version: v.version,
      published_at: '2026-01-01T00:00:00Z',
      packages: v.requires ?? [],
      works_with: [],
      _source: { type: 'github', url: `https://github.com/${v.package}/tree/${v.version}/`, readme: '' },
      downloads: { tarball: this.tarballUrl(v.package, v.version), format: 'tgz', sha1: createHash('sha1').update(body).digest('hex') },
      ...(v.require_dbt_version ? { require_dbt_version: v.require_dbt_version } : {}),
    };
    const versions = this.packages.get(v.package) ?? new Map<string, Served>();
    versions.set(v.version, { meta, body });
    this.packages.set(v.package, versions);
  }

  /** Serves other bytes than the hub's sha1 says for this version (a damaged download). */
  corrupt(pkg: string, version: string): void {
    const served = this.packages.get(pkg)!.get(version)!;
    const body = Buffer.from(served.body);
    body[body.length - 10] = body[body.length - 10]! ^ 0xff;
    served.body = body;
  }

  /** Serves `body` at `/files/<name>`; returns its URL. */
  serveFile(name: string, body: Buffer): string {
    this.files.set(name, body);
    return `${this.url}files/${name}`;
  }

  /** Serves a folder's files under `/static/<name>/` (basic auth `user:password` when given); returns its URL. */
  serveFolder(name: string, dir: string, auth?: string): string {
    this.statics.set(name, { dir, auth });
    return `${this.url}static/${name}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push(url.pathname);
    const send = (status: number, body: Buffer | string, type = 'application/octet-stream') => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    const index = /^\/api\/v1\/([^/]+\/[^/]+)\.json$/.exec(url.pathname);
    if (index) {
      const versions = this.packages.get(index[1]!);
      if (!versions) return send(404, '{"error": "not found"}', 'application/json');
      const [org, name] = index[1]!.split('/');
      const list = [...versions.keys()];
      const json = { name, namespace: org, latest: list[list.length - 1], versions: Object.fromEntries([...versions].map(([k, s]) => [k, s.meta])) };
      return send(200, JSON.stringify(json), 'application/json');
    }
    const tarball = /^\/tarballs\/([^/]+\/[^/]+)\/(.+)\.tar\.gz$/.exec(url.pathname);
    if (tarball) {
      const served = this.packages.get(tarball[1]!)?.get(tarball[2]!);
      return served ? send(200, served.body, 'application/gzip') : send(404, 'not found', 'text/plain');
    }
    const file = /^\/files\/(.+)$/.exec(url.pathname);
    if (file) {
      const body = this.files.get(file[1]!);
      return body ? send(200, body) : send(404, 'not found', 'text/plain');
    }
    const stat = /^\/static\/([^/]+)\/(.*)$/.exec(url.pathname);
    if (stat) {
      const folder = this.statics.get(stat[1]!);
      if (!folder) return send(404, 'not found', 'text/plain');
      if (folder.auth && req.headers.authorization !== `Basic ${Buffer.from(folder.auth).toString('base64')}`) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="git"', 'content-length': 0 });
        return void res.end();
      }
      const target = path.resolve(folder.dir, stat[2]!);
      if (!target.startsWith(folder.dir + path.sep)) return send(404, 'not found', 'text/plain');
      try {
        if (!statSync(target).isFile()) return send(404, 'not found', 'text/plain');
        return send(200, readFileSync(target));
      } catch {
        return send(404, 'not found', 'text/plain');
      }
    }
    send(404, 'not found', 'text/plain');
  }
}
