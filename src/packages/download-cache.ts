// The machine-wide cache of downloaded package tarballs, so a second project (or a second
// `deps` after dbt_packages/ was removed) does not download again: hub tarballs are kept as
// `hub/<org>/<name>/<version>.tar.gz` beside the sha1 the hub gave for them, tarball URLs as
// `url/<sha1 of the URL>.tar.gz`. A download whose sha1 differs from the hub's is refused and not
// kept. Files are written under a temporary name and renamed, so a killed download leaves nothing
// a later run would trust.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { HttpFailure, displayUrl, hostOf, httpGet, type NetworkSettings } from './http-client.js';

/** TSDBT_CACHE_DIR, else $XDG_CACHE_HOME/tsdbt/packages, else ~/.cache/tsdbt/packages. */
export function packageCacheDir(env: NodeJS.ProcessEnv): string {
  if (env.TSDBT_CACHE_DIR) return path.resolve(env.TSDBT_CACHE_DIR);
  const base = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(env.HOME || os.homedir(), '.cache');
  return path.join(base, 'tsdbt', 'packages');
}

export function sha1Of(data: Buffer | string): string {
  return createHash('sha1').update(data).digest('hex');
}

export interface TarballSource {
  /** Where to download it (may carry a token: never printed). */
  url: string;
  /** Where a mirror serves it (TSDBT_TARBALL_MIRRORS), downloaded instead of `url`; the cache keeps `url`'s key. */
  mirror?: string;
  /** The sha1 the hub gives, checked before anything is kept or unpacked. */
  sha1: string | null;
  /** Where it lives in the cache: `hub/dbt-labs/dbt_utils/1.3.0` (or null: keyed by the URL). */
  key: string | null;
  /** How messages name it: `dbt-labs/dbt_utils@1.3.0`. */
  label: string;
}

export class TarballCache {
  /** Downloads made (tests count them). */
  downloads = 0;

  constructor(
    readonly dir: string,
    private readonly settings: NetworkSettings,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  private fileFor(source: TarballSource): string {
    const key = source.key ?? `url/${sha1Of(source.url)}`;
    return path.join(this.dir, `${key}.tar.gz`);
  }

  /** The cached file for `source` if it is there and intact, else null (no network). */
  cached(source: TarballSource): string | null {
    const file = this.fileFor(source);
    if (!existsSync(file)) return null;
    const expected = source.sha1 ?? (existsSync(`${file}.sha1`) ? readFileSync(`${file}.sha1`, 'utf8').trim() : null);
    if (expected && sha1Of(readFileSync(file)) !== expected) return null;
    return file;
  }

  /** The tarball's path in the cache, downloading it first when it is not there. */
  async fetch(source: TarballSource): Promise<string> {
    const hit = this.cached(source);
    if (hit) return hit;
    const file = this.fileFor(source);
    let body: Buffer;
    try {
      this.downloads++;
      body = await httpGet(source.mirror ?? source.url, {
        settings: this.settings,
        onSlow: (bytes) => this.log(`  Downloading ${source.label}${bytes ? ` (${(bytes / 1_000_000).toFixed(1)} MB)` : ''}`),
      });
    } catch (err) {
      if (!(err instanceof HttpFailure)) throw err;
      throw new TsdbtError(`could not download ${source.label} from ${hostOf(source.mirror ?? source.url)} (${err.message}): ${displayUrl(source.mirror ?? source.url)}`, {
        code: err.status === 404 ? 'package-download-missing' : 'package-download-failed',
        hint: err.status === 404 ? 'the URL names no file: check it, or run `tsdbt deps --upgrade` if the hub moved the package' : 'check the network and run `tsdbt deps` again; offline, vendor the package as `- local: <folder>`',
        retriable: err.status === undefined || err.status >= 500,
      });
    }
    const actual = sha1Of(body);
    if (source.sha1 && actual !== source.sha1) {
      throw new TsdbtError(`the download of ${source.label} from ${hostOf(source.url)} is corrupt: its sha1 is ${actual}, the hub says ${source.sha1}; nothing was installed`, {
        code: 'package-checksum-mismatch',
        hint: 'run `tsdbt deps` again (a proxy or a broken mirror may have changed the file); if it persists, tell the package hub',
      });
    }
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, body);
    writeFileSync(`${file}.sha1`, `${actual}\n`);
    try {
      renameSync(tmp, file);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
    return file;
  }
}
