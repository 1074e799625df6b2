// The Kafka side of a source table, read from its `meta.kafka` and its `columns:` (dbt's
// `data_type`): which topic feeds it, the idempotency key, the consumer group, where to start, how
// JSON fields map to columns, the JSON Schema messages must satisfy, how batches are cut, what to do
// when the stored position is outside the log (offset_reset), and the isolation level.
// Checked once, with file:line errors.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { SourceTable } from '../manifest/types.js';

/** Columns the loader adds to every table it fills (a prefix no dbt user column takes). */
export const LOADER_COLUMNS = ['_tsdbt_kafka_topic', '_tsdbt_kafka_partition', '_tsdbt_kafka_offset', '_tsdbt_loaded_at'] as const;

/** Defaults of the batch settings: a batch is written at 10,000 messages or 500 ms, whichever first. */
export const DEFAULT_BATCH_SIZE = 10_000;
export const DEFAULT_BATCH_MS = 500;
/** Messages larger than this (bytes) go to the dead-letter table: Kafka's own default limit. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_576;

export interface KafkaSourceSpec {
  source: SourceTable;
  topic: string;
  /** The idempotency key column: a message whose key was already loaded is a no-op. */
  key: string | null;
  groupId: string;
  start: 'earliest' | 'latest';
  /**
   * What to do when the stored position is outside the partition's log: below its start (retention
   * deleted messages before they were loaded) or past its end (the topic was deleted and recreated,
   * or truncated). `earliest` (the default) goes on from the log start with a warning that counts
   * the lost messages; `latest` goes on from the end; `fail` stops with an error.
   */
  offsetReset: OffsetReset;
  /** `read_committed` (the default): messages of aborted transactions are never loaded. */
  isolationLevel: IsolationLevel;
  /** Column -> dotted path in the JSON value (`payload.user.id`); by default the column's name. */
  fields: Record<string, string>;
  /** The user's columns with their declared types, in order. */
  columns: { name: string; dataType: string }[];
  /** `json`, or `confluent-json`: Confluent's wire format (a zero byte and a 4-byte schema id, then JSON). */
  format: 'json' | 'confluent-json';
  /** Checks a parsed message against `json_schema`: null when valid, else the violations. */
  validate: ((value: unknown) => string | null) | null;
  /** A batch is written when it holds this many messages... */
  batchSize: number;
  /** ...or when its first message has waited this long (ms). */
  batchMs: number;
  maxMessageBytes: number;
}

export const OFFSET_RESETS = ['earliest', 'latest', 'fail'] as const;
export type OffsetReset = (typeof OFFSET_RESETS)[number];
export const ISOLATION_LEVELS = ['read_committed', 'read_uncommitted'] as const;
export type IsolationLevel = (typeof ISOLATION_LEVELS)[number];

type Fail = (message: string, hint: string) => TsdbtError;

function oneOf<T extends string>(value: unknown, name: string, allowed: readonly T[], fallback: T, fail: Fail): T {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw fail(`${name} must be one of ${allowed.join(', ')}, got '${String(value)}'`, `write e.g. \`${name}: ${fallback}\``);
}

function positiveInteger(value: unknown, name: string, fallback: number, fail: Fail, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined || value === null) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw fail(`${name} must be a positive whole number, got '${String(value)}'`, `write e.g. \`${name}: ${fallback}\``);
  if (n > max) throw fail(`${name} must be at most ${max}, got '${String(value)}'`, `write e.g. \`${name}: ${fallback}\``);
  return n;
}

/** The longest wait a Node timer can hold (about 24.8 days); a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`).join('; ');
}

/** Compiles `json_schema` (a file, relative to the project root) with ajv, formats included. */
function schemaValidator(file: string, projectDir: string, fail: Fail): (value: unknown) => string | null {
  const full = path.resolve(projectDir, file);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch {
    throw fail(`json_schema file ${file} does not exist`, `put the schema at ${path.relative(projectDir, full) || full} (relative to the project root), or remove json_schema`);
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (err) {
    throw fail(`json_schema file ${file} is not JSON: ${(err as Error).message}`, 'fix the file: a JSON Schema is a JSON document');
  }
  // The draft the schema names in `$schema` (2020-12, 2019-09), else draft-07.
  const draft = String((schema as { $schema?: unknown } | null)?.$schema ?? '');
  const AjvClass = draft.includes('2020-12') ? Ajv2020 : draft.includes('2019-09') ? Ajv2019 : Ajv;
  const ajv = new AjvClass({ allErrors: true, strict: false });
  addFormats.default(ajv);
  let check;
  try {
    check = ajv.compile(schema as object);
  } catch (err) {
    throw fail(`json_schema file ${file} is not a valid JSON Schema: ${(err as Error).message}`, 'check the schema against https://json-schema.org/');
  }
  return (value) => (check(value) ? null : describeErrors(check.errors));
}

export function kafkaSpecOf(source: SourceTable, defaultGroup: string, projectDir: string): KafkaSourceSpec | null {
  const raw = (source.meta as { kafka?: unknown }).kafka;
  if (raw === undefined || raw === null) return null;
  const location = { file: source.original_file_path, line: source.line };
  const fail: Fail = (message, hint) => new TsdbtError(`source ${source.source_name}.${source.name}: ${message}`, { code: 'kafka-source-invalid', location, hint });
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
  if (format !== 'json' && format !== 'confluent-json') throw fail(`format '${String(format)}' is not supported`, 'use format: json, or confluent-json for Confluent Schema Registry JSON');
  const fields = kafka.fields && typeof kafka.fields === 'object' ? Object.fromEntries(Object.entries(kafka.fields as Record<string, unknown>).map(([k, v]) => [k, String(v)])) : {};
  const schemaFile = kafka.json_schema;
  if (schemaFile !== undefined && (typeof schemaFile !== 'string' || !schemaFile)) throw fail('json_schema must be a file path', 'write `json_schema: schemas/click_event.json`');
  return {
    source,
    topic: kafka.topic,
    key,
    groupId: typeof kafka.group_id === 'string' && kafka.group_id ? kafka.group_id : defaultGroup,
    start,
    offsetReset: oneOf(kafka.offset_reset, 'offset_reset', OFFSET_RESETS, 'earliest', fail),
    isolationLevel: oneOf(kafka.isolation_level, 'isolation_level', ISOLATION_LEVELS, 'read_committed', fail),
    fields,
    columns,
    format,
    validate: typeof schemaFile === 'string' ? schemaValidator(schemaFile, projectDir, fail) : null,
    batchSize: positiveInteger(kafka.batch_size, 'batch_size', DEFAULT_BATCH_SIZE, fail),
    batchMs: positiveInteger(kafka.batch_ms, 'batch_ms', DEFAULT_BATCH_MS, fail, MAX_TIMER_MS),
    maxMessageBytes: positiveInteger(kafka.max_message_bytes, 'max_message_bytes', DEFAULT_MAX_MESSAGE_BYTES, fail),
  };
}
