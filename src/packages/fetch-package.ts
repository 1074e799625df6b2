// Brings one package's files onto the machine, into a scratch folder beside the install folder:
// a hub or tarball package from the download cache (downloading and checking it first when it is
// not there), a git package checked out at its revision, a local package found where packages.yml
// says. Nothing is placed in dbt_packages/ here, so a failure leaves the install folder as it was.
import { existsSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { isPlainObject, readYamlFile } from '../config/yaml-file.js';
import type { TarballCache } from './download-cache.js';
import { checkoutGit } from './git-checkout.js';
import type { HubClient } from './hub-client.js';
import type { PinnedPackage } from './resolver.js';
import { mirroredTarballUrl, tarballMirrors } from './tarball-mirrors.js';
import { unpackPackage } from './unpack.js';

export interface FetchContext {
  /** Where scratch folders go (the install folder, so placing a package is a rename). */
  scratchParent: string;
  hub: HubClient;
  cache: TarballCache;
  env: NodeJS.ProcessEnv;
  gitTimeoutSeconds?: number;
  debug: (line: string) => void;
}

/** A package ready to place: its folder, and the scratch folder to remove afterwards (null: a local folder). */
export interface PreparedPackage {
  pinned: PinnedPackage;
  dir: string;
  scratch: string | null;
}

/** The `name:` in a package folder's dbt_project.yml. */
export function packageName(dir: string, display: string): string {
  const file = path.join(dir, 'dbt_project.yml');
  if (!existsSync(file)) {
    throw new TsdbtError(`${display} is not a dbt package: it has no dbt_project.yml`, { code: 'package-invalid', hint: 'point the package entry at the folder that holds its dbt_project.yml (for git, `subdirectory:`)' });
  }
  const yaml = readYamlFile(file, path.join(display, 'dbt_project.yml'));
  const name = isPlainObject(yaml.value) ? yaml.value.name : undefined;
  if (typeof name !== 'string' || !/^[A-Za-z_]\w*$/.test(name)) {
    throw new TsdbtError('a package needs a `name:` that is an identifier', { code: 'package-invalid', location: yaml.locate(['name']), hint: 'e.g. name: my_package' });
  }
  return name;
}

export function removeScratch(prepared: { scratch: string | null }): void {
  if (prepared.scratch) rmSync(prepared.scratch, { recursive: true, force: true });
}

async function unpackChecked(file: string, ctx: FetchContext, label: string): Promise<{ dir: string; scratch: string; name: string }> {
  const { dir, scratch } = await unpackPackage(file, ctx.scratchParent, label);
  try {
    return { dir, scratch, name: packageName(dir, label) };
  } catch (err) {
    rmSync(scratch, { recursive: true, force: true });
    throw err;
  }
}

/** A hub package's tarball: from the cache when it holds this version, else as the hub's index names it. */
async function hubTarball(pinned: Extract<PinnedPackage, { kind: 'hub' }>, ctx: FetchContext): Promise<string> {
  const label = `${pinned.package}@${pinned.version}`;
  const key = `hub/${pinned.package}/${pinned.version}`;
  if (pinned.tarball === null) {
    const hit = ctx.cache.cached({ url: '', sha1: null, key, label });
    if (hit) {
      ctx.debug(`Using ${label} from the download cache (${hit})`);
      return hit;
    }
    const meta = (await ctx.hub.packageIndex(pinned.package)).versions.get(pinned.version);
    if (!meta) {
      throw new TsdbtError(`version ${pinned.version} of ${pinned.package} (in package-lock.yml) is not on the package hub (${ctx.hub.host})`, {
        code: 'package-version-not-found',
        location: { file: 'package-lock.yml' },
        hint: 'run `tsdbt deps --upgrade` to resolve the versions again',
      });
    }
    pinned.tarball = meta.tarball;
    pinned.sha1 = meta.sha1;
  }
  return ctx.cache.fetch({ url: pinned.tarball, sha1: pinned.sha1, key, label });
}

export async function preparePackage(pinned: PinnedPackage, ctx: FetchContext): Promise<PreparedPackage> {
  switch (pinned.kind) {
    case 'local': {
      if (!existsSync(pinned.absPath)) {
        throw new TsdbtError(`local package '${pinned.path}' does not exist (looked in ${pinned.absPath})`, { code: 'package-missing', hint: 'local paths are relative to the folder holding packages.yml' });
      }
      const dir = realpathSync(pinned.absPath);
      pinned.name = packageName(dir, pinned.path);
      return { pinned, dir, scratch: null };
    }
    case 'hub': {
      const file = await hubTarball(pinned, ctx);
      const { dir, scratch, name } = await unpackChecked(file, ctx, `${pinned.package}@${pinned.version}`);
      pinned.name = name;
      return { pinned, dir, scratch };
    }
    case 'tarball': {
      const mirror = mirroredTarballUrl(pinned.url, tarballMirrors(ctx.env));
      const file = await ctx.cache.fetch({ url: pinned.url, mirror, sha1: null, key: null, label: pinned.urlTemplate });
      const { dir, scratch, name } = await unpackChecked(file, ctx, pinned.urlTemplate);
      if (!pinned.name) pinned.name = name;
      return { pinned, dir, scratch };
    }
    case 'git': {
      const checkout = await checkoutGit({
        url: pinned.url,
        display: pinned.urlTemplate,
        revision: pinned.revision,
        subdirectory: pinned.subdirectory,
        scratchParent: ctx.scratchParent,
        timeoutSeconds: ctx.gitTimeoutSeconds,
        env: ctx.env,
      });
      try {
        pinned.name = packageName(checkout.dir, pinned.urlTemplate);
      } catch (err) {
        rmSync(checkout.scratch, { recursive: true, force: true });
        throw err;
      }
      pinned.revision = checkout.sha;
      return { pinned, dir: checkout.dir, scratch: checkout.scratch };
    }
  }
}
