// Loads a project for a command: dbt_project.yml, the profile (or the embedded default), the
// project's files, and the parsed Manifest with its DAG. No database connection is opened here.
import { checkRequiredDbtVersion } from '../packages/dbt-version-check.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { dialectFor } from '../adapters/index.js';
import type { AdapterTargetConfig } from '../adapters/adapter.js';
import { quotePolicyOf } from '../adapters/source-relation.js';
import { profileSearchPath } from '../config/index.js';
import type { ProjectConfig, ResolvedProfile } from '../config/types.js';
import { buildManifest, relinkManifest, type ParsedManifest } from '../graph/manifest-builder.js';
import { modelDeprecationWarnings } from '../graph/model-deprecations.js';
import { resourceNamesWithSpacesWarnings, spacedNamesOnlyWarn } from '../graph/resource-names-with-spaces.js';
import { reparseSqlFiles } from '../graph/reparse-sql-files.js';
import { plural } from './run-summary.js';
import { parseCacheKeys, readParseCache, recordingEnv, writeParseCache } from './parse-cache.js';
import { logStateCheckVarsHash } from './state-check-event.js';
import type { ParseInputs, Stamp } from './parse-index.js';
import type { ProjectFile } from '../project/types.js';
import { formatLocation } from '../errors/tsdbt-error.js';
import { RenderSession } from '../compile/render-session.js';
import { flatGraph } from '../artifacts/flat-graph.js';
import { DBTIGNORE_FILE, discoverProject, relocatedFile } from '../project/index.js';
import { CATALOGS_FILE, checkCatalogSupport, loadCatalogs } from '../config/catalogs.js';
import { builtinCodeCache, globalMacroFiles } from './global-project.js';
import { loadInstalledPackages } from '../packages/installed-packages.js';
import { packageVars } from '../packages/package-vars.js';
import { invocationArgs, invocationFlags } from './flags-context.js';
import type { Invocation } from './invocation.js';
import { logFileWarning } from './jsonschema-gate.js';
import { slowProgress, slowStepAfterMs, type SlowProgress } from '../time/slow-step.js';
import { loadConfigAndProfile, logYamlWarnings, projectRenderer, targetContext } from './config-and-profile.js';

export { loadConfigAndProfile, projectRenderer, resolveProfile, targetContext } from './config-and-profile.js';
import { changesOverrideMacro, DBT_REASONS, logCacheMiss } from './parse-cache-reasons.js';
import { recordValues, withKeysKept } from '../manifest/record-values.js';
import { firingSemanticFailures } from './semantic-validation-events.js';

export interface LoadedProject {
  config: ProjectConfig;
  profile: ResolvedProfile;
  target: AdapterTargetConfig;
  targetDir: string;
  session: RenderSession;
  parsed: ParsedManifest;
  cliVars: Record<string, unknown>;
  /** Installed packages (dbt_packages/), by name. */
  packages: ProjectConfig[];
  /** The files, folders and env vars the load read. */
  inputs: ParseInputs;
  /** Which parse the manifest came from, for rewriting only what changed in manifest.json. */
  basis: ParseBasis;
}

export interface ParseBasis {
  /** The partial_parse.bin generation the manifest was loaded from (null: parsed whole). */
  loadedFrom: string | null;
  /** The generation now in partial_parse.bin. */
  generation: string;
  /** The nodes parsed again since `loadedFrom`. */
  changed: string[];
}

/** What parsing warned about, each under its dbt event name (what --warn-error-options lists). */
function logParseWarnings(inv: Invocation, parsed: ParsedManifest, config: ProjectConfig): void {
  const seen = new Set<string>();
  // Model deprecations depend on today's date, the spaces warnings on --debug: computed on each load, a cached parse included.
  const spaces = spacedNamesOnlyWarn(config.flags) ? resourceNamesWithSpacesWarnings(parsed.manifest, inv.options.debug === true) : [];
  for (const w of [...parsed.manifest.warnings, ...spaces, ...modelDeprecationWarnings(parsed.manifest, inv.now())]) {
    const key = `${formatLocation(w.location)}\n${w.message}`;
    if (seen.has(key)) continue; // once each
    seen.add(key);
    logFileWarning(inv, w, 'ParseWarning');
  }
}

/**
 * `compilesAll`: the command compiles every node after the parse (docs generate): see JinjaEnvironment.keepCodeAhead.
 * `catalogs`: the command reads catalogs.yml before the parse, as dbt's `@requires.catalogs` commands
 * (build, compile, parse, run, seed, snapshot, test) do.
 */
export function loadProject(invocation: Invocation, options: LoadOptions = {}): LoadedProject {
  return drain(loadSteps(invocation, options));
}

export interface LoadOptions {
  compilesAll?: boolean;
  catalogs?: boolean;
  /**
   * Told the target and the target folder as soon as the profile is read, before the project's
   * files and the parse: a command that will connect starts its login then (early-adapter.ts).
   */
  onTarget?: (target: AdapterTargetConfig, targetDir: string) => void;
}

/**
 * loadProject, handing the event loop a turn between its steps (after the profile, the files, the
 * render session, the cache's keys, the cache read): a login started by `onTarget` goes on between
 * them (its messages are sent and answered while the load works), instead of waiting for the
 * whole load (issue 18: the run's first statement). The same steps as loadProject otherwise.
 */
export async function loadProjectYielding(invocation: Invocation, options: LoadOptions = {}): Promise<LoadedProject> {
  const steps = loadSteps(invocation, options);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** A load's steps run to their end at once (each `yield` is a point where the event loop may take a turn). */
function drain<T>(steps: Generator<void, T>): T {
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}

function* loadSteps(invocation: Invocation, { compilesAll = false, catalogs = false, onTarget }: LoadOptions): Generator<void, LoadedProject> {
  // "A line whenever something takes more than two seconds": a large project's parse says where it is.
  const progress = slowProgress((text) => invocation.logger.info(`Parsing the project: ${text}`, 'ParseProgress'), { afterMs: slowStepAfterMs(invocation.env) });
  try {
    const loaded = yield* parseProject(invocation, progress, compilesAll, catalogs, onTarget);
    // The code of the templates this parse compiled (macro files, rendered SQL files), for the next
    // run; a command compiling every node saves it once it has (the file is written whole each time).
    if (!compilesAll) loaded.session.jinja.saveCode();
    return loaded;
  } finally {
    progress.stop();
  }
}

/**
 * The load as the pipeline it is: the render base (renderBase: dbt_project.yml and the profile,
 * the project's and packages' files, the cache's keys, the render session over their macros),
 * then the manifest: reused from partial_parse.bin when nothing it depends on changed, the
 * edited SQL files parsed again when only they changed, or parsed whole (parseManifest).
 */
function* parseProject(invocation: Invocation, progress: SlowProgress, compilesAll: boolean, catalogs: boolean, onTarget: LoadOptions['onTarget']): Generator<void, LoadedProject> {
  const base = yield* renderBaseSteps(invocation, progress, onTarget);
  yield;
  const { inv, config, profile, targetDir, cliVars, files, cacheKeys, envReads, session } = base;
  // Each catalog's active write integration goes to the adapter before the manifest is parsed.
  if (catalogs) checkCatalogSupport(loadCatalogs(inv.projectDir, projectRenderer(inv, cliVars, profile)), profile.target.type);
  session.jinja.keepCodeAhead = compilesAll;
  const { raw, packages, packageFiles } = files;
  const fileCount = plural(raw.files.length + packageFiles.length, 'file');
  const hasCache = !inv.options.noPartialParse && existsSync(path.join(targetDir, 'partial_parse.bin'));
  progress.update(hasCache ? `checking ${fileCount} against target/partial_parse.bin` : `parsing ${fileCount}`);
  const cacheMiss = logCacheMiss(inv.logger);
  // --no-partial-parse, DBT_PARTIAL_PARSE=false or dbt_project.yml's `partial_parse: false`: dbt's read_manifest_for_partial_parse says so.
  if (inv.options.noPartialParse) inv.logger.debug('Partial parsing not enabled', 'PartialParsingNotEnabled');
  const cached = inv.options.noPartialParse ? null : readParseCache(targetDir, cacheKeys, inv.env, cacheMiss, { fileDiff: inv.options.noPartialParseFileDiff !== true });
  yield;
  /** What this load read, for the index of `tsdbt parse` (parse-index.ts). */
  const inputs = (): ParseInputs => ({
    stamps: takenStamps([...raw.files, ...packageFiles]),
    files: [
      ...[...raw.files, ...packageFiles].map((f) => f.absPath),
      ...[config, ...packages.map((p) => p.config)].flatMap((c) => [path.join(c.projectDir, 'dbt_project.yml'), path.join(c.projectDir, DBTIGNORE_FILE)]),
      ...['packages.yml', 'dependencies.yml', CATALOGS_FILE].map((f) => path.join(config.projectDir, f)),
      // Every profiles.yml candidate, absent ones too: one created earlier in the search wins.
      ...profileSearchPath({ projectDir: inv.projectDir, cwd: inv.cwd, profilesDir: inv.options.profilesDir, env: inv.env }).map((d) => path.resolve(inv.projectDir, d, 'profiles.yml')),
    ],
    dirs: [...raw.dirs, ...packages.flatMap((p) => p.dirs), path.resolve(config.projectDir, config.packagesInstallPath)],
    envReads: { ...envReads },
  });
  const { parsed, basis } = parseManifest(inv, { config, files, session, cached, cacheKeys, envReads, targetDir, progress, buildTarget: base.buildTarget });
  return { config, profile, target: profile.target, targetDir, session, parsed, cliVars, packages: packages.map((p) => p.config), inputs: inputs(), basis };
}

/** The stamps the load took of its files as it read them (by absolute path), for the parse index. */
function takenStamps(files: readonly ProjectFile[]): Map<string, Stamp> {
  const stamps = new Map<string, Stamp>();
  for (const file of files) {
    const stamp = file.takenStamp;
    if (stamp && stamp.size >= 0) stamps.set(file.absPath, [stamp.size, stamp.mtimeMs]);
  }
  return stamps;
}

/** Everything a parse renders with, before any SQL or property file is parsed. */
export interface RenderBase {
  /** The invocation, its env recording what is read (into `envReads`). */
  inv: Invocation;
  config: ProjectConfig;
  profile: ResolvedProfile;
  targetDir: string;
  cliVars: Record<string, unknown>;
  files: ProjectFiles;
  cacheKeys: ReturnType<typeof parseCacheKeys>;
  /** Every env var read so far (dbt_project.yml's and profiles.yml's included), and later by the session's renders. */
  envReads: Record<string, string | null>;
  session: RenderSession;
  /** Where nodes are built by default: the target's schema and database. */
  buildTarget: { schema: string; database: string };
}

/**
 * dbt_project.yml and the profile, the project's and packages' files, the partial-parse cache's
 * keys and the render session over their macros (its errors thrown).
 */
export function renderBase(invocation: Invocation, progress?: SlowProgress): RenderBase {
  return drain(renderBaseSteps(invocation, progress));
}

function* renderBaseSteps(invocation: Invocation, progress?: SlowProgress, onTarget?: LoadOptions['onTarget']): Generator<void, RenderBase> {
  const base = yield* baseSteps(invocation, false, progress, onTarget);
  yield;
  const { inv, config, profile, targetDir, cliVars, files } = base;
  const target = targetContext(profile.target, profile.profileName);
  const cacheKeys = parseCacheKeys({
    targetDir,
    profile: target,
    settings: {
      projectDir: inv.projectDir,
      config: config.raw,
      // A package's dbt_project.yml (its vars, paths and configs) is read by parsing too.
      packages: files.packages.map((p) => p.config.raw),
      target,
      cliVars,
      fullRefresh: Boolean(inv.options.fullRefresh),
      storeFailures: Boolean(inv.options.storeFailures),
    },
    parts: {
      vars: { cliVars, profile: profile.profileName, target: profile.target.name },
      projects: [config, ...files.packages.map((p) => p.config)].map((c) => ({ name: c.name, config: c.raw })),
    },
    files: [...files.raw.files, ...files.packageFiles],
    globalMacros: globalMacroFiles(dialectFor(profile.target).macroDir).map((f) => f.source),
  });
  logStateCheckVarsHash(inv.logger, cliVars, inv.options.profile, inv.options.target);
  return { ...base, cacheKeys };
}

/**
 * What a parse of a few root-project SQL files needs when nothing else changed (parse-jinja-edit.ts):
 * the render base with the macro files alone discovered (the project's other files are known
 * unchanged: not walked, as a 10,000-model project's 10,000 are not), and no cache keys.
 */
export type MacroRenderBase = Omit<RenderBase, 'cacheKeys'>;

export function macroRenderBase(invocation: Invocation): MacroRenderBase {
  return drain(baseSteps(invocation, true));
}

/** The render base but for the cache keys: config and profile, the files (`macrosOnly`: the macro files alone), the render session (its errors thrown). */
function* baseSteps(invocation: Invocation, macrosOnly: boolean, progress?: SlowProgress, onTarget?: LoadOptions['onTarget']): Generator<void, MacroRenderBase> {
  const envReads: Record<string, string | null> = {};
  const inv: Invocation = { ...invocation, env: recordingEnv(invocation.env, envReads) };
  const { config, profile, targetDir, cliVars } = loadConfigAndProfile(inv);
  const target = profile.target;
  if (onTarget) {
    onTarget(target, targetDir);
    yield;
  }
  progress?.update("reading the project's files");
  const files = projectFiles(inv, config, profile, cliVars, macrosOnly);
  yield;
  const session = renderSession(inv, { config, profile, cliVars, files, targetDir, progress });
  session.parsePhase.throwIfErrors();
  return { inv, config, profile, targetDir, cliVars, files, envReads, session, buildTarget: { schema: target.schema, database: target.database ?? dialectFor(target).defaultDatabase } };
}

/**
 * The root project's files, the installed packages' (as the root names them), and every macro file
 * with its namespace; `macrosOnly`: the macro files alone (discoverProject's).
 */
function projectFiles(inv: Invocation, config: ProjectConfig, profile: ResolvedProfile, cliVars: Record<string, unknown>, macrosOnly: boolean) {
  const dialect = dialectFor(profile.target);
  const raw = discoverProject(config, { macrosOnly });
  for (const file of raw.unsupported) inv.logger.warnOrError(`${file}: Python models are not supported by tsdbt; skipping it`, 'UnsupportedPythonModel');
  const packages = loadInstalledPackages(config, projectRenderer(inv, cliVars, profile)).map((installed) => ({ ...installed, ...discoverProject(installed.config, { macrosOnly }) }));
  for (const p of packages) {
    if (!inv.options.noVersionCheck) checkRequiredDbtVersion(p.config, path.join(p.display, 'dbt_project.yml'));
    logYamlWarnings(inv, p.config.warnings);
  }
  const packageNames = [config.name, ...packages.map((p) => p.config.name)];
  // Package files as the root project names them (dbt_packages/dbt_utils/macros/...).
  const packageFiles = packages.flatMap((p) => p.files.map((f) => Object.assign(relocatedFile(f, path.join(p.display, f.path)), { namespace: p.config.name })));
  const macroFiles = [
    ...globalMacroFiles(dialect.macroDir).map((source) => ({ source, namespace: 'dbt' })),
    ...raw.files.filter((f) => f.kind === 'macro').map((f) => ({ source: { path: f.path, source: f.content ?? '' }, namespace: config.name })),
    ...packageFiles.filter((f) => f.kind === 'macro').map((f) => ({ source: { path: f.path, source: f.content ?? '' }, namespace: f.namespace })),
  ];
  return { raw, packages, packageNames, packageFiles, macroFiles };
}

type ProjectFiles = ReturnType<typeof projectFiles>;


/** The render session of this load (compile/'s parse phase first), over the project's and packages' macros. */
function renderSession(
  inv: Invocation,
  { config, profile, cliVars, files, targetDir, progress }: { config: ProjectConfig; profile: ResolvedProfile; cliVars: Record<string, unknown>; files: ProjectFiles; targetDir: string; progress?: SlowProgress },
): RenderSession {
  const { target } = profile;
  const dialect = dialectFor(target);
  const { packages, packageNames, macroFiles } = files;
  const packageConfigs = new Map(packages.map((p) => [p.config.name, p.config]));
  const varsFor = (pkg: string) => packageVars(config, packageConfigs.get(pkg) ?? null, pkg, cliVars);
  return new RenderSession(
    {
      codeCacheFile: path.join(targetDir, 'template_code.bin'),
      sharedCodeCache: builtinCodeCache(),
      projectName: config.name,
      packages: packageNames,
      targetContext: targetContext(target, profile.profileName),
      env: inv.env,
      varsFor,
      invocationId: inv.invocationId,
      runStartedAt: inv.startedAt,
      now: inv.now,
      flags: invocationFlags(inv, config),
      invocationArgs: invocationArgs(inv, config, cliVars),
      runtime: {
        projects: [config, ...packages.map((p) => p.config)].map((c) => ({ name: c.name, version: c.version })),
        profileName: profile.profileName,
        targetName: target.name,
        projectVars: config.vars,
        cliVars,
        projectFlags: config.flags,
        quoting: config.quoting,
      },
      dialect: dialect.relation,
      quoting: quotePolicyOf(config.quoting),
      sql: dialect.sql,
      dispatchPrefixes: dialect.dispatchPrefixes,
      columnTypes: dialect.rules.columnTypes,
      flatGraph,
      dispatch: config.dispatch.map((d) => ({ macroNamespace: d.macroNamespace, searchOrder: d.searchOrder })),
      progress: (status) => progress?.update(status),
      log: (message, level, event, nodeId) => inv.logger.jinjaLog(message, level, event, nodeId),
    },
    macroFiles,
  );
}

interface ManifestSources {
  config: ProjectConfig;
  files: ProjectFiles;
  session: RenderSession;
  cached: ReturnType<typeof readParseCache>;
  cacheKeys: ReturnType<typeof parseCacheKeys>;
  envReads: Record<string, string | null>;
  targetDir: string;
  progress: SlowProgress;
  buildTarget: { schema: string; database: string };
}

/** The manifest, from partial_parse.bin where it still holds (edited SQL files parsed again) or parsed whole; written back to the cache. */
function parseManifest(inv: Invocation, m: ManifestSources): { parsed: ParsedManifest; basis: ParseBasis } {
  const { config, files, session, cached, cacheKeys, envReads, targetDir, progress, buildTarget } = m;
  if (cached && cached.changedFiles.length > 0) {
    // Only some files changed: the root project's edited SQL files are parsed again on their own.
    const rootFiles = new Map(files.raw.files.map((f) => [`${f.kind}:${f.path}`, f]));
    const changed = cached.changedFiles.map((key) => rootFiles.get(key));
    const reparsed = changed.every((f) => f !== undefined)
      ? reparseSqlFiles({ manifest: cached.manifest, disabled: cached.disabled, files: changed, project: config, session: session.parsePhase, target: buildTarget })
      : null;
    if (reparsed) {
      inv.logger.debug(`Partial parse: ${plural(changed.length, 'changed file')} parsed again, the rest reused from target/partial_parse.bin`, 'PartialParsingEnabled', { deleted: 0, added: 0, changed: changed.length });
      session.setManifest(reparsed.manifest);
      Object.assign(envReads, cached.envReads, envReads);
      progress.update('writing target/partial_parse.bin');
      const generation = writeParseCache(targetDir, cacheKeys, envReads, reparsed.manifest, reparsed.disabled, { chunks: cached.chunks, changed: new Set(reparsed.reparsed) }, reparsed.dag);
      logParseWarnings(inv, reparsed, config);
      return { parsed: reparsed, basis: { loadedFrom: cached.generation, generation, changed: reparsed.reparsed } };
    }
    const shown = cached.changedFiles.slice(0, 3).join(', ') + (cached.changedFiles.length > 3 ? ', ...' : '');
    if (changesOverrideMacro(cached.changedFiles, [recordValues(session.macros), recordValues(cached.manifest.macros)])) logCacheMiss(inv.logger)(DBT_REASONS.overrideMacro);
    else inv.logger.debug(`Unable to do partial parsing because the changed files (${shown}) are not all root-project SQL files whose nodes can be parsed again on their own: parsing the whole project`, 'UnableToPartialParse', { reason: `the changed files (${shown}) are not all root-project SQL files whose nodes can be parsed again on their own` });
  }
  if (cached && cached.changedFiles.length === 0) {
    inv.logger.debug('Reusing the previous parse (target/partial_parse.bin): nothing it depends on changed', 'PartialParsingSkipParsing');
    const relinked = relinkManifest(cached.manifest, cached.disabled, cached.dag);
    session.setManifest(relinked.manifest);
    // The parse's warnings again: a cached parse must not let --warn-error pass what a full one stops.
    logParseWarnings(inv, relinked, config);
    Object.assign(envReads, cached.envReads);
    return { parsed: relinked, basis: { loadedFrom: cached.generation, generation: cached.generation, changed: [] } };
  }
  const parsed = firingSemanticFailures(inv.logger, () =>
    buildManifest({ project: config, files: files.raw.files, pythonModels: files.raw.unsupported, packages: files.packages.map((p) => ({ config: p.config, files: p.files })), session: session.parsePhase, target: buildTarget }),
  );
  session.setManifest(parsed.manifest);
  const { read, rendered } = session.parsePhase.staticParserCounts;
  if (read + rendered > 0) inv.logger.debug(`Static parser: ${read} of ${read + rendered} SQL files read from their syntax, ${rendered} rendered`, 'StaticParserSummary');
  for (const { path: file, reason } of session.parsePhase.staticParserRendered) inv.logger.debug(`Static parser: ${file} is rendered (${reason})`, 'StaticParserRendered');
  progress.update('writing target/partial_parse.bin');
  // Both walk manifest.nodes (30,000 keys for 10,000 models) and change none: its values listed once.
  const generation = withKeysKept(
    parsed.manifest.nodes,
    () => {
      const written = writeParseCache(targetDir, cacheKeys, envReads, parsed.manifest, parsed.disabled, undefined, parsed.dag);
      logParseWarnings(inv, parsed, config);
      return written;
    },
    { values: true },
  );
  return { parsed, basis: { loadedFrom: null, generation, changed: [] } };
}
