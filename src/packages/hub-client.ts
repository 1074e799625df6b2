// The dbt package hub's API, as dbt-core's registry client reads it: `GET <hub>/api/v1/<org>/<name>.json`
// is a package's index, `{name, namespace, versions: {"1.3.0": {name, packages, downloads:
// {tarball, sha1}, require_dbt_version}}}`; `name` of a version is the package's project name and
// `packages` its own requirements. Each index is fetched once per command. dbt also fetches
// `/api/v1/index.json` (every package on the hub) to say "not found"; a 404 on the package's own
// index says the same without downloading the whole list.
import { TsdbtError } from '../errors/tsdbt-error.js';
import { DEFAULT_NETWORK, HttpFailure, displayUrl, hostOf, httpGet, type NetworkSettings } from './http-client.js';

export const DEFAULT_HUB_URL = 'https://hub.getdbt.com/';

export interface HubVersion {
  version: string;
  /** The package's project name (its install folder). */
  name: string;
  /** Its own requirements, as packages.yml entries. */
  packages: Record<string, unknown>[];
  tarball: string;
  sha1: string | null;
  requireDbtVersion: string[];
}

export interface HubPackage {
  package: string;
  versions: Map<string, HubVersion>;
  /** Set when the hub says the package moved (dbt's package-redirect warning). */
  redirect: string | null;
}

/** The hub's base URL: TSDBT_PACKAGE_HUB_URL, else dbt's DBT_PACKAGE_HUB_URL, else hub.getdbt.com. */
export function hubUrl(env: NodeJS.ProcessEnv): string {
  const raw = env.TSDBT_PACKAGE_HUB_URL || env.DBT_PACKAGE_HUB_URL || DEFAULT_HUB_URL;
  return raw.endsWith('/') ? raw : `${raw}/`;
}

export function offlineHint(): string {
  return 'check the network (or TSDBT_PACKAGE_HUB_URL / DBT_PACKAGE_HUB_URL if you use a mirror); offline, keep package-lock.yml with the packages installed or in the download cache, or vendor the package: download it where the network allows and list its folder as `- local: <folder>` in packages.yml';
}

function invalid(pkg: string, url: string, what: string): TsdbtError {
  return new TsdbtError(`the package hub's answer for ${pkg} is not a package index: ${what}`, {
    code: 'hub-response-invalid',
    hint: `check that ${displayUrl(url)} serves dbt's hub API (TSDBT_PACKAGE_HUB_URL / DBT_PACKAGE_HUB_URL set to the hub's base URL)`,
  });
}

function readVersion(pkg: string, url: string, key: string, raw: unknown): HubVersion {
  if (typeof raw !== 'object' || raw === null) throw invalid(pkg, url, `version ${key} is not an object`);
  const v = raw as Record<string, unknown>;
  const downloads = v.downloads as Record<string, unknown> | undefined;
  if (typeof v.name !== 'string' || !Array.isArray(v.packages) || typeof downloads?.tarball !== 'string') {
    throw invalid(pkg, url, `version ${key} lacks name, packages or downloads.tarball`);
  }
  const require = v.require_dbt_version;
  return {
    version: key,
    name: v.name,
    packages: v.packages.filter((p): p is Record<string, unknown> => typeof p === 'object' && p !== null),
    tarball: downloads.tarball,
    sha1: typeof downloads.sha1 === 'string' && downloads.sha1 !== '' ? downloads.sha1.toLowerCase() : null,
    requireDbtVersion: Array.isArray(require) ? require.map(String) : typeof require === 'string' && require !== '' ? [require] : [],
  };
}

export class HubClient {
  private readonly cache = new Map<string, Promise<HubPackage>>();
  /** How many requests went to the hub (tests and `--debug`). */
  requests = 0;

  constructor(
    readonly baseUrl: string,
    private readonly settings: NetworkSettings = DEFAULT_NETWORK,
    private readonly debug: (line: string) => void = () => undefined,
  ) {}

  get host(): string {
    return hostOf(this.baseUrl);
  }

  indexUrl(pkg: string): string {
    return `${this.baseUrl}api/v1/${pkg}.json`;
  }

  /** A package's index; a package missing from the hub, or a hub that does not answer, is a TsdbtError. */
  packageIndex(pkg: string): Promise<HubPackage> {
    let found = this.cache.get(pkg);
    if (!found) {
      found = this.fetchIndex(pkg);
      this.cache.set(pkg, found);
    }
    return found;
  }

  private async fetchIndex(pkg: string): Promise<HubPackage> {
    const url = this.indexUrl(pkg);
    this.debug(`Making package registry request: GET ${displayUrl(url)}`);
    let body: Buffer;
    try {
      this.requests++;
      body = await httpGet(url, { settings: this.settings, onRetry: (n, why) => this.debug(`Retrying ${displayUrl(url)} (attempt ${n + 1}): ${why}`) });
    } catch (err) {
      if (err instanceof HttpFailure && err.status === 404) {
        throw new TsdbtError(`package ${pkg} was not found on the package hub (${this.host})`, {
          code: 'package-not-found',
          hint: 'check the name on hub.getdbt.com: hub packages are written `org/name`, e.g. dbt-labs/dbt_utils',
        });
      }
      if (err instanceof HttpFailure) {
        throw new TsdbtError(`the package hub ${this.host} did not answer for ${pkg} (${err.message}) after ${this.settings.retries + 1} attempt(s): GET ${displayUrl(url)}`, {
          code: 'hub-unreachable',
          hint: offlineHint(),
          retriable: true,
        });
      }
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw invalid(pkg, url, 'it is not JSON');
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalid(pkg, url, 'it is not an object');
    const top = json as Record<string, unknown>;
    if (typeof top.versions !== 'object' || top.versions === null) throw invalid(pkg, url, 'it has no `versions`');
    const versions = new Map<string, HubVersion>();
    for (const [key, raw] of Object.entries(top.versions as Record<string, unknown>)) versions.set(key, readVersion(pkg, url, key, raw));
    const moved = typeof top.redirectnamespace === 'string' || typeof top.redirectname === 'string';
    const redirect = moved ? `${String(top.redirectnamespace ?? top.namespace)}/${String(top.redirectname ?? top.name)}` : null;
    return { package: pkg, versions, redirect };
  }
}
