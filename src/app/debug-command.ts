// tsdbt debug, as dbt's DebugTask: every check runs whatever the others found (the profile, the
// project, git, the connection), each printed as `[OK found and valid]`, `[ERROR not found]` or
// `[ERROR invalid]`; then `All checks passed!` (exit 0) or `N checks failed:` with each failure's
// reason and tsdbt's hint (exit 1, which a scheduler reads as "the checks failed", not a usage
// error). `--connection` skips the configuration and dependency checks; `--config-dir` prints how
// to open the folder holding profiles.yml and stops.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { headerRenderer } from './header-renderer.js';
import { headerTargetDir } from './header-target-dir.js';
import { loadProjectConfig, parseCliVars, profileSearchPath, readProjectHeader, userDir } from '../config/index.js';
import type { ResolvedProfile } from '../config/types.js';
import { EXIT_NODE_FAILURE, EXIT_OK } from '../errors/exit-codes.js';
import { asTsdbtError, hasErrorCode } from '../errors/tsdbt-error.js';
import { openAdapter } from './execute-plan.js';
import { logPathFlag, type Invocation } from './invocation.js';
import { DEFAULT_LOG_FILE_MAX_BYTES } from './log-file.js';
import { logSettings } from './log-settings.js';
import { projectRenderer, resolveProfile, type LoadedProject } from './project-loader.js';
import { plural } from './run-summary.js';

type Status = 'ok' | 'error' | 'skipped';

interface Check {
  status: Status;
  /** What is printed in the brackets: `OK found and valid`, `ERROR not found`, `ERROR invalid`. */
  label: string;
  /** The reason printed after `N checks failed:`. */
  summary: string;
}

const PROFILE_DOCS = 'https://docs.getdbt.com/docs/configure-your-profile';

/** The folder profiles.yml is read from: the first on the search path that holds one, else the one --profiles-dir names, else ~/.dbt (dbt's default). */
export function profilesFolder(inv: Invocation): string {
  const searched = profileSearchPath({ projectDir: inv.projectDir, cwd: inv.cwd, profilesDir: inv.options.profilesDir, env: inv.env });
  const found = searched.find((dir) => existsSync(path.join(dir, 'profiles.yml')));
  if (found) return found;
  const explicit = inv.options.profilesDir ?? (inv.env.TSDBT_PROFILES_DIR || inv.env.DBT_PROFILES_DIR || undefined);
  return explicit ? userDir(explicit, inv.cwd) : path.join(inv.env.HOME ?? os.homedir(), '.dbt');
}

function failed(label: string, summary: string): Check {
  return { status: 'error', label, summary };
}

function loadProfileCheck(inv: Invocation, cliVars: Record<string, unknown>): { check: Check; profile: ResolvedProfile | null } {
  let header = { name: null as string | null, profile: null as string | null, targetPath: null as string | null };
  try {
    header = readProjectHeader(inv.projectDir, headerRenderer(inv, cliVars));
  } catch {
    // The project check reports it; the profile falls back to --profile, as dbt's _choose_profile_names.
  }
  const folder = profilesFolder(inv);
  const explicit = inv.options.profilesDir ?? (inv.env.TSDBT_PROFILES_DIR || undefined);
  if (explicit && !existsSync(path.join(folder, 'profiles.yml'))) {
    // dbt names the file under --profiles-dir as given (DebugTask's os.path.join(PROFILES_DIR, 'profiles.yml')).
    const shown = inv.options.profilesDir !== undefined ? path.join(inv.options.profilesDir, 'profiles.yml') : path.join(folder, 'profiles.yml');
    const summary = `dbt looked for a profiles.yml file in ${shown}, but did\nnot find one. For more information on configuring your profile, consult the\ndocumentation:\n\n${PROFILE_DOCS}\n  hint: create it there, or drop --profiles-dir to use the embedded database`;
    return { check: failed('ERROR not found', summary), profile: null };
  }
  try {
    const profile = resolveProfile(inv, cliVars, header);
    return { check: { status: 'ok', label: 'OK found and valid', summary: 'Profile is valid' }, profile };
  } catch (err) {
    return { check: failed('ERROR invalid', `Profile loading failed for the following reason:\n${asTsdbtError(err).format()}\n`), profile: null };
  }
}

/** The project check, and the project's log-path when it loaded. */
function loadProjectCheck(inv: Invocation, cliVars: Record<string, unknown>, profile: ResolvedProfile | null): { check: Check; logPath?: string } {
  const file = path.join(inv.projectDir, 'dbt_project.yml');
  if (!existsSync(file)) return { check: failed('ERROR not found', `Project loading failed for the following reason:\n project path <${file}> not found`) };
  try {
    const config = loadProjectConfig(inv.projectDir, projectRenderer(inv, cliVars, profile));
    return { check: { status: 'ok', label: 'OK found and valid', summary: 'Project is valid' }, logPath: config.logPath };
  } catch (err) {
    // dbt's _load_project reports only a DbtConfigError; a var neither given nor defaulted is its
    // RequiredVarNotFoundError, a CompilationError that stops debug (exit 2), as it stops run.
    if (hasErrorCode(err, 'var-missing')) throw err;
    return { check: failed('ERROR invalid', `Project loading failed for the following reason:\n${asTsdbtError(err).format()}\n`) };
  }
}

/**
 * dbt writes dbt.log for debug too, project or not: at --log-path (DBT_LOG_PATH), else the
 * project's log-path, else logs/ in the project folder; so event callbacks and log readers see it.
 */
function attachDebugLog(inv: Invocation, projectLogPath: string | undefined): void {
  const logs = logSettings(inv.options);
  inv.logger.useSettings(logs);
  inv.logger.attachLogFile({ dir: path.resolve(inv.projectDir, logPathFlag(inv) ?? projectLogPath ?? 'logs'), format: logs.file, maxBytes: inv.options.logFileMaxBytes ?? DEFAULT_LOG_FILE_MAX_BYTES });
}

/**
 * dbt's test_git: git on the PATH (git packages in packages.yml need it). node:child_process is
 * loaded here, not with the module: app/commands.ts re-exports this command, so every `run` loaded
 * it (~2.5 ms of CPU at the start on the loaded machine; issue 18).
 */
async function gitCheck(): Promise<Check> {
  const { spawnSync } = await import('node:child_process');
  const result = spawnSync('git', ['--version'], { encoding: 'utf8' });
  if (result.status === 0) return { status: 'ok', label: 'OK found', summary: 'git is installed and on the path' };
  return failed('ERROR', 'Error from git --help: git was not found on the PATH\n  hint: install git (packages.yml git: packages need it), or ignore this if you use none');
}

async function connectionCheck(inv: Invocation, profile: ResolvedProfile): Promise<Check> {
  const { logger } = inv;
  logger.info('Connection:');
  const { target } = profile;
  for (const key of ['host', 'port', 'user', 'database', 'dbname', 'schema', 'path']) {
    if (target[key] !== undefined && target[key] !== null) logger.info(`  ${key}: ${String(target[key])}`);
  }
  // The embedded database lives under the project's target-path, as for the other commands.
  const project = { target, targetDir: await headerTargetDir(inv) } as LoadedProject;
  let check: Check;
  try {
    const adapter = await openAdapter(inv, project);
    try {
      const info = await adapter.info();
      await adapter.withConnection((conn) => conn.execute('select 1 as ok'));
      logger.info(`  connection: OK (${info.version} at ${info.location})`);
      const schema = String(target.schema);
      const exists = await adapter.withConnection((conn) => adapter.schemaExists(conn, adapter.defaultDatabase || null, schema));
      logger.info(`  schema '${schema}': ${exists ? 'exists' : 'does not exist yet (the first run creates it)'}`);
    } finally {
      await adapter.close();
    }
    check = { status: 'ok', label: 'OK connection ok', summary: 'Connection test passed' };
  } catch (err) {
    const reason = asTsdbtError(err).format();
    logger.error(`  connection: ERROR ${reason}`);
    check = failed('ERROR', `dbt was unable to connect to the specified database.\nThe database returned the following error:\n\n  >${reason}\n\nCheck your database credentials and try again. For more information, visit:\n${PROFILE_DOCS}\n`);
  }
  logger.info(`  Connection test: [${check.label}]\n`);
  return check;
}

/** debug: dbt's checks, each reported, then the failures' reasons; exit 1 when any failed. */
export async function debugCommand(inv: Invocation, options: { configDir?: boolean; connection?: boolean } = {}): Promise<number> {
  const { logger } = inv;
  if (options.configDir) {
    const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'start' : 'xdg-open';
    logger.info(`To view your profiles.yml file, run:\n\n${opener} ${profilesFolder(inv)}`, 'OpenCommand');
    return EXIT_OK;
  }
  const cliVars = inv.options.vars ? parseCliVars(inv.options.vars) : {};
  const { check: profileCheck, profile } = loadProfileCheck(inv, cliVars);
  const folder = profilesFolder(inv);
  logger.info(`tsdbt debug for the project at ${inv.projectDir}`);
  logger.info(`Using profiles dir at ${folder}`);
  // The file looked for, as dbt prints it, whether or not it is there.
  logger.info(`Using profiles.yml file at ${path.join(folder, 'profiles.yml')}${profile?.embeddedDefault ? ' (not found: the embedded PGlite default is used)' : ''}`);
  logger.info(`Using dbt_project.yml file at ${path.join(inv.projectDir, 'dbt_project.yml')}`);
  if (profile) logger.info(`adapter type: ${profile.target.type}`);
  const { check: projectCheck, logPath } = loadProjectCheck(inv, cliVars, profile);
  attachDebugLog(inv, logPath);
  const checks: Check[] = [profileCheck, projectCheck];
  if (options.connection) logger.info('Skipping steps before connection verification');
  else {
    logger.info('Configuration:');
    logger.info(`  profiles.yml file [${profileCheck.label}]`);
    logger.info(`  dbt_project.yml file [${projectCheck.label}]`);
    if (profile) {
      logger.info(`  profiles.yml: ${profile.file ?? 'none (embedded PGlite default)'}`);
      logger.info(`  profile: ${profile.profileName} [OK found]`);
      logger.info(`  target: ${profile.targetName} [OK found]`);
      logger.info(`  profile: ${profile.profileName}, target: ${profile.targetName}, type: ${profile.target.type}`);
      logger.info(`  schema: ${String(profile.target.schema)}, threads: ${String(profile.target.threads)}`);
    }
    logger.info('Required dependencies:');
    const git = await gitCheck();
    logger.info(` - git [${git.label}]\n`);
    checks.push(git);
  }
  if (profile) checks.push(await connectionCheck(inv, profile));
  else logger.info('Connection test skipped since no profile was found');
  const failures = checks.filter((c) => c.status === 'error');
  if (failures.length === 0) {
    logger.info(logger.colors.green('All checks passed!'));
    return EXIT_OK;
  }
  logger.error(logger.colors.red(`${plural(failures.length, 'check')} failed:`));
  for (const failure of failures) logger.error(`${failure.summary.trimEnd()}\n`);
  return EXIT_NODE_FAILURE;
}
