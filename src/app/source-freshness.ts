// `tsdbt source freshness`: for each selected source table with freshness criteria and a
// loaded_at_field (or loaded_at_query), read the newest load time, compare its age with warn_after
// / error_after, print dbt's progress lines, write target/sources.json (v3) and exit as dbt does:
// 1 when a source is stale past error_after or its query failed, else 0.
//
// "Now" is the invocation's clock (snapshotted_at), not the warehouse's current_timestamp as in
// dbt: the same clock drives run_started_at, the scheduler and the tests.
import path from 'node:path';
import { writeSourcesJson, type FreshnessResult } from '../artifacts/sources-writer.js';
import { EXIT_NODE_FAILURE, EXIT_OK } from '../errors/exit-codes.js';
import { TsdbtError, throwCollected, asTsdbtError } from '../errors/tsdbt-error.js';
import { sourceRelationParts } from '../adapters/relation.js';
import { quotePolicyOf } from '../adapters/source-relation.js';
import { freshnessStatus, parseCriteria, type FreshnessCriteria } from '../freshness/criteria.js';
import type { SourceTable } from '../manifest/types.js';
import type { NodeResult } from '../manifest/results.js';
import { openAdapter } from './execute-plan.js';
import { loadedAtQueryRenderer } from './loaded-at-query.js';
import { freshnessFromMacro, freshnessMacroName, type FreshnessFrom, type MacroFreshness } from './freshness-macro.js';
import { hooksToRun, runProjectHooks } from './project-hooks.js';
import { Compiler } from '../compile/compiler.js';
import { connectTemplates } from '../jinja/dbt/warehouse-calls.js';
import type { WarnErrorPolicy } from './warn-error.js';
import type { Invocation } from './invocation.js';
import { dots } from './progress-reporter.js';
import { loadProject } from './project-loader.js';
import { writeCommandManifest } from './command-manifest.js';
import { selectForInvocation } from './select.js';
import { adapterResponseDict } from '../manifest/results.js';
import { printFinishedRunning } from './run-summary.js';
import { writeGraphSummary } from '../artifacts/graph-summary.js';
import { workerThreadName } from '../execution/dag-runner.js';
import { announceLine, foundStatsLine } from './found-stats.js';

const FRESHNESS_HOOKS_NOT_RUN =
  'In a future version of dbt, the `source freshness` command will start running `on-run-start` and `on-run-end` hooks by default. For more information: https://docs.getdbt.com/reference/global-configs/legacy-behaviors';

export interface SourceFreshnessOptions {
  /** Where to write the results (`--output`); default target/sources.json. */
  output?: string;
}

interface Check {
  source: SourceTable;
  criteria: FreshnessCriteria;
}

function checksFor(sources: SourceTable[]): Check[] {
  const checks: Check[] = [];
  const errors: TsdbtError[] = [];
  for (const source of sources) {
    try {
      const criteria = parseCriteria(source.freshness, { file: source.original_file_path, line: source.line });
      // dbt checks every source with criteria (FreshnessSelector: has_freshness); one without
      // loaded_at_field or loaded_at_query fails at run time (metadataFreshnessUnsupported).
      if (criteria) checks.push({ source, criteria });
    } catch (err) {
      if (err instanceof TsdbtError) errors.push(err);
      else throw err;
    }
  }
  throwCollected(errors);
  return checks;
}

/**
 * dbt's freshness runner for a source with criteria but neither loaded_at_field nor
 * loaded_at_query: metadata-based freshness (the table's last-modified time), which no tsdbt
 * adapter has, as dbt-postgres has not (Capability.TableLastModifiedMetadata); that source fails.
 */
function metadataFreshnessUnsupported(source: SourceTable, adapterType: string): TsdbtError {
  return new TsdbtError(`Could not compute freshness for source ${source.name}: no 'loaded_at_field' provided and ${adapterType} adapter does not support metadata-based freshness checks.`, {
    code: 'freshness-no-loaded-at',
    location: { file: source.original_file_path, line: source.line },
    hint: `give source '${source.source_name}.${source.name}' a loaded_at_field (or loaded_at_query), or set its freshness to null`,
  });
}

/**
 * A UTC time as dbt's sources.json writes it (Python's datetime.isoformat):
 * `2016-09-19T14:45:51+00:00`, with `.123000` only when there is a fraction of a second.
 */
export function pythonUtcIsoformat(date: Date): string {
  const ms = date.getUTCMilliseconds();
  return `${date.toISOString().slice(0, 19)}${ms ? `.${String(ms).padStart(3, '0')}000` : ''}+00:00`;
}

export async function sourceFreshnessCommand(inv: Invocation, options: SourceFreshnessOptions = {}): Promise<number> {
  const { logger } = inv;
  const project = loadProject(inv);
  // dbt 1.10's FreshnessTask: `--output` is deprecated (sources.json goes to the target folder).
  if (options.output) logger.warnOrError(`Custom output path usage \`--output ${options.output}\` usage detected in \`dbt source freshness\` command.`, 'CustomOutputPathInSourceFreshnessDeprecation', { path: options.output });
  await writeCommandManifest(inv, project);
  await writeGraphSummary(project.targetDir, project.parsed.manifest, inv.invocationId);
  const { manifest, dag } = project.parsed;
  // dbt's FreshnessSelector selects sources only (no model, nor a project hook's operation node).
  const selected = new Set([...selectForInvocation(inv, manifest, dag, project)].filter((id) => manifest.sources[id] !== undefined));
  // Hooks and loaded_at_query renders read the command as dbt names it (Command.SOURCE_FRESHNESS).
  project.session.setSelection('freshness', selected);
  const checks = checksFor(Object.values(manifest.sources).filter((s) => selected.has(s.unique_id)));
  // dbt's FreshnessTask compiles the graph first, so it prints the Found line every command does.
  announceLine(inv, foundStatsLine(manifest));
  if (checks.length === 0) {
    logger.warnOrError('Nothing to do: no selected source has freshness criteria (warn_after / error_after)', 'NothingToDo');
    return EXIT_OK;
  }
  const started = Date.now();
  const results: FreshnessResult[] = [];
  const c = logger.colors;
  const adapter = await openAdapter(inv, project);
  let compiler: Compiler | null = null;
  const compilerFor = () => (compiler ??= new Compiler(project.session, manifest, project.parsed.refs, adapter.sql, connectTemplates(project.session, adapter, (text) => logger.out(text))));
  const renderQuery = loadedAtQueryRenderer(compilerFor);
  // dbt 1.10+: on-run-start / on-run-end hooks run around source freshness unless the project's
  // flag source_freshness_run_project_hooks is false.
  const runHooks = project.config.flags.source_freshness_run_project_hooks !== false;
  // With the flag off, dbt's FreshnessTask.get_hooks_by_type skips each kind of hook the project
  // has with deprecation SourceFreshnessProjectHooksNotRun (D017).
  const skipHooks = (which: 'on-run-start' | 'on-run-end') => {
    if (hooksToRun(manifest, project.config.name, which).length > 0) logger.warnOrError(FRESHNESS_HOOKS_NOT_RUN, 'SourceFreshnessProjectHooksNotRun');
  };
  // A hook whose SQL fails is reported on its line and fails the command (exit 1), as in a build.
  // Each failed hook's message, printed at the end as dbt's task_end_messages prints it (RunResultError).
  const hookErrors: string[] = [];
  let hooksRun = 0;
  const hooksDone = (results: NodeResult[]) => {
    hooksRun += results.length;
    hookErrors.push(...results.filter((r) => r.status === 'error').map((r) => r.message ?? `${r.unique_id} failed`));
  };
  try {
    if (runHooks) hooksDone(await runProjectHooks(inv, project, adapter, compilerFor(), 'on-run-start', []));
    else skipHooks('on-run-start');
    for (const [i, { source, criteria }] of checks.entries()) {
      const label = `freshness of ${source.source_name}.${source.name}`;
      const head = `${i + 1} of ${checks.length}`;
      logger.nodes.started(source, new Date(), workerThreadName(1));
      logger.emit({ level: 'info', name: 'LogStartLine', message: dots(`${head} START ${label}`, '[RUN]', logger.printerWidth), node: source.unique_id, data: { description: label, index: i + 1, total: checks.length } });
      const t0 = new Date();
      const invocationNow = inv.now();
      // dbt's freshness task: create_from(config, source), the project's `quoting:` then the source's over the adapter's.
      const relation = adapter.relation(sourceRelationParts(source, adapter.sql)).quote({ ...quotePolicyOf(project.config.quoting), ...quotePolicyOf(source.quoting) });
      let result: FreshnessResult;
      try {
        // A project's or package's collect_freshness (collect_freshness_custom_sql) replaces the
        // adapter's query, as dbt's calculate_freshness runs the macro by name (freshness-macro.ts).
        const macro = freshnessMacroName(source);
        const replaced = project.session.scope.overrideOf(source.package_name, macro) !== null;
        if (!source.loaded_at_field && !source.loaded_at_query) throw metadataFreshnessUnsupported(source, adapter.type);
        const { loadedAt, snapshottedAt, response, compiled } = await adapter.withConnection(async (conn): Promise<MacroFreshness & { compiled: Date }> => {
          const query = source.loaded_at_query ? await renderQuery(conn, source, relation) : null;
          const from: FreshnessFrom = query !== null ? { query } : { field: String(source.loaded_at_field), filter: criteria.filter };
          if (replaced) return { ...(await freshnessFromMacro(compilerFor(), conn, source, relation, macro, from, (m, e) => logger.warnOrError(m, e, undefined, source.unique_id))), compiled: new Date() };
          const sql = adapter.sql.freshnessQuery('query' in from ? from : { relation, ...from });
          // dbt times a compile step (the freshness query built) before the execute step.
          const compiledAt = new Date();
          const { rows, response } = await conn.execute(sql, { nodeId: source.unique_id });
          const epoch = rows[0]?.max_loaded_at_epoch;
          const loaded = epoch === null || epoch === undefined ? null : new Date(Number(epoch) * 1000);
          return { loadedAt: loaded, snapshottedAt: invocationNow, response, compiled: compiledAt };
        });
        const age = loadedAt ? (snapshottedAt.getTime() - loadedAt.getTime()) / 1000 : null;
        result = {
          unique_id: source.unique_id,
          status: promotedFreshness(freshnessStatus(age, criteria), logger.warnError),
          max_loaded_at: loadedAt ? pythonUtcIsoformat(loadedAt) : null,
          snapshotted_at: snapshottedAt.toISOString(),
          max_loaded_at_time_ago_in_s: age,
          criteria,
          execution_time: (Date.now() - t0.getTime()) / 1000,
          timing: [
            { name: 'compile', started_at: t0.toISOString(), completed_at: compiled.toISOString() },
            { name: 'execute', started_at: compiled.toISOString(), completed_at: new Date().toISOString() },
          ],
          thread_id: workerThreadName(1),
          adapter_response: adapterResponseDict(response),
        };
      } catch (err) {
        result = {
          unique_id: source.unique_id,
          status: 'runtime error',
          max_loaded_at: null,
          snapshotted_at: invocationNow.toISOString(),
          max_loaded_at_time_ago_in_s: null,
          criteria,
          execution_time: (Date.now() - t0.getTime()) / 1000,
          timing: [],
          thread_id: workerThreadName(1),
          adapter_response: {},
          error: asTsdbtError(err).format(),
        };
      }
      results.push(result);
      const seconds = `${result.execution_time.toFixed(2)}s`;
      const word = { pass: c.green('PASS'), warn: c.yellow('WARN'), error: c.red('ERROR STALE'), 'runtime error': c.red('ERROR') }[result.status];
      logger.nodes.finished(source, result, new Date());
      // dbt's LogFreshnessResult fields, with what was found.
      logger.emit({
        level: result.status === 'pass' ? 'info' : result.status === 'warn' ? 'warn' : 'error',
        name: 'LogFreshnessResult',
        message: dots(`${head} ${word} ${label}`, `[${word} in ${seconds}]`, logger.printerWidth),
        node: source.unique_id,
        data: { status: result.status, index: i + 1, total: checks.length, execution_time: result.execution_time, source_name: source.source_name, table_name: source.name, max_loaded_at: result.max_loaded_at, age_seconds: result.max_loaded_at_time_ago_in_s },
      });
      // dbt's RunResultError (its print_run_result_error), given here under the result's line.
      if (result.error) logger.emit({ level: 'error', name: 'RunResultError', message: `  ${result.error.split('\n').join('\n  ')}`, node: source.unique_id, data: { msg: result.error } });
    }
    if (runHooks) hooksDone(await runProjectHooks(inv, project, adapter, compilerFor(), 'on-run-end', [], results));
    else skipHooks('on-run-end');
  } finally {
    await adapter.close();
  }
  const elapsed = (Date.now() - started) / 1000;
  const file = options.output ? path.resolve(inv.projectDir, options.output) : path.join(project.targetDir, 'sources.json');
  // --no-write-json: no sources.json either, as dbt's runnable task writes its result only with write_json.
  const written = inv.options.writeJson !== false;
  if (written) await writeSourcesJson(file, { results, invocationId: inv.invocationId, generatedAt: inv.now(), elapsedSeconds: elapsed, env: inv.env, startedAt: inv.startedAt });
  const count = (s: FreshnessResult['status']) => results.filter((r) => r.status === s).length;
  const errors = count('error') + count('runtime error');
  // dbt's FreshnessTask (a RunTask): the "Finished running" line of the sources and hooks run, its
  // task_end_messages' errors, then FreshnessCheckComplete's "Done.".
  const ran = new Map<string, number>();
  if (hooksRun > 0) ran.set('project hook', hooksRun);
  if (results.length > 0) ran.set('source', results.length);
  printFinishedRunning(logger, ran, elapsed);
  for (const message of hookErrors) {
    logger.info('');
    logger.emit({ level: 'error', name: 'RunResultError', message: `  ${message.split('\n').join('\n  ')}`, data: { msg: message } });
  }
  logger.info('Done.', 'FreshnessCheckComplete');
  return errors + hookErrors.length > 0 ? EXIT_NODE_FAILURE : EXIT_OK;
}

/**
 * dbt's docs (global-configs/warnings): under --warn-error a freshness check past warn_after is an
 * error (as LogFreshnessResult in --warn-error-options' error list).
 */
function promotedFreshness(status: FreshnessResult['status'], policy: WarnErrorPolicy): FreshnessResult['status'] {
  return status === 'warn' && policy.promotes('LogFreshnessResult') ? 'error' : status;
}
