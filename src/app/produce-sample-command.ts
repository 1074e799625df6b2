// `tsdbt produce-sample`: writes realistic click events (src/loader/sample-events.ts) to a Kafka
// topic for the streaming demo: produce, `tsdbt load`, `tsdbt build`. Keyed by event_id, so a
// redelivered event lands in the partition of its first delivery. `--rate` paces the events per
// second (default: as fast as the brokers take them).
import { EXIT_OK } from '../errors/exit-codes.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { kafkajsTransport } from '../loader/kafka-client.js';
import { sampleEvents } from '../loader/sample-events.js';
import type { Logger } from './logger.js';

export interface ProduceSampleOptions {
  topic: string;
  events: number;
  /** Events per second; undefined for as fast as possible. */
  rate?: number;
  seed?: number;
  brokers: string[];
  /** The earliest event time (default: an hour ago). */
  start?: Date;
}

export async function produceSampleCommand(logger: Logger, options: ProduceSampleOptions): Promise<number> {
  if (!Number.isInteger(options.events) || options.events <= 0) throw new TsdbtError(`--events must be a positive whole number, got ${options.events}`, { code: 'usage', hint: 'e.g. --events 10000' });
  if (options.rate !== undefined && !(options.rate > 0)) throw new TsdbtError(`--rate must be a positive number of events per second, got ${options.rate}`, { code: 'usage', hint: 'e.g. --rate 500' });
  const events = sampleEvents({ events: options.events, seed: options.seed, start: options.start });
  const transport = kafkajsTransport({ brokers: options.brokers, clientId: 'tsdbt-produce-sample' });
  const started = Date.now();
  // Chunks of a tenth of a second's worth of events (or 1,000 unpaced), each awaited.
  const chunk = options.rate ? Math.max(1, Math.round(options.rate / 10)) : 1_000;
  try {
    for (let i = 0; i < events.length; i += chunk) {
      const slice = events.slice(i, i + chunk);
      await transport.produce(
        options.topic,
        slice.map((e) => ({ key: e.event_id, value: JSON.stringify(e) })),
      );
      if (options.rate) {
        const due = started + ((i + slice.length) / options.rate) * 1000;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    }
  } catch (err) {
    throw new TsdbtError(`cannot produce to topic '${options.topic}' at ${options.brokers.join(',')}: ${(err as Error).message}`, {
      code: 'kafka-unreachable',
      category: 'database',
      retriable: true,
      hint: 'check --brokers (or TSDBT_KAFKA_BROKERS) and that the brokers run',
      cause: err,
    });
  } finally {
    await transport.close();
  }
  const seconds = (Date.now() - started) / 1000;
  const distinct = new Set(events.map((e) => e.event_id)).size;
  logger.info(`Produced ${events.length} messages (${distinct} distinct events, ${events.length - distinct} redelivered) to topic ${options.topic} in ${seconds.toFixed(2)}s`, 'SampleProduced', {
    topic: options.topic,
    messages: events.length,
    events: distinct,
    seconds,
  });
  return EXIT_OK;
}
