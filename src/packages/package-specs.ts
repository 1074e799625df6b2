// packages.yml and dependencies.yml: the packages a project depends on, as typed specs with the
// line each was declared on. Jinja in values (`{{ env_var('GIT_TOKEN') }}`) is rendered as dbt does.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { TsdbtError, TsdbtErrorList, type SourceLocation } from '../errors/tsdbt-error.js';
import { isPlainObject, readYamlFile } from '../config/yaml-file.js';

export type PackageSpec =
  | { kind: 'local'; path: string; location: SourceLocation }
  | { kind: 'git'; url: string; revision: string | null; subdirectory: string | null; location: SourceLocation }
  | { kind: 'hub'; name: string; version: string | null; location: SourceLocation }
  | { kind: 'tarball'; url: string; name: string | null; location: SourceLocation };

export type ValueRenderer = (template: string, location: SourceLocation) => unknown;

/** The files dbt reads package lists from, in its order (`dependencies.yml` wins when both list packages). */
const SPEC_FILES = ['dependencies.yml', 'packages.yml'];

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
      const location = yaml.locate(['packages', i]);
      const text = (key: string): string | null => {
        const value = isPlainObject(entry) ? entry[key] : undefined;
        if (value === undefined || value === null) return null;
        const raw = Array.isArray(value) ? String(value[0]) : String(value);
        return String(render(raw, location));
      };
      if (!isPlainObject(entry)) {
        errors.push(new TsdbtError('each package entry must be a mapping', { code: 'packages-invalid', location, hint: 'e.g. `- local: ../my_package` or `- package: dbt-labs/dbt_utils` with `version:`' }));
      } else if (text('local') !== null) specs.push({ kind: 'local', path: text('local') as string, location });
      else if (text('git') !== null) specs.push({ kind: 'git', url: text('git') as string, revision: text('revision'), subdirectory: text('subdirectory'), location });
      else if (text('package') !== null) specs.push({ kind: 'hub', name: text('package') as string, version: text('version'), location });
      else if (text('tarball') !== null) specs.push({ kind: 'tarball', url: text('tarball') as string, name: text('name'), location });
      else {
        errors.push(new TsdbtError(`package entry has none of local, git, package or tarball (keys: ${Object.keys(entry).join(', ') || 'none'})`, { code: 'packages-invalid', location, hint: 'e.g. `- local: ../my_package`' }));
      }
    });
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new TsdbtErrorList(errors);
    return specs;
  }
  return [];
}

/** How a spec reads in messages: `local: ../`, `dbt-labs/dbt_utils@1.1.1`, a git URL. */
export function describeSpec(spec: PackageSpec): string {
  switch (spec.kind) {
    case 'local':
      return `local: ${spec.path}`;
    case 'git':
      return `git: ${spec.url}${spec.revision ? `@${spec.revision}` : ''}${spec.subdirectory ? ` (${spec.subdirectory})` : ''}`;
    case 'hub':
      return `package: ${spec.name}${spec.version ? `@${spec.version}` : ''}`;
    case 'tarball':
      return `tarball: ${spec.url}`;
  }
}
