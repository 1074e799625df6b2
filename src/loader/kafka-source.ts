// The Kafka side of a source table, read from its `meta.kafka` and its `columns:` (dbt's
// `data_type`): which topic feeds it, the idempotency key, the consumer group, where to start,
// and how JSON fields map to columns. Checked once, with file:line errors.
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { SourceTable } from '../graph/types.js';

/** Columns the loader adds to every table it fills (a prefix no dbt user column takes). */
export const LOADER_COLUMNS = ['_tsdbt_kafka_topic', '_tsdbt_kafka_partition', '_tsdbt_kafka_offset', '_tsdbt_loaded_at'] as const;

export interface KafkaSourceSpec {
  source: SourceTable;
  topic: string;
  /** The idempotency key column: a message whose key was already loaded is a no-op. */
  key: string | null;
  groupId: string;
  start: 'earliest' | 'latest';
  /** Column -> dotted path in the JSON value (`payload.user.id`); by default the column's name. */
  fields: Record<string, string>;
  /** The user's columns with their declared types, in order. */
  columns: { name: string; dataType: string }[];
}

export function kafkaSpecOf(source: SourceTable, defaultGroup: string): KafkaSourceSpec | null {
  const raw = (source.meta as { kafka?: unknown }).kafka;
  if (raw === undefined || raw === null) return null;
  const location = { file: source.original_file_path, line: source.line };
  const fail = (message: string, hint: string) => new TsdbtError(`source ${source.source_name}.${source.name}: ${message}`, { code: 'kafka-source-invalid', location, hint });
  if (typeof raw !== 'object' || Array.isArray(raw)) throw fail('meta.kafka must be a mapping', 'write `meta: {kafka: {topic: session_events, key: event_id}}`');
  const kafka = raw as Record<string, unknown>;
  if (typeof kafka.topic !== 'string' || !kafka.topic) throw fail('meta.kafka needs a topic', 'add `topic: <topic name>` under meta.kafka');
  const columns = Object.values(source.columns).map((c) => ({ name: c.name, dataType: c.data_type ?? '' }));
  if (columns.length === 0) throw fail('a Kafka-fed source needs its columns, with data_type', 'list the columns the loader fills, e.g. `- {name: event_id, data_type: text}`');
  const untyped = columns.filter((c) => !c.dataType).map((c) => c.name);
  if (untyped.length) throw fail(`columns without data_type: ${untyped.join(', ')}`, 'give every column a data_type: the loader creates the table from them');
  const clash = columns.filter((c) => (LOADER_COLUMNS as readonly string[]).includes(c.name)).map((c) => c.name);
  if (clash.length) throw fail(`columns ${clash.join(', ')} are the loader's own`, 'rename them: the loader adds _tsdbt_kafka_topic, _tsdbt_kafka_partition, _tsdbt_kafka_offset and _tsdbt_loaded_at');
  const key = typeof kafka.key === 'string' && kafka.key ? kafka.key : null;
  if (key && !columns.some((c) => c.name === key)) throw fail(`the key '${key}' is not one of its columns`, `add a column named ${key}, or set key to one of: ${columns.map((c) => c.name).join(', ')}`);
  const start = kafka.start === undefined ? 'earliest' : kafka.start;
  if (start !== 'earliest' && start !== 'latest') throw fail(`start must be earliest or latest, got '${String(start)}'`, 'write `start: earliest`');
  const format = kafka.format === undefined ? 'json' : kafka.format;
  if (format !== 'json') throw fail(`format '${String(format)}' is not supported yet`, 'use format: json');
  const fields = kafka.fields && typeof kafka.fields === 'object' ? Object.fromEntries(Object.entries(kafka.fields as Record<string, unknown>).map(([k, v]) => [k, String(v)])) : {};
  return { source, topic: kafka.topic, key, groupId: typeof kafka.group_id === 'string' && kafka.group_id ? kafka.group_id : defaultGroup, start, fields, columns };
}
