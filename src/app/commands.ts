// The programmatic API: one function per command, each returning the exit code the CLI uses
// (0 ok, 1 a node failed, 2 usage/project error). The CLI and the scheduler both call these.
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { EXIT_NODE_FAILURE, EXIT_OK } from '../errors/exit-codes.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { buildExecutionPlan, selectedResourcesOf, type Command } from '../plan/execution-plan.js';
import { dialectFor, EMBEDDED_DEFAULT } from '../adapters/index.js';
import { writeCommandManifest } from './command-manifest.js';
import { executePlan } from './execute-plan.js';
import { logPathFlag, type Invocation } from './invocation.js';
import { loadProject, loadProjectYielding, type LoadedProject } from './project-loader.js';
import { EarlyAdapter } from './early-adapter.js';
import { loadConfigWithoutProfile } from './config-and-profile.js';
import { runFailed } from './run-summary.js';
import { announceLine, foundStatsLine } from './found-stats.js';
import { removeParseIndex, writeParseIndex, type ParseIndexWarning, type SqlFileEntry } from './parse-index.js';
import { NODES_PER_CHUNK } from './parse-cache.js';
import { jinjaSkeleton } from '../jinja/tag-skeleton.js';
import { selectForInvocation, warnIfStateIsTarget } from './select.js';
import { preflightSeeds } from './seed-preflight.js';
import { Deferral, deferStateDir, stateArtifactsFor } from '../state/index.js';
import { recordValues, withKeysKept } from '../manifest/record-values.js';
import { printedWhileLoading } from './header-renderer.js';
import { spacedNamesOnlyWarn } from '../graph/resource-names-with-spaces.js';

export { lsCommand } from './ls-command.js';
export { debugCommand } from './debug-command.js';

/** The `Found 3 models, ...` line (and the embedded default's notice). */
export function announceTarget(inv: Invocation, project: LoadedProject): void {
  for (const line of targetAnnouncement(inv, project)) announceLine(inv, line);
}

function targetAnnouncement(inv: Invocation, project: LoadedProject): string[] {
  const lines: string[] = [];
  if (project.profile.embeddedDefault) {
    lines.push(`No profiles.yml found: using ${EMBEDDED_DEFAULT.label} at ${path.relative(inv.projectDir, String(project.target.path)) || String(project.target.path)}`);
  }
  lines.push(foundStatsLine(project.parsed.manifest));
  return lines;
}

/** run / seed / test / build. */
export async function runCommand(inv: Invocation, command: Exclude<Command, 'compile'>): Promise<number> {
  return (await runCommandWithResults(inv, command)).code;
}

/** A command's exit code with its node results and counts (the scheduler records them). */
export async function runCommandWithResults(inv: Invocation, command: Exclude<Command, 'compile'>): Promise<{ code: number } & Awaited<ReturnType<typeof executePlan>>> {
  // The warehouse's login starts once the profile is read and goes on while the project loads.
  const early = new EarlyAdapter(inv.projectDir);
  try {
    const project = await loadProjectYielding(inv, { catalogs: true, onTarget: early.open });
    announceTarget(inv, project);
    const { manifest, dag } = project.parsed;
    const selected = selectForInvocation(inv, manifest, dag, project);
    // dbt's SELECTED_RESOURCES: the selection of the command's resource types (a `run` selects no seed),
    // which `selected_resources` and --favor-state's deferral both read.
    const resources = selectedResourcesOf(manifest, selected, command);
    project.session.setSelection(command, resources);
    const plan = buildExecutionPlan(manifest, dag, selected, command);
    await preflightSeeds(plan, dialectFor(project.target).sql, (message) => inv.logger.warnOrError(message, 'SeedColumnNameShortened'));
    const outcome = await executePlan(inv, project, plan, { deferral: deferralFor(inv, project.targetDir, new Set(resources), command === 'test' ? [] : plan.steps.map((s) => s.id)), early });
    return { code: runFailed(outcome.counts) ? EXIT_NODE_FAILURE : EXIT_OK, ...outcome };
  } finally {
    void early.discard(); // not taken: the command ended before it connected
  }
}

/** The --defer settings of an invocation as a Deferral (null without --defer); `builds`: what the command builds. */
export function deferralFor(inv: Invocation, targetDir: string, selected: ReadonlySet<string>, builds: Iterable<string>): Deferral | null {
  const dir = deferStateDir(inv.options);
  if (dir === null) return null;
  const state = stateArtifactsFor(inv, inv.projectDir, dir, inv.options.deferState ? '--defer-state' : '--state', warnIfStateIsTarget(inv, targetDir));
  return new Deferral({ state: state.manifest, selected, builds: new Set(builds), favorState: Boolean(inv.options.favorState) });
}

/** The parse's --debug for the replay, where its warnings depend on it (resource names with spaces allowed). */
function debugDependent(inv: Invocation, project: LoadedProject): { debug?: boolean } {
  return spacedNamesOnlyWarn(project.config.flags) ? { debug: inv.options.debug === true } : {};
}

/**
 * parse: the whole parse, then manifest.json and the index that lets the next parse answer from
 * file stamps alone when nothing changed (parse-command.ts asks it first). `clock`: parse-index.ts's
 * `fileSystemNow`, read before the parse read anything.
 */
export async function fullParse(inv: Invocation, indexKey: string, started: number, clock: number): Promise<number> {
  const warnings: ParseIndexWarning[] = [];
  inv.logger.onWarnOrError = (text, event, location) => warnings.push({ text, event, ...(location ? { location } : {}) });
  let project: LoadedProject;
  try {
    project = loadProject(inv, { catalogs: true });
  } finally {
    inv.logger.onWarnOrError = undefined;
  }
  // After a partial parse, only the changed nodes (and metadata and maps) of manifest.json are rewritten.
  await writeCommandManifest(inv, project);
  // The steps after it walk manifest.nodes three times (30,000 keys for 10,000 models) and change none: listed once.
  return withKeysKept(project.parsed.manifest.nodes, () => parseEnd(inv, project, { indexKey, started, clock, warnings }), { values: true });
}

/** fullParse after manifest.json: the parse's lines, the index, the last line. */
function parseEnd(inv: Invocation, project: LoadedProject, { indexKey, started, clock, warnings }: { indexKey: string; started: number; clock: number; warnings: ParseIndexWarning[] }): number {
  const { basis } = project;
  const lines = targetAnnouncement(inv, project);
  for (const line of lines) announceLine(inv, line);
  const { warn_error, warn_error_options, require_all_warnings_handled_by_warn_error } = project.config.flags;
  // Deprecation warnings depend on today's date: such a project is parsed again each time. So is
  // one whose dbt_project.yml or profiles.yml prints (log, print): dbt renders them on every command.
  const dated = recordValues(project.parsed.manifest.nodes).some((n) => n.deprecation_date) || printedWhileLoading(inv);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  // --no-write-json: dbt writes no manifest.json, and without one there is nothing to index.
  if (inv.options.writeJson === false) {
    removeParseIndex(project.targetDir);
    inv.logger.info(`Parsed the project in ${seconds}s (--no-write-json: no manifest.json written)`, 'ParseCompleted');
    return EXIT_OK;
  }
  // dbt_project.yml's `partial_parse: false` turns partial parsing off for every parse of the project
  // that --partial-parse (or DBT_PARTIAL_PARSE) does not turn on again: no index to repeat then.
  const projectTurnsItOff = project.config.flags.partial_parse === false;
  if (projectTurnsItOff && inv.options.noPartialParse !== false) removeParseIndex(project.targetDir);
  // Without the file diff the files were not read against the parse: the index keeps describing the files it was made from.
  else if (!dated && inv.options.noPartialParseFileDiff !== true) writeParseIndex(project.targetDir, indexKey, project.inputs, { infoLines: lines, warnings, warnErrorFlags: { warn_error, warn_error_options, require_all_warnings_handled_by_warn_error }, dbtSchemaChecks: inv.logger.dbtSchemaChecks, logs: replayedLogs(inv, project), ...debugDependent(inv, project), ...(projectTurnsItOff ? { onlyWithPartialParseFlag: true as const } : {}) }, basis.generation, sqlFileEntries(project), clock, inv.projectDir);
  inv.logger.info(`Parsed the project in ${seconds}s; wrote ${path.relative(inv.projectDir, path.join(project.targetDir, 'manifest.json'))}`, 'ParseCompleted');
  return EXIT_OK;
}

/** The root project's model, singular-test and analysis files that each make one node, for an edit of their text alone (parse-text-edit.ts). */
function sqlFileEntries(project: LoadedProject): Record<string, SqlFileEntry> {
  const entries: Record<string, SqlFileEntry> = {};
  const kinds: Record<string, string> = { model: 'model', test: 'test', analysis: 'analysis' };
  let position = 0;
  recordValues(project.parsed.manifest.nodes).forEach((node, order) => {
    const inManifest = node.resource_type !== 'unit_test' ? position++ : -1;
    const kind = kinds[node.resource_type];
    if (!kind || node.package_name !== project.config.name || node.test_metadata || (node.version !== undefined && node.version !== null)) return;
    const skeleton = jinjaSkeleton(node.raw_code);
    if (skeleton === null) return;
    entries[path.resolve(project.config.projectDir, node.original_file_path)] = { id: node.unique_id, cacheKey: `${kind}:${node.original_file_path}`, chunk: Math.floor(order / NODES_PER_CHUNK), position: inManifest, skeleton };
  });
  return entries;
}

/**
 * clean: deletes clean-targets (default: target path), as dbt's CleanTask: a target that is one of
 * the project's source paths (models, seeds, macros, tests...) is refused, and so is one outside
 * the project unless `--no-clean-project-files-only` (then it is skipped with a warning: tsdbt
 * never deletes outside the project).
 */
// eslint-disable-next-line @typescript-eslint/require-await -- a command's signature: what it throws is a rejection
export async function cleanCommand(inv: Invocation, options: { cleanProjectFilesOnly?: boolean } = {}): Promise<number> {
  // dbt's clean runs without a profile (UnsetProfile): dbt_project.yml renders with an empty `target`.
  const { config } = loadConfigWithoutProfile(inv);
  const targets = config.cleanTargets.length ? config.cleanTargets : [config.targetPath];
  const resolved = (rel: string) => path.resolve(inv.projectDir, rel);
  const sourcePaths = new Set([...config.modelPaths, ...config.seedPaths, ...config.snapshotPaths, ...config.analysisPaths, ...config.macroPaths, ...config.testPaths].map(resolved));
  const sources = targets.filter((rel) => sourcePaths.has(resolved(rel)));
  const projectFile = { file: 'dbt_project.yml', line: 1 };
  if (sources.length) {
    throw new TsdbtError(`dbt will not clean the following source paths: ${JSON.stringify(sources.map(resolved))}`, { code: 'project-invalid', location: projectFile, hint: 'remove them from clean-targets: clean deletes generated folders (target, dbt_packages), never the project\'s own files' });
  }
  const inside = (abs: string) => abs.startsWith(inv.projectDir + path.sep);
  const outside = targets.filter((rel) => !inside(resolved(rel)));
  if (outside.length && options.cleanProjectFilesOnly !== false) {
    throw new TsdbtError(`dbt will not clean the following directories outside the project: ${JSON.stringify(outside.map(resolved))}`, { code: 'project-invalid', location: projectFile, hint: 'list folders inside the project in clean-targets (or pass --no-clean-project-files-only to skip these)' });
  }
  // dbt's CheckCleanPath and ConfirmCleanPath for each target (its absolute path), then FinishedCleanPaths.
  for (const rel of targets) {
    const abs = resolved(rel);
    if (!inside(abs)) {
      inv.logger.warn(`not cleaning ${rel}: it is outside the project`);
      continue;
    }
    inv.logger.info(`Checking ${abs}/*`, 'CheckCleanPath', { path: abs });
    if (existsSync(abs)) rmSync(abs, { recursive: true, force: true });
    inv.logger.info(`Cleaned ${abs}/*`, 'ConfirmCleanPath', { path: abs });
  }
  inv.logger.info('Finished cleaning all paths.', 'FinishedCleanPaths');
  return EXIT_OK;
}

/** dbt_project.yml's log settings, for dbt.log of a repeated parse (ParseReplay.logs). */
function replayedLogs(inv: Invocation, project: LoadedProject): { flags: Record<string, unknown>; logPath: string | null } {
  const { log_format, log_format_file, log_level, log_level_file, debug } = project.config.flags;
  return { flags: { log_format, log_format_file, log_level, log_level_file, debug }, logPath: logPathFlag(inv) === undefined ? project.config.logPath : null };
}
