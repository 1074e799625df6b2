// dbt's version check (Project.validate_version, skipped with `--no-version-check`): a project or
// installed package whose `require-dbt-version` excludes the dbt version tsdbt follows
// (manifest/dbt-version.ts) stops the command, with dbt's message.
import type { ProjectConfig } from '../config/types.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { DBT_VERSION } from '../manifest/dbt-version.js';
import { satisfies } from './version-range.js';

/** `require-dbt-version` as dbt reads it: a string or a list of strings, each possibly comma-separated. */
function specifiers(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === null || value === undefined || value === '' ? [] : [value];
  return list.flatMap((v) => String(v).split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

/** dbt's VersionSpecifier.to_version_string: the matcher, `=` when none was written. */
function versionString(spec: string): string {
  return /^[<>=]/.test(spec) ? spec.replace(/\s+/g, '') : `=${spec}`;
}

/** Python's repr of a list of strings. */
const pyList = (items: string[]) => `[${items.map((s) => `'${s}'`).join(', ')}]`;

/** Throws dbt's INVALID_VERSION_ERROR when `config`'s require-dbt-version excludes `installed`. */
export function checkRequiredDbtVersion(config: Pick<ProjectConfig, 'name' | 'requireDbtVersion'>, file: string, installed: string = DBT_VERSION): void {
  const specs = specifiers(config.requireDbtVersion);
  if (specs.length === 0 || satisfies(installed, specs)) return;
  const pkg = config.name;
  throw new TsdbtError(
    [
      `This version of dbt is not supported with the '${pkg}' package.`,
      `  Installed version of dbt: =${installed}`,
      `  Required version of dbt for '${pkg}': ${pyList(specs.map(versionString))}`,
      `Check for a different version of the '${pkg}' package, or run dbt again with --no-version-check`,
    ].join('\n'),
    {
      code: 'project-dbt-version',
      location: { file },
      hint: `tsdbt follows dbt ${installed}: widen require-dbt-version, install another version of '${pkg}', or pass --no-version-check (DBT_VERSION_CHECK=false)`,
    },
  );
}
