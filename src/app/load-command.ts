// `tsdbt load`: feeds the selected Kafka-fed sources (`meta.kafka`) from their topics. `--once`
// consumes up to the end offsets seen at its start and exits 0 (cron, tests); without it the
// loader keeps going until Ctrl-C. Brokers: --brokers, then TSDBT_KAFKA_BROKERS, then the profile
// target's `kafka: {brokers: ...}`.
import { EXIT_NODE_FAILURE, EXIT_OK } from '../errors/exit-codes.js';
import { TsdbtError, throwCollected, asTsdbtError } from '../errors/tsdbt-error.js';
import type { Adapter } from '../adapters/adapter.js';
import { kafkajsTransport, type KafkaTransport } from '../loader/kafka-client.js';
import { kafkaConnectionFrom } from '../loader/kafka-connection.js';
import { loadSource, type LoadResult } from '../loader/kafka-loader.js';
import { kafkaSpecOf, type KafkaSourceSpec } from '../loader/kafka-source.js';
import { openAdapter } from './execute-plan.js';
import type { Invocation } from './invocation.js';
import { dots } from './progress-reporter.js';
import { plural } from './run-summary.js';
import { loadProject, type LoadedProject } from './project-loader.js';
import { selectForInvocation } from './select.js';

export interface LoadCommandOptions {
  /** `--once`: stop at the end offsets seen at the start. */
  once?: boolean;
  brokers?: string;
  /** Seconds between progress lines (default 10; 0: none). */
  progressInterval?: number;
  /** Stops a continuous load (the scheduler's --with-loader); without it, SIGINT / SIGTERM do. */
  signal?: AbortSignal;
  /** Told each source's progress (the scheduler's metrics). */
  onProgress?: (source: string, result: LoadResult, rowsPerSecond: number) => void;
}

/** `lag 15 (p0 3, p1 12)`: the messages still to load, in total and per partition. */
function lagText(lag: Record<number, number>): string {
  const entries = Object.entries(lag).sort(([a], [b]) => Number(a) - Number(b));
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return `lag ${total}${entries.length ? ` (${entries.map(([p, n]) => `p${p} ${n}`).join(', ')})` : ''}`;
}

/** `, 3 offsets without a message, 490 messages lost`: the log's gaps and lost messages, when there are any. */
function gapsText(r: LoadResult): string {
  return `${r.gaps ? `, ${plural(r.gaps, 'offset')} without a message` : ''}${r.lost ? `, ${plural(r.lost, 'message')} lost` : ''}`;
}

/** `tsdbt load`: the selected Kafka-fed sources' specs, a stop signal, then each source loaded (loadOne). */
export async function loadCommand(inv: Invocation, options: LoadCommandOptions): Promise<number> {
  const project = loadProject(inv);
  const specs = selectedKafkaSpecs(inv, project);
  if (specs.length === 0) {
    inv.logger.warn('Nothing to load: no selected source declares meta.kafka (a topic)');
    return EXIT_OK;
  }
  const connection = kafkaConnectionFrom(project.target.kafka, options.brokers, inv.env);
  const stop = stopSignal(inv, options);
  // Partitions are written in parallel up to the target's threads (one connection each).
  const transport = kafkajsTransport({ ...connection, clientId: connection.clientId ?? `tsdbt-${project.config.name}`, concurrency: project.target.threads });
  const adapter = await openAdapter(inv, project);
  const loading: Loading = { inv, options, adapter, transport, brokersLabel: connection.brokers.join(','), signal: stop.signal, count: specs.length };
  let failed = 0;
  try {
    // --once: one source after the other, each up to its end offsets. Continuous: every source at
    // once, each consumer running until Ctrl-C or SIGTERM.
    if (options.once) for (const [i, spec] of specs.entries()) failed += (await loadOne(loading, spec, i, true)) ? 0 : 1;
    else failed = (await Promise.all(specs.map((spec, i) => loadOne(loading, spec, i, false)))).filter((ok) => !ok).length;
  } finally {
    stop.release();
    await adapter.close();
  }
  return failed ? EXIT_NODE_FAILURE : EXIT_OK;
}

/** The selected sources that declare meta.kafka, as load specs; every bad declaration reported at once. */
function selectedKafkaSpecs(inv: Invocation, project: LoadedProject): KafkaSourceSpec[] {
  const { manifest, dag } = project.parsed;
  const selected = selectForInvocation(inv, manifest, dag, project);
  const specs: KafkaSourceSpec[] = [];
  const errors: TsdbtError[] = [];
  for (const source of Object.values(manifest.sources)) {
    if (!selected.has(source.unique_id)) continue;
    try {
      const spec = kafkaSpecOf(source, `tsdbt.${project.config.name}`, inv.projectDir);
      if (spec) specs.push(spec);
    } catch (err) {
      if (err instanceof TsdbtError) errors.push(err);
      else throw err;
    }
  }
  throwCollected(errors);
  return specs;
}

/**
 * Ctrl-C or SIGTERM (a supervisor stopping the loader), or the caller's signal (the scheduler's
 * --with-loader): the batch in flight finishes and commits with its offsets, then the loader
 * leaves its group and exits 0. `release` removes the process handlers.
 */
function stopSignal(inv: Invocation, options: LoadCommandOptions): { signal: AbortSignal; release: () => void } {
  const abort = new AbortController();
  const onSignal = () => {
    if (!abort.signal.aborted) inv.logger.info('Stopping: finishing the batch in flight');
    abort.abort();
  };
  if (options.signal) options.signal.addEventListener('abort', onSignal, { once: true });
  else {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  return {
    signal: abort.signal,
    release: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** What loading each source shares. */
interface Loading {
  inv: Invocation;
  options: LoadCommandOptions;
  adapter: Adapter;
  transport: KafkaTransport;
  brokersLabel: string;
  signal: AbortSignal;
  /** How many sources are loaded (the progress lines' `i of n`). */
  count: number;
}

/** Loads one source with its progress lines and its result line; false when it failed (reported). */
async function loadOne(loading: Loading, spec: KafkaSourceSpec, i: number, untilEnd: boolean): Promise<boolean> {
  const { logger } = loading.inv;
  const name = `${spec.source.source_name}.${spec.source.name}`;
  const label = `${i + 1} of ${loading.count} load source ${name} from topic ${spec.topic}`;
  const started = Date.now();
  let last = { at: started, loaded: 0 };
  const onProgress = (r: LoadResult) => {
    const now = Date.now();
    const rate = Math.round(((r.loaded - last.loaded) * 1000) / Math.max(1, now - last.at));
    last = { at: now, loaded: r.loaded };
    loading.options.onProgress?.(spec.source.unique_id, r, rate);
    logger.info(`  ${name}: ${plural(r.messages, 'message')}, ${plural(r.loaded, 'row')} (${rate} rows/s), ${plural(r.duplicates, 'duplicate')}, ${plural(r.deadLetters, 'dead letter')}${gapsText(r)}, ${lagText(r.lag)}`, 'LoaderProgress', {
      source: spec.source.unique_id,
      topic: spec.topic,
      rows_per_second: rate,
      ...r,
    });
  };
  const onRetry = (error: Error, attempt: number, delayMs: number) =>
    logger.warn(`  ${name}: ${error.message.split('\n')[0]}; retrying in ${(delayMs / 1000).toFixed(1)}s (attempt ${attempt + 1})`, 'LoaderRetry', { source: spec.source.unique_id, attempt, delay_ms: delayMs });
  try {
    const result: LoadResult = await loadSource(loading.adapter, spec, {
      transport: loading.transport,
      brokersLabel: loading.brokersLabel,
      untilEnd,
      signal: loading.signal,
      onProgress,
      progressMs: (loading.options.progressInterval ?? 10) * 1000,
      onRetry,
      onWarning: (message) => logger.warn(`  ${message}`, 'LoaderOffsetReset', { source: spec.source.unique_id, topic: spec.topic }),
      debug: (message) => logger.debug(`  ${message}`),
      ...(logger.debugEnabled ? { trace: (message: string) => logger.debug(`  ${message}`) } : {}),
    });
    const seconds = (Date.now() - started) / 1000;
    const c = logger.colors;
    const rate = Math.round(result.loaded / Math.max(seconds, 0.001));
    logger.info(
      dots(`${label}`, `[${c.green(`LOADED ${result.loaded}`)}, ${plural(result.duplicates, 'duplicate')}, ${plural(result.deadLetters, 'dead letter')}${gapsText(result)} in ${seconds.toFixed(2)}s, ${rate} rows/s, ${lagText(result.lag)}]`, logger.printerWidth),
      'SourceLoaded',
      { source: spec.source.unique_id, topic: spec.topic, seconds, rows_per_second: rate, ...result },
    );
    return true;
  } catch (err) {
    logger.error(dots(label, `[${logger.colors.red('ERROR')}]`, logger.printerWidth));
    logger.error(`  ${asTsdbtError(err).format().split('\n').join('\n  ')}`);
    return false;
  }
}
