// dbt's parse-time checks of microbatch models (parser/manifest.py check_valid_microbatch_config and
// check_microbatch_model_has_a_filtered_input): an incremental model with incremental_strategy
// 'microbatch' names an `event_time` (a string), a `begin` (a datetime, or ISO 8601 text), a
// `batch_size` (tsdbt also takes minute and counts such as '5 minute'), an integer `lookback` and a
// boolean `concurrent_batches` if any; an input it reads whose `event_time` is set sets a string.
// dbt raises a ParsingError before anything runs; so does this (the materialization re-reads them).
import { TsdbtError } from '../errors/tsdbt-error.js';
import { parseBatchSize } from '../manifest/batch-size.js';
import { propertyLocation } from '../manifest/property-location.js';
import type { Manifest, ManifestNode, Warning } from '../manifest/types.js';
import { PyDate, PyDatetime } from '../jinja/pylib/datetime/index.js';
import { recordValues } from '../manifest/record-values.js';

/** Text Python's datetime.fromisoformat reads (3.11): a date, optionally a time and an offset. */
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}(?::?\d{2}(?::?\d{2}(?:[.,]\d{1,6})?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

const pyType = (v: unknown): string =>
  `<class '${v instanceof PyDatetime ? 'datetime.datetime' : v instanceof PyDate ? 'datetime.date' : v === null ? 'NoneType' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : typeof v === 'boolean' ? 'bool' : typeof v === 'string' ? 'str' : Array.isArray(v) ? 'list' : 'dict'}'>`;

export function checkMicrobatchModels(manifest: Manifest, fail: (err: TsdbtError) => void): void {
  for (const node of recordValues(manifest.nodes)) {
    if (node.config.materialized !== 'incremental' || node.config.incremental_strategy !== 'microbatch') continue;
    const problem = configProblem(node) ?? inputProblem(node, manifest);
    if (problem) fail(new TsdbtError(`Microbatch model '${node.name}' ${problem.message}`, { code: 'microbatch-config', location: propertyLocation(node), hint: problem.hint }));
  }
}

function configProblem(node: ManifestNode): { message: string; hint: string } | null {
  const { event_time: eventTime, begin, batch_size: batchSize, lookback, concurrent_batches: concurrent } = node.config;
  if (eventTime === undefined || eventTime === null) {
    return { message: "must provide an 'event_time' (string) config that indicates the name of the event time column.", hint: "set event_time='event_ts' (the column that places a row in a batch)" };
  }
  if (typeof eventTime !== 'string') return { message: `must provide an 'event_time' config of type string, but got: ${pyType(eventTime)}.`, hint: "set event_time to a column name, e.g. event_time='event_ts'" };
  if (begin === undefined || begin === null) {
    return { message: "must provide a 'begin' (datetime) config that indicates the earliest timestamp the microbatch model should be built from.", hint: "set begin='2024-01-01' (the first event time to process)" };
  }
  if (typeof begin === 'string' && (!ISO_DATETIME.test(begin.trim()) || Number.isNaN(Date.parse(begin.trim().replace(' ', 'T'))))) {
    return { message: `must provide a 'begin' config of valid datetime (ISO format), but got: ${begin}.`, hint: "write begin='2024-01-01' or '2024-01-01 00:00:00'" };
  }
  // A datetime from a config() call is kept (written as its isoformat); a datetime.date is refused
  // below. (A property file's YAML date or datetime arrives as its isoformat text: property-render.ts.)
  if (begin instanceof PyDatetime) {
    node.config.begin = begin.isoformat();
    return configProblem(node);
  }
  if (typeof begin !== 'string' && !(begin instanceof Date)) {
    return { message: `must provide a 'begin' config of type datetime, but got: ${pyType(begin)}.`, hint: "write begin='2024-01-01' or '2024-01-01 00:00:00'" };
  }
  try {
    parseBatchSize(batchSize, { file: node.original_file_path });
  } catch (err) {
    if (!(err instanceof TsdbtError)) throw err;
    return { message: `must provide a 'batch_size' config that is one of minute, hour, day, month or year (optionally with a count such as '5 minute'), but got: ${String(batchSize ?? 'None')}.`, hint: err.hint ?? "set batch_size='day'" };
  }
  if (lookback !== undefined && lookback !== null && !(typeof lookback === 'number' && Number.isInteger(lookback))) {
    return { message: `must provide the optional 'lookback' config as type int, but got: ${pyType(lookback)}).`, hint: 'set lookback to a whole number of batches, e.g. lookback=2' };
  }
  if (concurrent !== undefined && concurrent !== null && typeof concurrent !== 'boolean') {
    return { message: `optional 'concurrent_batches' config must be of type \`bool\` if specified, but got: ${pyType(concurrent)}).`, hint: 'set concurrent_batches to true or false' };
  }
  return null;
}

function inputProblem(node: ManifestNode, manifest: Manifest): { message: string; hint: string } | null {
  for (const id of node.depends_on.nodes) {
    const input = manifest.nodes[id] ?? manifest.sources[id];
    const eventTime = input?.config.event_time;
    if (input && eventTime !== undefined && eventTime !== null && eventTime !== '' && typeof eventTime !== 'string') {
      return { message: `depends on an input node '${input.name}' with an 'event_time' config of invalid (non-string) type: ${pyType(eventTime)}.`, hint: `set event_time of '${input.name}' to the name of its event time column` };
    }
  }
  return null;
}

/** What the parse knows that decides dbt's microbatch warnings. */
export interface MicrobatchWarningInput {
  /** dbt's behaviour flag `require_batched_execution_for_custom_microbatch_strategy`. */
  batchCustomMacro: boolean;
  /** The root project or a package defines get_incremental_microbatch_sql (dbt: the macro found is not Core's). */
  customMacro: boolean;
  /** The target's type, which dbt's InvalidConcurrentBatchesConfig names. */
  adapterType: string;
}

const isMicrobatch = (node: ManifestNode) => node.config.materialized === 'incremental' && node.config.incremental_strategy === 'microbatch';

/**
 * dbt's parse-time microbatch warnings (parser/manifest.py): a project's own microbatch macro
 * without the behaviour flag (MicrobatchMacroOutsideOfBatchesDeprecation, D020); and where models
 * run in batches, models asking for `concurrent_batches`, which no adapter here runs (tsdbt runs a
 * model's batches one after another; InvalidConcurrentBatchesConfig, I075), and a model none of
 * whose inputs sets `event_time`, so no batch is filtered (MicrobatchModelNoEventTimeInputs, I074).
 */
export function microbatchWarnings(manifest: Manifest, input: MicrobatchWarningInput): Warning[] {
  const models = recordValues(manifest.nodes).filter(isMicrobatch);
  if (models.length === 0) return [];
  const warnings: Warning[] = [];
  if (!input.batchCustomMacro && input.customMacro) {
    warnings.push({
      event: 'MicrobatchMacroOutsideOfBatchesDeprecation',
      message:
        'The use of a custom microbatch macro outside of batched execution is deprecated. To use it with batched execution, set `flags.require_batched_execution_for_custom_microbatch_strategy` to `True` in `dbt_project.yml`. In the future this will be the default behavior.',
    });
  }
  if (!input.batchCustomMacro && input.customMacro) return warnings;
  const concurrent = models.filter((node) => node.config.concurrent_batches === true).length;
  if (concurrent > 0) {
    warnings.push({
      event: 'InvalidConcurrentBatchesConfig',
      message: `Found ${concurrent} microbatch model${concurrent === 1 ? '' : 's'} with the \`concurrent_batches\` config set to true, but the ${input.adapterType} adapter does not support running batches concurrently. Batches will be run sequentially.`,
    });
  }
  for (const node of models) {
    const filtered = node.depends_on.nodes.some((id) => {
      const eventTime = (manifest.nodes[id] ?? manifest.sources[id])?.config.event_time;
      return typeof eventTime === 'string' && eventTime !== '';
    });
    if (!filtered) {
      warnings.push({
        event: 'MicrobatchModelNoEventTimeInputs',
        message: `The microbatch model '${node.name}' has no 'ref' or 'source' input with an 'event_time' configuration. \nThis means no filtering can be applied and can result in unexpected duplicate records in the resulting microbatch model.`,
      });
    }
  }
  return warnings;
}
