// dbt_project.yml and the profile, loaded in dbt's order for a command (the logger set up from
// their flags on the way), and what templates see of them: `target` without secrets, and how
// dbt_project.yml files render. project-loader.ts starts every load here; deps and debug use it alone.
import { checkRequiredDbtVersion } from '../packages/dbt-version-check.js';
import { projectWarnErrorPolicy } from './warn-error.js';
import path from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { dialectFor } from '../adapters/index.js';
import type { AdapterTargetConfig } from '../adapters/adapter.js';
import { loadProfile, loadProjectConfig, parseCliVars, queryCommentSettings, readProjectHeader, type ProjectValueRenderer } from '../config/index.js';
import type { ProjectConfig, ResolvedProfile } from '../config/types.js';
import type { YamlWarning } from '../config/yaml-file.js';
import { renderYamlValue, unsetProfileTarget } from '../jinja/dbt/yaml-values.js';
import { logPathFlag, targetPathFlag, type Invocation } from './invocation.js';
import { warnInvocationDeprecations } from './invocation-deprecations.js';
import { headerRenderer, yamlJinjaOutput } from './header-renderer.js';
import { dbtValidatesOn, logFileWarning } from './jsonschema-gate.js';
import { targetDirFor } from './header-target-dir.js';
import { DEFAULT_LOG_FILE_MAX_BYTES } from './log-file.js';
import { logSettings } from './log-settings.js';
import { applyProjectFlags } from './project-flags.js';
import { pickProfileName } from './no-profile.js';
import { renderPackagesFile } from './packages-render.js';

/** Profile keys that hold a secret: dbt's `target` has only the credentials' connection keys, never these (`pass` is dbt-postgres's alias of `password`). */
const SECRET_TARGET_KEYS = new Set(['password', 'pass']);

/**
 * What templates see as `target`: the profile output without secrets. `type` is the dbt adapter
 * the SQL is written for, so an embedded PGlite target is `postgres` (projects test the target's
 * type to pick PostgreSQL SQL); the profile's own type stays readable as `target.profile_type`.
 */
export function targetContext(target: AdapterTargetConfig, profileName: string): Record<string, unknown> {
  const rest = Object.fromEntries(Object.entries(target).filter(([key]) => !SECRET_TARGET_KEYS.has(key)));
  const dialect = dialectFor(target);
  const type = dialect.dispatchPrefixes[0] ?? target.type;
  // The database relations are built in, also when the profile leaves it to the default.
  const database = target.database ?? (dialect.defaultDatabase || null);
  return { ...rest, type, profile_type: target.type, database, dbname: database, target_name: target.name, profile_name: profileName };
}

/**
 * dbt_project.yml and the profile, in dbt's order: the project's `profile:` (and target-path) is
 * read first without `target`, the profile loads, then the whole project renders with `target`
 * (`+enabled: "{{ target.type != 'fabric' }}"`).
 */
export function loadConfigAndProfile(inv: Invocation): { config: ProjectConfig; profile: ResolvedProfile; targetDir: string; cliVars: Record<string, unknown> } {
  const cliVars = inv.options.vars ? parseCliVars(inv.options.vars) : {};
  const header = readProjectHeader(inv.projectDir, headerRenderer(inv, cliVars));
  const profile = resolveProfile(inv, cliVars, header);
  inv.logger.dbtSchemaChecks = dbtValidatesOn(profile.target.type, inv.env);
  const config = loadProjectConfig(inv.projectDir, projectRenderer(inv, cliVars, profile), { dbtSchemaChecks: inv.logger.dbtSchemaChecks });
  if (profile.configFlags) config.flags = profileConfigFlags(config, profile);
  applyProjectSettings(inv, config);
  renderPackagesFile(inv, cliVars);
  if (profile.configFlags) inv.logger.warnOrError("User config should be moved from the 'config' key in profiles.yml to the 'flags' key in dbt_project.yml.", 'ProjectFlagsMovedDeprecation');
  logYamlWarnings(inv, profile.warnings);
  queryCommentSettings(config); // a malformed query-comment is a project error, found before anything runs
  logYamlWarnings(inv, config.warnings);
  return { config, profile, targetDir: path.resolve(inv.projectDir, config.targetPath), cliVars };
}

/**
 * dbt_project.yml for a command that needs no profile (`deps`, `clean`: dbt's `@requires.unset_profile`):
 * rendered with `target` an empty dict whose keys read as '' (dbt's UnsetProfile), so a project
 * whose profile cannot load (an env var it reads is unset) still installs packages and cleans.
 */
export function loadConfigWithoutProfile(inv: Invocation): { config: ProjectConfig; cliVars: Record<string, unknown> } {
  const cliVars = inv.options.vars ? parseCliVars(inv.options.vars) : {};
  const target = unsetProfileTarget();
  const output = yamlJinjaOutput(inv);
  const render: ProjectValueRenderer = (template, location) =>
    renderYamlValue(template, { env: inv.env, vars: cliVars, location, target, startedAt: inv.startedAt, invocationId: inv.invocationId, requireVars: false, output, refuseSecrets: true });
  const config = loadProjectConfig(inv.projectDir, render);
  applyProjectSettings(inv, config);
  logYamlWarnings(inv, config.warnings);
  return { config, cliVars };
}

/** What every command takes from dbt_project.yml before it runs: its `flags:` where no flag or env var set them, the dbt version check, folders, log settings, the warn-error policy. */
function applyProjectSettings(inv: Invocation, config: ProjectConfig): void {
  applyProjectFlags(inv, config.flags);
  if (!inv.options.noVersionCheck) checkRequiredDbtVersion(config, 'dbt_project.yml');
  config.targetPath = targetPathFlag(inv) ?? config.targetPath;
  config.logPath = logPathFlag(inv) ?? config.logPath;
  // dbt's flags: --log-format leads --log-format-file when that is not given (dbt's _override_if_set); dbt_project.yml's flags set what no flag did.
  const logs = logSettings(inv.options, config.flags);
  inv.logger.useSettings(logs);
  inv.logger.attachLogFile({
    dir: path.resolve(inv.projectDir, config.logPath),
    format: logs.file,
    maxBytes: inv.options.logFileMaxBytes ?? DEFAULT_LOG_FILE_MAX_BYTES,
  });
  // dbt_project.yml's flags.warn_error(_options) apply unless a flag or env var set the policy.
  if (!inv.warnErrorFromFlags) {
    const fromProject = projectWarnErrorPolicy(config.flags);
    if (fromProject) inv.logger.warnError = fromProject;
  }
  inv.logger.requireWarnOrErrorHandling = config.flags.require_all_warnings_handled_by_warn_error === true;
  warnInvocationDeprecations(inv);
}

/** The profile and target an invocation uses (--profile, --target, --threads over dbt_project.yml's `profile:`). */
export function resolveProfile(inv: Invocation, cliVars: Record<string, unknown>, header: { name: string | null; profile: string | null; targetPath: string | null }): ResolvedProfile {
  const targetDir = targetDirFor(inv, header.targetPath);
  const profile = loadProfile({
    projectDir: inv.projectDir,
    cwd: inv.cwd,
    profilesDir: inv.options.profilesDir,
    profileName: pickProfileName(inv.options.profile, header.profile, { cwd: inv.cwd, env: inv.env }),
    profileFromFlag: inv.options.profile !== undefined,
    targetName: inv.options.target,
    env: inv.env,
    targetDir,
    renderValue: headerRenderer(inv, cliVars, true),
  });
  if (inv.options.threads !== undefined) profile.target.threads = inv.options.threads;
  return profile;
}

/**
 * How dbt_project.yml files (the root's and every package's) render: env_var, --vars and `target`;
 * their log() and print() write, as dbt's project context (a TargetContext) does on every command.
 */
export function projectRenderer(inv: Invocation, cliVars: Record<string, unknown>, profile: ResolvedProfile | null): ProjectValueRenderer {
  const target = profile ? targetContext(profile.target, profile.profileName) : undefined;
  const output = yamlJinjaOutput(inv);
  return (template, location) => renderYamlValue(template, { env: inv.env, vars: cliVars, location, startedAt: inv.startedAt, invocationId: inv.invocationId, output, refuseSecrets: true, ...(target ? { target } : {}) });
}

/** What reading a YAML file warned about: a key given twice (DuplicateYAMLKeysDeprecation), a key dbt does not know. */
export function logYamlWarnings(inv: Invocation, warnings: YamlWarning[] | undefined): void {
  for (const w of warnings ?? []) logFileWarning(inv, w, 'DuplicateYAMLKeysDeprecation');
}

/**
 * dbt's read_project_flags: profiles.yml's `config:` is the project flags when dbt_project.yml
 * has no `flags:` (warned as ProjectFlagsMovedDeprecation); both is dbt's DbtProjectError.
 */
function profileConfigFlags(config: ProjectConfig, profile: ResolvedProfile): Record<string, unknown> {
  if (Object.keys(config.flags).length > 0) {
    throw new TsdbtError("Do not specify both 'config' in profiles.yml and 'flags' in dbt_project.yml. Using 'config' in profiles.yml is deprecated.", {
      code: 'project-invalid',
      location: { file: profile.file ?? 'profiles.yml', line: 1 },
      hint: "move the settings under `config:` in profiles.yml to `flags:` in dbt_project.yml",
    });
  }
  return { ...profile.configFlags };
}
