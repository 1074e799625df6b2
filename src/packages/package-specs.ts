// packages.yml and dependencies.yml: the packages a project depends on, as typed specs with the
// line each was declared on. Jinja in values (`{{ env_var('GIT_TOKEN') }}`) is rendered as dbt's
// PackageRenderer does; each spec keeps its entry as written (`raw`) too, for package-lock.yml
// (which keeps templates, never rendered secrets) and the lock's sha1_hash.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { TsdbtError, throwCollected, type SourceLocation } from '../errors/tsdbt-error.js';
import { isPlainObject, readYamlFile } from '../config/yaml-file.js';

interface SpecBase {
  location: SourceLocation;
  /** The entry as written (templates unrendered). */
  raw: Record<string, unknown>;
  /** The entry with its templates rendered. */
  rendered: Record<string, unknown>;
}

export type PackageSpec =
  | (SpecBase & { kind: 'local'; path: string })
  | (SpecBase & { kind: 'git'; url: string; urlTemplate: string; revision: string | null; subdirectory: string | null; warnUnpinned: boolean })
  | (SpecBase & { kind: 'hub'; name: string; versions: string[]; installPrerelease: boolean })
  | (SpecBase & { kind: 'tarball'; url: string; urlTemplate: string; name: string | null });

export type ValueRenderer = (template: string, location: SourceLocation) => unknown;

/** The files dbt reads package lists from, in its order (`dependencies.yml` wins when both list packages). */
export const SPEC_FILES = ['dependencies.yml', 'packages.yml'];

/** The file of `projectDir` that lists its packages (null: neither does). */
export function packageSpecFile(projectDir: string): string | null {
  for (const file of SPEC_FILES) {
    const abs = path.join(projectDir, file);
    if (!existsSync(abs)) continue;
    const yaml = readYamlFile(abs, file);
    const root = isPlainObject(yaml.value) ? yaml.value : {};
    if (root.packages !== undefined && root.packages !== null) return file;
  }
  return null;
}

/** Renders every text in an entry (lists too), as dbt's PackageRenderer does. */
function renderEntry(entry: Record<string, unknown>, render: ValueRenderer, location: SourceLocation): Record<string, unknown> {
  const one = (value: unknown): unknown => (typeof value === 'string' ? render(value, location) : Array.isArray(value) ? value.map(one) : value);
  return Object.fromEntries(Object.entries(entry).map(([k, v]) => [k, one(v)]));
}

/**
 * How a git or tarball URL is shown: the template as written when rendering changed it (a token), but
 * the URL as rendered when a filter changed a secret's placeholder (dbt's SecretRenderer leaves it
 * so: `{{ env_var('DBT_ENV_SECRET_X') | join(' ') }}` gives `$ $ $ D B T _ S E C R E T ...`), which holds no secret.
 */
function shownTemplate(template: unknown, url: string): string {
  const changedPlaceholder = url.replace(/[^A-Za-z0-9]/g, '').includes('DBTSECRETSTART');
  return changedPlaceholder ? url : (str(template) ?? url);
}

function str(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return String(value);
}

function bool(value: unknown): boolean | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  return text === 'true' ? true : text === 'false' ? false : null;
}

/** dbt's words when no kind of package entry validates (config/project.py MALFORMED_PACKAGE_ERROR). */
const MALFORMED = 'The packages.yml file in this project is malformed';

/** One packages.yml entry (or one requirement from the hub) as a spec. */
export function specFromEntry(entry: unknown, location: SourceLocation, render: ValueRenderer = (t) => t): PackageSpec {
  if (!isPlainObject(entry)) {
    throw new TsdbtError('each package entry must be a mapping', { code: 'packages-invalid', location, hint: 'e.g. `- local: ../my_package` or `- package: dbt-labs/dbt_utils` with `version:`' });
  }
  const rendered = renderEntry(entry, render, location);
  const base = { location, raw: entry, rendered };
  // dbt's words (PackageConfig.validate): "A hub package is missing the value. It is a required property."
  const kinds: Record<string, string> = { package: 'hub', local: 'local', git: 'git' };
  const empty = (key: string) =>
    new TsdbtError(`A ${kinds[key] ?? key} package is missing the value. It is a required property.`, { code: 'packages-invalid', location, hint: `give a value after \`${key}:\` (an env_var that is not set renders empty)` });
  if ('local' in rendered) {
    const p = str(rendered.local);
    if (!p) throw empty('local');
    return { ...base, kind: 'local', path: p };
  }
  if ('git' in rendered) {
    const url = str(rendered.git);
    if (!url) throw empty('git');
    return {
      ...base,
      kind: 'git',
      url,
      urlTemplate: shownTemplate(entry.git, url),
      revision: str(rendered.revision),
      subdirectory: str(rendered.subdirectory),
      warnUnpinned: bool(rendered['warn-unpinned'] ?? rendered.warn_unpinned) !== false,
    };
  }
  if ('package' in rendered) {
    const name = str(rendered.package);
    if (!name) throw empty('package');
    if (!name.includes('/')) {
      throw new TsdbtError(`${name} was not found in the package index: packages on the index require a namespace, e.g. dbt-labs/dbt_utils`, { code: 'packages-invalid', location, hint: 'write the hub package as `org/name`' });
    }
    const version = rendered.version;
    const versions = Array.isArray(version) ? version.map(String) : version === undefined || version === null || version === '' ? [] : [String(version)];
    if (versions.length === 0) {
      throw new TsdbtError(`${name} is missing the version. When installing from the Hub package index, version is a required property`, { code: 'packages-invalid', location, hint: 'add e.g. `version: [">=1.1.0", "<2.0.0"]` under the package' });
    }
    const prerelease = bool(rendered.install_prerelease ?? rendered['install-prerelease']) === true;
    return { ...base, kind: 'hub', name, versions, installPrerelease: prerelease };
  }
  if ('tarball' in rendered) {
    const url = str(rendered.tarball);
    if (!url) throw empty('tarball');
    // dbt's TarballPackage requires `name` (no entry kind matches otherwise: MALFORMED_PACKAGE_ERROR).
    const name = str(rendered.name);
    if (!name) {
      throw new TsdbtError(`${MALFORMED}: a tarball package needs a name (keys: ${Object.keys(entry).join(', ')})`, { code: 'packages-invalid', location, hint: 'add `name:` with the package\'s project name under the `tarball:` entry' });
    }
    return { ...base, kind: 'tarball', url, urlTemplate: shownTemplate(entry.tarball, url), name };
  }
  throw new TsdbtError(`${MALFORMED}: a package entry has none of local, git, package or tarball (keys: ${Object.keys(entry).join(', ') || 'none'})`, { code: 'packages-invalid', location, hint: 'e.g. `- local: ../my_package`' });
}

/** The package specs of the project in `projectDir`; `display` is how that folder is named in messages. */
export function readPackageSpecs(projectDir: string, render: ValueRenderer = (t) => t, display = ''): PackageSpec[] {
  for (const file of SPEC_FILES) {
    const abs = path.join(projectDir, file);
    if (!existsSync(abs)) continue;
    const yaml = readYamlFile(abs, display ? path.join(display, file) : file);
    const root = isPlainObject(yaml.value) ? yaml.value : {};
    const list = root.packages;
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      throw new TsdbtError('`packages` must be a list', { code: 'packages-invalid', location: yaml.locate(['packages']), hint: 'write `packages:` followed by `- local: ../my_package` lines' });
    }
    const errors: TsdbtError[] = [];
    const specs: PackageSpec[] = [];
    list.forEach((entry, i) => {
      try {
        specs.push(specFromEntry(entry, yaml.locate(['packages', i]), render));
      } catch (err) {
        if (!(err instanceof TsdbtError)) throw err;
        errors.push(err);
      }
    });
    throwCollected(errors);
    return specs;
  }
  return [];
}

/** A git or tarball URL as messages show it: the template as written when rendering changed it (a token). */
export function shownUrl(spec: Extract<PackageSpec, { kind: 'git' | 'tarball' }>): string {
  return spec.urlTemplate;
}

/** How a spec reads in messages: `local: ../`, `dbt-labs/dbt_utils@>=1.1.0, <2.0.0`, a git URL. */
export function describeSpec(spec: PackageSpec): string {
  switch (spec.kind) {
    case 'local':
      return `local: ${spec.path}`;
    case 'git':
      return `git: ${shownUrl(spec)}${spec.revision ? `@${spec.revision}` : ''}${spec.subdirectory ? ` (${spec.subdirectory})` : ''}`;
    case 'hub':
      return `package: ${spec.name}@${spec.versions.join(', ')}`;
    case 'tarball':
      return `tarball: ${shownUrl(spec)}`;
  }
}
