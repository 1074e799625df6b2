// `tsdbt load`: feeds the selected Kafka-fed sources (`meta.kafka`) from their topics. `--once`
// consumes up to the end offsets seen at its start and exits 0 (cron, tests); without it the
// loader keeps going until Ctrl-C. Brokers: --brokers, then TSDBT_KAFKA_BROKERS, then the profile
// target's `kafka: {brokers: ...}`.
import { EXIT_NODE_FAILURE, EXIT_OK } from '../errors/exit-codes.js';
import { TsdbtError, TsdbtErrorList } from '../errors/tsdbt-error.js';
import { kafkajsTransport } from '../loader/kafka-client.js';
import { loadSource, type LoadResult } from '../loader/kafka-loader.js';
import { kafkaSpecOf, type KafkaSourceSpec } from '../loader/kafka-source.js';
import { openAdapter } from './execute-plan.js';
import type { Invocation } from './invocation.js';
import { dots } from './progress-reporter.js';
import { loadProject } from './project-loader.js';
import { selectForInvocation } from './select.js';

export interface LoadCommandOptions {
  once: boolean;
  brokers?: string;
}

function brokersFor(inv: Invocation, target: Record<string, unknown>, flag: string | undefined): string[] {
  const fromProfile = (target.kafka as { brokers?: unknown } | undefined)?.brokers;
  const value = flag ?? inv.env.TSDBT_KAFKA_BROKERS ?? (Array.isArray(fromProfile) ? fromProfile.join(',') : typeof fromProfile === 'string' ? fromProfile : undefined);
  if (!value) {
    throw new TsdbtError('no Kafka brokers given', {
      code: 'kafka-brokers-missing',
      hint: 'pass --brokers host:9092, set TSDBT_KAFKA_BROKERS, or add `kafka: {brokers: [host:9092]}` to the profile target',
    });
  }
  return value.split(',').map((b) => b.trim()).filter(Boolean);
}

export async function loadCommand(inv: Invocation, options: LoadCommandOptions): Promise<number> {
  const { logger } = inv;
  const project = loadProject(inv);
  const { manifest, dag } = project.parsed;
  const selected = selectForInvocation(inv, manifest, dag, project.targetDir);
  const specs: KafkaSourceSpec[] = [];
  const errors: TsdbtError[] = [];
  for (const source of Object.values(manifest.sources)) {
    if (!selected.has(source.unique_id)) continue;
    try {
      const spec = kafkaSpecOf(source, `tsdbt.${project.config.name}`);
      if (spec) specs.push(spec);
    } catch (err) {
      if (err instanceof TsdbtError) errors.push(err);
      else throw err;
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new TsdbtErrorList(errors);
  if (specs.length === 0) {
    logger.warn('Nothing to load: no selected source declares meta.kafka (a topic)');
    return EXIT_OK;
  }
  const brokers = brokersFor(inv, project.target, options.brokers);
  // Ctrl-C or SIGTERM (a supervisor stopping the loader): the batch in flight finishes and commits
  // with its offsets, then the loader leaves its group and exits 0.
  const abort = new AbortController();
  const onSignal = () => {
    if (!abort.signal.aborted) logger.info('Stopping: finishing the batch in flight');
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const transport = kafkajsTransport({ brokers, clientId: `tsdbt-${project.config.name}` });
  const adapter = await openAdapter(inv, project);
  let failed = 0;
  const runOne = async (spec: KafkaSourceSpec, i: number, untilEnd: boolean) => {
    const label = `${i + 1} of ${specs.length} load source ${spec.source.source_name}.${spec.source.name} from topic ${spec.topic}`;
    const started = Date.now();
    try {
      const result: LoadResult = await loadSource(adapter, spec, { transport, brokersLabel: brokers.join(','), untilEnd, signal: abort.signal });
      const seconds = ((Date.now() - started) / 1000).toFixed(2);
      const c = logger.colors;
      logger.info(dots(`${label}`, `[${c.green(`LOADED ${result.loaded}`)}, ${result.duplicates} duplicate${result.duplicates === 1 ? '' : 's'}, ${result.deadLetters} dead letter${result.deadLetters === 1 ? '' : 's'} in ${seconds}s]`), 'SourceLoaded', {
        source: spec.source.unique_id,
        topic: spec.topic,
        ...result,
      });
    } catch (err) {
      failed++;
      logger.error(dots(label, `[${logger.colors.red('ERROR')}]`));
      logger.error(`  ${err instanceof TsdbtError ? err.format().split('\n').join('\n  ') : String((err as Error).message ?? err)}`);
    }
  };
  try {
    // --once: one source after the other, each up to its end offsets. Continuous: every source at
    // once, each consumer running until Ctrl-C or SIGTERM.
    if (options.once) for (const [i, spec] of specs.entries()) await runOne(spec, i, true);
    else await Promise.all(specs.map((spec, i) => runOne(spec, i, false)));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await adapter.close();
  }
  return failed ? EXIT_NODE_FAILURE : EXIT_OK;
}
