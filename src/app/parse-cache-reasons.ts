// Why the partial-parse cache (target/partial_parse.bin) cannot be reused, in dbt's words where dbt
// gives up on partial parsing for the same change (dbt-core's ManifestLoader.is_partial_parsable
// and read_manifest_for_partial_parse, its UnableToPartialParse event, info level: printed on
// screen). A change dbt partially parses, and tsdbt cannot (a YAML file, a macro), is tsdbt's own
// reason, at debug level.
import { createHash } from 'node:crypto';
import type { Logger } from './logger.js';

/** dbt's UnableToPartialParse reasons, in the order its checks run. */
export const DBT_REASONS = {
  notFound: 'saved manifest not found. Starting full parse.',
  version: 'of a version mismatch',
  vars: 'config vars, config profile, or config target have changed',
  profile: 'profile has changed',
  dependencyAdded: 'a project dependency has been added',
  projectConfig: 'a project config has changed',
  overrideMacro: 'change detected to override macro. Starting full parse.',
} as const;

const DBT_REASON_TEXTS: ReadonlySet<string> = new Set(Object.values(DBT_REASONS));

/** Whether `reason` is one dbt gives (logged at info level, as dbt's UnableToPartialParse is). */
export function isDbtReason(reason: string): boolean {
  return DBT_REASON_TEXTS.has(reason);
}

/** Logs why the cache is not reused: dbt's reasons as its UnableToPartialParse, on screen (info); tsdbt's own at debug level. */
export function logCacheMiss(logger: Logger): (reason: string) => null {
  return (reason) => {
    if (isDbtReason(reason)) logger.info(`Unable to do partial parsing because ${reason}`, 'UnableToPartialParse', { reason });
    else logger.debug(`Unable to do partial parsing because ${reason}: parsing the whole project`, 'UnableToPartialParse', { reason });
    return null;
  };
}

/**
 * dbt's special_override_macros (parser/partial.py): a project macro of one of these names that is
 * added, changed or deleted makes dbt parse everything again.
 */
export const SPECIAL_OVERRIDE_MACROS: ReadonlySet<string> = new Set(['ref', 'source', 'config', 'generate_schema_name', 'generate_database_name', 'generate_alias_name', 'function']);

/** The settings parts a cache was written with: each part's digest, and the project names (dbt's project_hashes keys). */
export interface SettingsParts {
  digests: Record<string, string>;
  projects: string[];
}

/** What each of dbt's checks reads, as tsdbt has it. */
export interface SettingsPartInputs {
  /** tsdbt's build and the cache format: dbt's version check. */
  version: unknown;
  /** --vars, the profile and target names: dbt's vars_hash. */
  vars: unknown;
  /** The target without its password: dbt's profile_hash. */
  profile: unknown;
  /** Each project's name and dbt_project.yml (the root's first): dbt's project_hashes. */
  projects: { name: string; config: unknown }[];
}

const digestOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value) ?? '').digest('hex');

export function settingsParts(inputs: SettingsPartInputs): SettingsParts {
  return {
    digests: {
      [DBT_REASONS.version]: digestOf(inputs.version),
      [DBT_REASONS.vars]: digestOf(inputs.vars),
      [DBT_REASONS.profile]: digestOf(inputs.profile),
      [DBT_REASONS.projectConfig]: digestOf(inputs.projects),
    },
    projects: inputs.projects.map((p) => p.name),
  };
}

/** dbt's reason for the first of its checks that tells `was` and `now` apart; null when none does. */
export function changedSettingsReason(was: SettingsParts | undefined, now: SettingsParts): string | null {
  if (!was) return DBT_REASONS.version;
  const differs = (reason: string) => was.digests[reason] !== now.digests[reason];
  if (differs(DBT_REASONS.version)) return DBT_REASONS.version;
  if (differs(DBT_REASONS.vars)) return DBT_REASONS.vars;
  if (differs(DBT_REASONS.profile)) return DBT_REASONS.profile;
  if (now.projects.some((name) => !was.projects.includes(name))) return DBT_REASONS.dependencyAdded;
  if (differs(DBT_REASONS.projectConfig)) return DBT_REASONS.projectConfig;
  return null;
}

/** What a macro's file and name are, as far as the override check goes. */
interface MacroFile {
  name: string;
  package_name: string;
  original_file_path: string;
}

/**
 * dbt's skip_partial_parsing_because_of_macros: a changed, added or deleted macro file (`kind:path`
 * keys) defines, now or before, one of the special override macros outside dbt's own package.
 */
export function changesOverrideMacro(changedFiles: readonly string[], macroSets: Iterable<MacroFile>[]): boolean {
  const changed = new Set(changedFiles.filter((key) => key.startsWith('macro:')).map((key) => key.slice('macro:'.length)));
  if (changed.size === 0) return false;
  for (const macros of macroSets) {
    for (const m of macros) if (SPECIAL_OVERRIDE_MACROS.has(m.name) && m.package_name !== 'dbt' && changed.has(m.original_file_path)) return true;
  }
  return false;
}
