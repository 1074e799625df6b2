// The programmatic API: one function per command, each returning the exit code the CLI uses
// (0 ok, 1 a node failed, 2 usage/project error). The CLI and the scheduler both call these.
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { EXIT_NODE_FAILURE, EXIT_OK } from '../errors/exit-codes.js';
import type { TsdbtError} from '../errors/tsdbt-error.js';
import { asTsdbtError, hasErrorCode, throwCollected } from '../errors/tsdbt-error.js';
import { nodeRefOf } from '../graph/node-ref.js';
import type { NodeResult } from '../manifest/results.js';
import type { ManifestNode } from '../manifest/types.js';
import { buildExecutionPlan, type Command } from '../plan/execution-plan.js';
import { Compiler } from '../compile/compiler.js';
import { connectTemplates } from '../jinja/dbt/warehouse-calls.js';
import { compiledPath } from '../execution/node-executor.js';
import { dialectFor, EMBEDDED_DEFAULT } from '../adapters/index.js';
import { writeProjectManifest } from '../artifacts/manifest-writer.js';
import { executePlan, openAdapter, writeCommandRunResults } from './execute-plan.js';
import type { Invocation } from './invocation.js';
import { loadConfigAndProfile, loadProject, type LoadedProject } from './project-loader.js';
import { plural } from './run-summary.js';
import { writeParseIndex, type SqlFileEntry } from './parse-index.js';
import { NODES_PER_CHUNK } from './parse-cache.js';
import { jinjaSkeleton } from '../jinja/tag-skeleton.js';
import { fileWriter } from './background-writer.js';
import { progressCount, slowProgress, slowStepAfterMs } from '../time/slow-step.js';
import { selectForInvocation, warnIfStateIsTarget } from './select.js';
import { preflightSeeds } from './seed-preflight.js';
import { Deferral, deferStateDir, stateArtifactsFor } from '../state/index.js';

export { lsCommand } from './ls-command.js';

/** The `Found 3 models, ...` line (and the embedded default's notice). */
export function announceTarget(inv: Invocation, project: LoadedProject): void {
  for (const line of targetAnnouncement(inv, project)) inv.logger.info(line);
}

function targetAnnouncement(inv: Invocation, project: LoadedProject): string[] {
  const lines: string[] = [];
  if (project.profile.embeddedDefault) {
    lines.push(`No profiles.yml found: using ${EMBEDDED_DEFAULT.label} at ${path.relative(inv.projectDir, String(project.target.path)) || String(project.target.path)}`);
  }
  const m = project.parsed.manifest;
  const counts = new Map<string, number>();
  for (const node of Object.values(m.nodes)) counts.set(node.resource_type, (counts.get(node.resource_type) ?? 0) + 1);
  const count = (type: string) => counts.get(type) ?? 0;
  // dbt's line: only kinds the project has, beyond models, tests, sources and macros.
  const parts = [
    plural(count('model'), 'model'),
    ...(count('snapshot') ? [plural(count('snapshot'), 'snapshot')] : []),
    ...(count('seed') ? [plural(count('seed'), 'seed')] : []),
    plural(count('test'), 'data test'),
    ...(count('unit_test') ? [plural(count('unit_test'), 'unit test')] : []),
    plural(Object.keys(m.sources).length, 'source'),
    plural(Object.keys(m.macros).length, 'macro'),
  ];
  lines.push(`Found ${parts.join(', ')}`);
  return lines;
}

/** run / seed / test / build. */
export async function runCommand(inv: Invocation, command: Exclude<Command, 'compile'>): Promise<number> {
  return (await runCommandWithResults(inv, command)).code;
}

/** A command's exit code with its node results and counts (the scheduler records them). */
export async function runCommandWithResults(inv: Invocation, command: Exclude<Command, 'compile'>): Promise<{ code: number } & Awaited<ReturnType<typeof executePlan>>> {
  const project = loadProject(inv);
  announceTarget(inv, project);
  const { manifest, dag } = project.parsed;
  const selected = selectForInvocation(inv, manifest, dag, project.targetDir);
  project.session.setSelection(command, selected);
  const plan = buildExecutionPlan(manifest, dag, selected, command);
  await preflightSeeds(plan, dialectFor(project.target).sql, (message) => inv.logger.warnOrError(message, 'SeedColumnNameShortened'));
  const outcome = await executePlan(inv, project, plan, { deferral: deferralFor(inv, project.targetDir, selected, command === 'test' ? [] : plan.steps.map((s) => s.id)) });
  return { code: outcome.counts.error + outcome.counts.partial > 0 ? EXIT_NODE_FAILURE : EXIT_OK, ...outcome };
}

/** The --defer settings of an invocation as a Deferral (null without --defer); `builds`: what the command builds. */
export function deferralFor(inv: Invocation, targetDir: string, selected: ReadonlySet<string>, builds: Iterable<string>): Deferral | null {
  const dir = deferStateDir(inv.options);
  if (dir === null) return null;
  const state = stateArtifactsFor(inv, inv.projectDir, dir, inv.options.deferState ? '--defer-state' : '--state', warnIfStateIsTarget(inv, targetDir));
  return new Deferral({ state: state.manifest, selected, builds: new Set(builds), favorState: Boolean(inv.options.favorState) });
}

/** compile: renders the selected nodes into target/compiled (refs resolved; no DDL is run). */
export async function compileCommand(inv: Invocation): Promise<number> {
  const project = loadProject(inv);
  announceTarget(inv, project);
  const { manifest, dag, refs } = project.parsed;
  const selected = selectForInvocation(inv, manifest, dag, project.targetDir);
  project.session.setSelection('compile', selected);
  const plan = buildExecutionPlan(manifest, dag, selected, 'compile');
  const errors: TsdbtError[] = [];
  // target/compiled only, as dbt's compile (target/run holds what a build ran); many files are
  // written by a worker thread while this one renders, and only those whose text changed since the
  // last compile (background-writer.ts, with target/compiled.index.json).
  const files = fileWriter(plan.steps.length, { indexFile: path.join(project.targetDir, 'compiled.index.json') });
  const progress = slowProgress((text) => inv.logger.info(`Compiling: ${text}`, 'CompileProgress'), { afterMs: slowStepAfterMs(inv.env) });
  // Each node's result, as dbt's compile records it in run_results.json (status, timing, compiled_code).
  const results = new Map<string, NodeResult>();
  const record = (node: ManifestNode, started: Date, outcome: { sql: string } | { error: TsdbtError }) => {
    const completed = inv.now();
    results.set(node.unique_id, {
      unique_id: node.unique_id,
      status: 'sql' in outcome ? 'success' : 'error',
      timing: [{ name: 'compile', started_at: started.toISOString(), completed_at: completed.toISOString() }],
      thread_id: 'Thread-1',
      execution_time: (completed.getTime() - started.getTime()) / 1000,
      adapter_response: {},
      message: 'sql' in outcome ? null : outcome.error.message,
      failures: null,
      compiled_code: 'sql' in outcome ? outcome.sql : null,
      relation_name: node.relation_name ?? null,
    });
  };
  const write = (node: ManifestNode, sql: string, started: Date) => {
    files.write(compiledPath(project.targetDir, 'compiled', node), sql);
    record(node, started, { sql });
  };
  const failed = (node: ManifestNode, err: unknown, started: Date) => {
    const error = asTsdbtError(err).inNode(nodeRefOf(node));
    error.location ??= { file: node.original_file_path };
    errors.push(error);
    record(node, started, { error });
  };
  const compileStarted = performance.now();
  try {
    // Without a connection first: the warehouse is opened only if a template asks it something
    // (run_query, adapter.get_columns_in_relation...), as an unconnected project compiles offline.
    const offline = new Compiler(project.session, manifest, refs, dialectFor(project.target).sql);
    offline.prepare(plan.steps.map((s) => s.node));
    if (inv.options.empty) offline.readNoRows();
    // --defer asks the warehouse once which of this target's relations exist.
    const deferral = deferralFor(inv, project.targetDir, selected, []);
    if (deferral) {
      const adapter = await openAdapter(inv, project);
      try {
        await deferral.scan(adapter, manifest);
      } finally {
        await adapter.close();
      }
      offline.deferTo(deferral);
    }
    const needWarehouse: (typeof plan.steps)[number]['node'][] = [];
    for (const [i, step] of plan.steps.entries()) {
      progress.update(() => `${progressCount(i, plan.steps.length)} nodes`);
      const started = inv.now();
      try {
        write(step.node, offline.compile(step.node).sql, started);
      } catch (err) {
        if (hasErrorCode(err, 'warehouse-unavailable')) needWarehouse.push(step.node);
        else failed(step.node, err, started);
      }
    }
    if (needWarehouse.length > 0) {
      const adapter = await openAdapter(inv, project);
      try {
        const renders = connectTemplates(project.session, adapter, (message) => inv.logger.info(message));
        const compiler = new Compiler(project.session, manifest, refs, adapter.sql, renders);
        if (inv.options.empty) compiler.readNoRows();
        if (deferral) compiler.deferTo(deferral);
        await adapter.withConnection(async (conn) => {
          for (const node of needWarehouse) {
            const started = inv.now();
            try {
              write(node, (await compiler.withWarehouse(conn, node.unique_id, () => compiler.compile(node))).sql, started);
            } catch (err) {
              failed(node, err, started);
            }
          }
        });
      } finally {
        await adapter.close();
      }
    }
  } finally {
    progress.update('writing the compiled files');
    await files.close();
    progress.stop();
    project.session.jinja.saveCode();
  }
  // run_results.json is written whether or not a node failed, as dbt's compile writes it.
  const inOrder = plan.steps.flatMap((step) => results.get(step.node.unique_id) ?? []);
  await writeCommandRunResults(inv, project, inOrder, (performance.now() - compileStarted) / 1000, 'compile');
  throwCollected(errors);
  await writeProjectManifest(inv, project);
  inv.logger.info(`Compiled ${plan.steps.length} nodes into ${path.relative(inv.projectDir, path.join(project.targetDir, 'compiled'))}`);
  return EXIT_OK;
}

/**
 * parse: the whole parse, then manifest.json and the index that lets the next parse answer from
 * file stamps alone when nothing changed (parse-command.ts asks it first).
 */
export async function fullParse(inv: Invocation, indexKey: string, started: number): Promise<number> {
  const warnings: { text: string; event: string }[] = [];
  inv.logger.onWarnOrError = (text, event) => warnings.push({ text, event });
  let project: LoadedProject;
  try {
    project = loadProject(inv);
  } finally {
    inv.logger.onWarnOrError = undefined;
  }
  // After a partial parse, only the changed nodes (and metadata and maps) of manifest.json are rewritten.
  await writeProjectManifest(inv, project);
  const { basis } = project;
  const lines = targetAnnouncement(inv, project);
  for (const line of lines) inv.logger.info(line);
  const { warn_error, warn_error_options } = project.config.flags;
  // Deprecation warnings depend on today's date: such a project is parsed again each time.
  const dated = Object.values(project.parsed.manifest.nodes).some((n) => n.deprecation_date);
  if (!dated) writeParseIndex(project.targetDir, indexKey, project.inputs, { infoLines: lines, warnings, warnErrorFlags: { warn_error, warn_error_options } }, basis.generation, sqlFileEntries(project));
  inv.logger.info(`Parsed the project in ${((performance.now() - started) / 1000).toFixed(2)}s; wrote ${path.relative(inv.projectDir, path.join(project.targetDir, 'manifest.json'))}`);
  return EXIT_OK;
}

/** The root project's model, singular-test and analysis files that each make one node, for an edit of their text alone (parse-text-edit.ts). */
function sqlFileEntries(project: LoadedProject): Record<string, SqlFileEntry> {
  const entries: Record<string, SqlFileEntry> = {};
  const kinds: Record<string, string> = { model: 'model', test: 'test', analysis: 'analysis' };
  let position = 0;
  Object.values(project.parsed.manifest.nodes).forEach((node, order) => {
    const inManifest = node.resource_type !== 'unit_test' ? position++ : -1;
    const kind = kinds[node.resource_type];
    if (!kind || node.package_name !== project.config.name || node.test_metadata || (node.version !== undefined && node.version !== null)) return;
    const skeleton = jinjaSkeleton(node.raw_code);
    if (skeleton === null) return;
    entries[path.join(project.config.projectDir, node.original_file_path)] = { id: node.unique_id, cacheKey: `${kind}:${node.original_file_path}`, chunk: Math.floor(order / NODES_PER_CHUNK), position: inManifest, skeleton };
  });
  return entries;
}

/** debug: checks dbt_project.yml, the profile and the connection. */
export async function debugCommand(inv: Invocation): Promise<number> {
  const { logger } = inv;
  const { config, profile, targetDir } = loadConfigAndProfile(inv);
  logger.info(`tsdbt debug for project '${config.name}' at ${inv.projectDir}`);
  logger.info(`  profiles.yml: ${profile.file ?? 'none (embedded PGlite default)'}`);
  logger.info(`  profile: ${profile.profileName}, target: ${profile.targetName}, type: ${profile.target.type}`);
  logger.info(`  schema: ${profile.target.schema}, threads: ${profile.target.threads}`);
  const project = { target: profile.target, targetDir } as LoadedProject;
  try {
    const adapter = await openAdapter(inv, project);
    try {
      const info = await adapter.info();
      await adapter.withConnection((conn) => conn.execute('select 1 as ok'));
      logger.info(`  connection: OK (${info.version} at ${info.location})`);
      const schema = String(profile.target.schema);
      const exists = await adapter.withConnection((conn) => adapter.schemaExists(conn, adapter.defaultDatabase || null, schema));
      logger.info(`  schema '${schema}': ${exists ? 'exists' : 'does not exist yet (the first run creates it)'}`);
    } finally {
      await adapter.close();
    }
  } catch (err) {
    logger.error(`  connection: ERROR ${asTsdbtError(err).format()}`);
    logger.error('1 check failed');
    return EXIT_NODE_FAILURE;
  }
  logger.info(logger.colors.green('All checks passed!'));
  return EXIT_OK;
}

/** clean: deletes clean-targets (default: target path). */
// eslint-disable-next-line @typescript-eslint/require-await -- a command's signature: what it throws is a rejection
export async function cleanCommand(inv: Invocation): Promise<number> {
  const { config } = loadConfigAndProfile(inv);
  const targets = config.cleanTargets.length ? config.cleanTargets : [config.targetPath];
  for (const rel of targets) {
    const abs = path.resolve(inv.projectDir, rel);
    if (!abs.startsWith(inv.projectDir + path.sep)) {
      inv.logger.warn(`not cleaning ${rel}: it is outside the project`);
      continue;
    }
    if (existsSync(abs)) rmSync(abs, { recursive: true, force: true });
    inv.logger.info(`Cleaned ${rel}/`);
  }
  return EXIT_OK;
}
