// A dbt package hub on 127.0.0.1 (port 0) for the pytest harness, served from local git clones
// (TSDBT_GIT_MIRRORS, laid out as <owner>+<repo>/repo with the tags), so dbt-core's tests that name
// hub packages (`package: dbt-labs/dbt_utils`, `version: 1.1.1`) run without hub.getdbt.com.
// It answers dbt's hub API as dbt-core's registry client reads it: `/api/v1/<org>/<name>.json` with
// each version's project name, requirements (the tag's packages.yml), require-dbt-version and a
// tarball URL, which `git archive` of the tag serves; `/api/v1/index.json` lists the packages.
// Prints `http://127.0.0.1:<port>/` on its first line once listening.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(process.env.TSDBT_ROOT + '/package.json');
const YAML = require('yaml');

const mirrors = process.env.TSDBT_GIT_MIRRORS;
// Hub name -> the GitHub repository the hub builds it from; `moved` is the hub's redirect.
const PACKAGES = {
  'dbt-labs/dbt_utils': { repo: 'dbt-labs/dbt-utils' },
  'fishtown-analytics/dbt_utils': { repo: 'dbt-labs/dbt-utils', moved: ['dbt-labs', 'dbt_utils'] },
  'dbt-labs/audit_helper': { repo: 'dbt-labs/dbt-audit-helper' },
  'dbt-labs/codegen': { repo: 'dbt-labs/dbt-codegen' },
  'calogica/dbt_date': { repo: 'godatadriven/dbt-date' },
  'godatadriven/dbt_date': { repo: 'godatadriven/dbt-date' },
  'calogica/dbt_expectations': { repo: 'metaplane/dbt-expectations' },
  'fivetran/fivetran_utils': { repo: 'fivetran/dbt_fivetran_utils' },
  'dbt-labs/spark_utils': { repo: 'dbt-labs/spark-utils' },
  'snowplow/snowplow_utils': { repo: 'snowplow/dbt-snowplow-utils' },
  'snowplow/snowplow_web': { repo: 'snowplow/dbt-snowplow-web' },
  'snowplow/snowplow_unified': { repo: 'snowplow/dbt-snowplow-unified' },
  'dbt-labs/dbt_external_tables': { repo: 'dbt-labs/dbt-external-tables' },
  'elementary-data/elementary': { repo: 'elementary-data/dbt-data-reliability' },
};
// More, for a project run by hand: TSDBT_HUB_PACKAGES='<org>/<name>=<owner>/<repo> ...'.
for (const pair of (process.env.TSDBT_HUB_PACKAGES ?? '').split(/\s+/).filter(Boolean)) {
  const [name, repo] = pair.split('=');
  if (name && repo) PACKAGES[name] = { repo };
}

const gitDir = (repo) => path.join(mirrors, repo.replace('/', '+'), 'repo');
const git = (repo, args, encoding = 'utf8') => execFileSync('git', ['-C', gitDir(repo), ...args], { encoding, maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
const available = () => Object.keys(PACKAGES).filter((name) => existsSync(gitDir(PACKAGES[name].repo)));

function showAt(repo, tag, file) {
  try {
    return git(repo, ['show', `${tag}:${file}`]);
  } catch {
    return null;
  }
}

const indexes = new Map();
function packageIndex(name, base) {
  if (indexes.has(name)) return indexes.get(name);
  const { repo, moved } = PACKAGES[name];
  const versions = {};
  let latest = null;
  for (const tag of git(repo, ['tag', '-l']).split('\n').filter(Boolean)) {
    const version = tag.replace(/^v/, '');
    if (!/^\d+\.\d+\.\d+$/.test(version)) continue;
    // Some old tags repeat a key (godatadriven/dbt-date): read them as PyYAML does, the last one winning.
    const project = YAML.parse(showAt(repo, tag, 'dbt_project.yml') ?? 'null', { uniqueKeys: false }) ?? {};
    const packagesYml = YAML.parse(showAt(repo, tag, 'packages.yml') ?? 'null', { uniqueKeys: false }) ?? {};
    const requireDbt = project['require-dbt-version'];
    versions[version] = {
      id: `${name}/${version}`,
      name: project.name ?? name.split('/')[1],
      version,
      published_at: '2020-01-01T00:00:00Z',
      packages: (packagesYml.packages ?? []).filter((p) => p && typeof p === 'object' && 'package' in p),
      require_dbt_version: requireDbt === undefined ? [] : [].concat(requireDbt),
      works_with: [],
      _source: { type: 'github', url: `https://github.com/${repo}/tree/${tag}/`, readme: '' },
      downloads: { tarball: `${base}tarballs/${repo}/${tag}.tar.gz`, format: 'tgz', sha1: '' },
    };
    const [a, b, c] = version.split('.').map(Number);
    if (!latest || a * 1e6 + b * 1e3 + c > latest[0]) latest = [a * 1e6 + b * 1e3 + c, version];
  }
  const [namespace, pkgName] = name.split('/');
  const index = {
    name: pkgName,
    namespace,
    latest: latest?.[1] ?? null,
    versions,
    redirectnamespace: moved?.[0] ?? null,
    redirectname: moved?.[1] ?? null,
  };
  indexes.set(name, index);
  return index;
}

const server = createServer((req, res) => {
  const base = `http://${req.headers.host}/`;
  const url = new URL(req.url ?? '/', base);
  try {
    if (url.pathname === '/api/v1/index.json') return send(res, 200, JSON.stringify(available()));
    const api = /^\/api\/v1\/([^/]+\/[^/]+)\.json$/.exec(url.pathname);
    if (api) {
      const name = decodeURIComponent(api[1]);
      if (!available().includes(name)) return send(res, 404, 'not found');
      return send(res, 200, JSON.stringify(packageIndex(name, base)));
    }
    // Hub tarballs, and `tarball:` URLs run.sh maps here (TSDBT_TARBALL_MIRRORS): GitHub's
    // codeload.github.com/<owner>/<repo>/tar.gz/<ref> and github.com/<owner>/<repo>/archive/refs/tags/<ref>.tar.gz.
    const tarball =
      /^\/tarballs\/([^/]+\/[^/]+)\/([^/]+)\.tar\.gz$/.exec(url.pathname) ??
      /^\/codeload\/([^/]+\/[^/]+)\/tar\.gz\/([^/]+)$/.exec(url.pathname) ??
      /^\/github\/([^/]+\/[^/]+)\/archive\/refs\/tags\/([^/]+)\.tar\.gz$/.exec(url.pathname);
    if (tarball) {
      const [, repo, tag] = tarball;
      if (!existsSync(gitDir(repo))) return send(res, 404, 'not found');
      const body = git(repo, ['archive', '--format=tar.gz', `--prefix=${repo.split('/')[1]}-${tag}/`, tag, '--', '.', ...missingBlobs(repo, tag)], 'buffer');
      return send(res, 200, body, 'application/gzip');
    }
    send(res, 404, 'not found');
  } catch (err) {
    send(res, 500, String(err?.message ?? err));
  }
});

// A snapshot may lack a tag's largest files (a package's docs/manifest.json, a big seed): the
// archive leaves them out (`:!<path>`) instead of failing, as the package works without them.
function missingBlobs(repo, tag) {
  const entries = git(repo, ['ls-tree', '-r', tag]).split('\n').filter(Boolean).map((line) => {
    const [meta, file] = line.split('\t');
    return { type: meta.split(' ')[1], sha: meta.split(' ')[2], file };
  }).filter((e) => e.type === 'blob');
  const checked = execFileSync('git', ['-C', gitDir(repo), 'cat-file', '--batch-check'], { input: entries.map((e) => e.sha).join('\n') + '\n', encoding: 'utf8', maxBuffer: 64 << 20 });
  return checked.split('\n').filter(Boolean).flatMap((line, i) => (line.endsWith(' missing') ? [`:!${entries[i].file}`] : []));
}

function send(res, status, body, type = 'application/json') {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${server.address().port}/\n`);
});
// run.sh stops it (SIGTERM) when pytest ends.
