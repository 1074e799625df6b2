// dbt-style progress lines and the closing summary:
//   3 of 12 START sql table model analytics.int_sessions ........................ [RUN]
//   3 of 12 OK created sql table model analytics.int_sessions ................... [SELECT 120 in 0.21s]
//   Done. PASS=11 WARN=0 ERROR=1 SKIP=0 NO-OP=0 TOTAL=12
// Each line is the event dbt fires for it (LogStartLine, then LogModelResult, LogTestResult,
// LogSeedResult, ... by the node's type), between dbt's debug events NodeStart and NodeFinished,
// all carrying the node's node_info.
import { isErrorSkip, type NodeResult } from '../manifest/results.js';
import type { ManifestNode } from '../manifest/types.js';
import type { BatchEvent } from '../materializations/materialization.js';
import type { Logger, LogLevel } from './logger.js';
import { pythonStr, type GroupInfo } from './node-log-info.js';

const LINE_WIDTH = 80;

export class ProgressReporter {
  private readonly logger: Logger;
  private readonly total: number;
  private readonly indexes = new Map<string, number>();
  private next = 0;

  constructor(logger: Logger, total: number) {
    this.logger = logger;
    this.total = total;
  }

  private indexOf(id: string): number {
    let index = this.indexes.get(id);
    if (index === undefined) {
      index = ++this.next;
      this.indexes.set(id, index);
    }
    return index;
  }

  /** dbt's NodeStart (debug) and LogStartLine; `thread`: the worker it runs on. */
  start(node: ManifestNode, thread?: string): void {
    const index = this.indexOf(node.unique_id);
    this.logger.nodes.started(node, new Date(), thread);
    const id = node.unique_id;
    this.logger.emit({ level: 'debug', name: 'NodeStart', message: `Began running node ${id}`, node: id, jsonOnly: true });
    const description = describe(node);
    const text = `${index} of ${this.total} START ${description}`;
    this.logger.emit({ level: 'info', name: 'LogStartLine', message: dots(text, '[RUN]', this.logger.printerWidth), node: id, data: { description, index, total: this.total } });
  }

  finish(node: ManifestNode, result: NodeResult): void {
    const index = this.indexOf(node.unique_id);
    this.logger.nodes.finished(node, result, new Date());
    const c = this.logger.colors;
    const seconds = `${result.execution_time.toFixed(2)}s`;
    let verb: string;
    let status: string;
    switch (result.status) {
      case 'success':
        verb = node.resource_type === 'seed' ? `${c.green('OK')} loaded ${describeTarget(node)}` : `${c.green('OK')} created ${describeTarget(node)}`;
        status = `[${c.green(typeof result.adapter_response._message === 'string' ? result.adapter_response._message : 'OK')} in ${seconds}]`;
        break;
      case 'pass':
        verb = `${c.green('PASS')} ${testLabel(node)}`;
        status = `[${c.green('PASS')} in ${seconds}]`;
        break;
      case 'warn':
        verb = `${c.yellow(`WARN ${result.failures ?? ''}`.trim())} ${testLabel(node)}`;
        status = `[${c.yellow(`WARN ${result.failures ?? ''}`.trim())} in ${seconds}]`;
        break;
      case 'fail':
        verb = `${c.red(`FAIL ${result.failures ?? ''}`.trim())} ${testLabel(node)}`;
        status = `[${c.red(`FAIL ${result.failures ?? ''}`.trim())} in ${seconds}]`;
        break;
      case 'partial success': {
        const done = result.batch_results ? `${result.batch_results.successful.length}/${result.batch_results.successful.length + result.batch_results.failed.length}` : '';
        verb = `${c.yellow(`PARTIAL SUCCESS (${done})`)} ${describeTarget(node)}`;
        status = `[${c.yellow('PARTIAL SUCCESS')} in ${seconds}]`;
        break;
      }
      case 'no-op':
        // dbt 1.10+'s LogNodeNoOpResult: an exposure or saved query in build.
        verb = `${c.yellow('NO-OP')} ${describeTarget(node)}`;
        status = `[${c.yellow('NO-OP')} in ${seconds}]`;
        break;
      case 'skipped':
        // dbt's LogSkipBecauseError, for a node whose inlined ephemeral model failed to compile.
        verb = isErrorSkip(result) ? `SKIP relation ${node.schema}.${node.alias ?? node.name} due to ephemeral model status 'error'` : `${c.yellow('SKIP')} ${describeTarget(node)}`;
        status = isErrorSkip(result) ? `[${c.red('ERROR SKIP')}]` : `[${c.yellow('SKIP')}]`;
        break;
      default:
        verb = `${c.red('ERROR')} ${node.resource_type === 'test' || node.resource_type === 'unit_test' ? testLabel(node) : `creating ${describeTarget(node)}`}`;
        status = `[${c.red('ERROR')} in ${seconds}]`;
    }
    const id = node.unique_id;
    // dbt's runner fires CatchableExceptionOnRun (debug) with the error, a dbt error, before the result line.
    if (result.status === 'error') this.logger.emit({ level: 'debug', name: 'CatchableExceptionOnRun', message: result.message ?? '', node: id, data: { exc: result.message ?? '', exc_info: '' } });
    const { name, data } = resultEvent(node, result, index, this.total, this.logger.nodes.group(node));
    const level = resultLevel(name, result.status);
    this.logger.emit({ level, name, message: dots(`${index} of ${this.total} ${verb}`, status, this.logger.printerWidth), node: id, data });
    this.logger.emit({ level: 'debug', name: 'NodeFinished', message: `Finished running node ${id}`, node: id, data: { run_result: runResultMsg(result) }, jsonOnly: true });
  }

  /** A microbatch window: `Batch 2 of 7 OK created batch 2024-01-01 00:05 of analytics.m ... [INSERT 5 in 0.02s]`. */
  batch(node: ManifestNode, event: BatchEvent): void {
    const c = this.logger.colors;
    const label = `batch ${batchLabel(event.window.start)} of ${node.schema}.${node.alias}`;
    const head = `Batch ${event.index} of ${event.total}`;
    // dbt's LogStartBatch / LogBatchResult fields, with the window's bounds.
    const data = { description: label, batch_index: event.index, total_batches: event.total, batch_start: event.window.start.toISOString(), batch_end: event.window.end.toISOString() };
    const id = node.unique_id;
    if (event.phase === 'start') {
      this.logger.emit({ level: 'info', name: 'LogStartBatch', message: dots(`${head} START ${label}`, '[RUN]', this.logger.printerWidth), node: id, data });
      return;
    }
    const seconds = `${(event.seconds ?? 0).toFixed(2)}s`;
    const ok = event.status === 'success';
    // dbt's LogBatchResult: OK created / ERROR creating / SKIP.
    const message = ok
      ? dots(`${head} ${c.green('OK')} created ${label}`, `[${c.green(event.message ?? `INSERT ${event.rows ?? 0}`)} in ${seconds}]`, this.logger.printerWidth)
      : event.status === 'skipped'
        ? dots(`${head} ${c.yellow('SKIP')} ${label}`, `[${c.yellow('SKIP')}]`, this.logger.printerWidth)
        : dots(`${head} ${c.red('ERROR')} creating ${label}`, `[${c.red('ERROR')} in ${seconds}]`, this.logger.printerWidth);
    const group = this.logger.nodes.group(node);
    // dbt's MicrobatchModelRunner fires GenericExceptionOnRun (error level) for a batch that failed.
    if (event.status === 'error') this.logger.emit({ level: 'error', name: 'GenericExceptionOnRun', message: `${c.red(`Unhandled error while executing ${id}`)}\nException on worker thread. ${(event.error ?? '').trim()}`, node: id, data: { unique_id: id, exc: `Exception on worker thread. ${event.error ?? ''}` } });
    this.logger.emit({ level: event.status === 'error' ? 'error' : 'info', name: 'LogBatchResult', message, node: id, data: { ...data, status: event.status, rows: event.rows, execution_time: event.seconds ?? 0, error: event.error, ...(group ? { group } : {}) } });
  }
}

/**
 * The event dbt fires for a node's result line, by its runner, with the fields dbt gives it:
 * LogTestResult (tests and unit tests), LogSeedResult, LogSnapshotResult, LogFunctionResult,
 * LogNodeNoOpResult (exposures, saved queries in build), SkippingDetails (a skip),
 * LogSkipBecauseError (an inlined ephemeral model failed), else LogModelResult. Its `status`
 * is dbt's: a model's is the result's message (`CREATE VIEW`), or `error`.
 */
function resultEvent(node: ManifestNode, result: NodeResult, index: number, total: number, group: GroupInfo | undefined): { name: string; data: Record<string, unknown> } {
  const withGroup = group ? { group } : {};
  const time = result.execution_time;
  if (result.status === 'skipped') {
    return isErrorSkip(result)
      ? { name: 'LogSkipBecauseError', data: { schema: node.schema, relation: node.alias ?? node.name, index, total, status: 'error', ...withGroup } }
      : { name: 'SkippingDetails', data: { resource_type: node.resource_type, schema: node.schema, node_name: node.name, index, total, ...withGroup } };
  }
  const message = result.status === 'error' ? 'error' : (result.message ?? String(result.adapter_response._message ?? result.status));
  switch (node.resource_type) {
    case 'test':
    case 'unit_test':
      return {
        name: 'LogTestResult',
        data: { name: testLabel(node), status: result.status, index, num_models: total, execution_time: time, num_failures: result.failures ?? 0, attached_node: node.attached_node ?? '', ...withGroup },
      };
    case 'seed':
      return { name: 'LogSeedResult', data: { status: result.status, result_message: result.message ?? '', index, total, execution_time: time, schema: node.schema, relation: node.alias, ...withGroup } };
    case 'snapshot':
      return { name: 'LogSnapshotResult', data: { description: describe(node), status: result.status, result_message: result.message ?? '', index, total, execution_time: time, cfg: configStrings(node), ...withGroup } };
    case 'function':
      return { name: 'LogFunctionResult', data: { description: describe(node), status: message, index, total, execution_time: time, ...withGroup } };
    case 'exposure':
    case 'saved_query':
      return { name: 'LogNodeNoOpResult', data: { description: describe(node), status: result.status, index, total, execution_time: time } };
    default:
      return { name: 'LogModelResult', data: { description: describe(node), status: message, index, total, execution_time: time, ...withGroup } };
  }
}

/**
 * The level dbt fires a result line at: LogTestResult by its status (fail and error are errors,
 * warn a warning), LogSkipBecauseError always an error, SkippingDetails and LogNodeNoOpResult
 * info, every other runner's line (model, seed, snapshot, function) an error when the node errored.
 */
export function resultLevel(event: string, status: string): LogLevel {
  if (event === 'LogSkipBecauseError') return 'error';
  if (event === 'SkippingDetails' || event === 'LogNodeNoOpResult') return 'info';
  if (event === 'LogTestResult') return status === 'fail' || status === 'error' ? 'error' : status === 'warn' ? 'warn' : 'info';
  return status === 'error' ? 'error' : 'info';
}

/** dbt's RunResult.to_msg_dict: what NodeFinished carries of the result. */
function runResultMsg(result: NodeResult): Record<string, unknown> {
  return {
    status: result.status,
    message: result.message ?? '',
    timing_info: result.timing.map((t) => ({ name: t.name, started_at: t.started_at, completed_at: t.completed_at })),
    thread: result.thread_id,
    execution_time: result.execution_time,
    adapter_response: result.adapter_response,
    num_failures: result.failures ?? 0,
  };
}

/** dbt's cast_dict_to_dict_of_strings of a snapshot's config (LogSnapshotResult's `cfg`). */
function configStrings(node: ManifestNode): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(node.config)) if (value !== null && value !== undefined) out[key] = pythonStr(value);
  return out;
}

/** `2024-01-01` for windows starting at midnight, `2024-01-01 00:05` otherwise (UTC). */
function batchLabel(start: Date): string {
  const iso = start.toISOString();
  return iso.slice(11, 16) === '00:00' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** `not_null_users_id`, or `my_model::test_name` for a unit test (dbt's labels). */
function testLabel(node: ManifestNode): string {
  return node.resource_type === 'unit_test' ? `${node.unit_test?.model ?? ''}::${node.name}` : node.name;
}

function describe(node: ManifestNode): string {
  if (node.resource_type === 'test') return `test ${node.name}`;
  if (node.resource_type === 'unit_test') return `unit_test ${testLabel(node)}`;
  return describeTarget(node);
}

function describeTarget(node: ManifestNode): string {
  const where = `${node.schema}.${node.alias}`;
  switch (node.resource_type) {
    case 'seed':
      return `seed file ${where}`;
    case 'snapshot':
      return `snapshot ${where}`;
    case 'test':
      return `test ${node.name}`;
    case 'unit_test':
      return `unit_test ${testLabel(node)}`;
    case 'function':
      return `function ${where}`;
    case 'exposure':
      return `exposure ${node.name}`;
    case 'saved_query':
      return `saved query ${node.name}`;
    default:
      return `sql ${node.config.materialized} model ${where}`;
  }
}

/** Pads with dots up to the line width, dbt's look; colour codes do not count. */
export function dots(text: string, status: string, width = LINE_WIDTH): string {
   
  const visible = text.replace(/\u001b\[[0-9;]*m/g, '').length;
  const fill = Math.max(3, width - visible - 1);
  return `${text} ${'.'.repeat(fill)} ${status}`;
}
