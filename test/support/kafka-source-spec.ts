// The loader's spec of a source `raw.events` (schema `main`; columns id text, n integer) fed from
// Kafka with `kafka` as its meta.kafka, for tests that call loadSource directly.
import os from 'node:os';
import type { SourceTable } from '../../src/manifest/types.js';
import { kafkaSpecOf, type KafkaSourceSpec } from '../../src/loader/kafka-source.js';

export function eventsSourceSpec(kafka: Record<string, unknown>, groupId = 'g'): KafkaSourceSpec {
  const source = {
    source_name: 'raw',
    name: 'events',
    identifier: 'events',
    database: null,
    schema: 'main',
    original_file_path: 'models/sources.yml',
    line: 1,
    meta: { kafka },
    columns: { id: { name: 'id', data_type: 'text' }, n: { name: 'n', data_type: 'integer' } },
  } as unknown as SourceTable;
  return kafkaSpecOf(source, groupId, os.tmpdir()) as KafkaSourceSpec;
}

/**
 * The spec of `raw.events` with `columns` (name -> data type), fed from topic `t` keyed by `id`
 * with `kafka` added to its meta.kafka, for tests of decoding (files the spec names, a JSON
 * schema, are read from `dir`).
 */
export function decodingSourceSpec(kafka: Record<string, unknown>, columns: Record<string, string>, dir = os.tmpdir()): KafkaSourceSpec {
  const source = {
    source_name: 'raw',
    name: 'events',
    original_file_path: 'models/sources.yml',
    line: 1,
    meta: { kafka: { topic: 't', key: 'id', ...kafka } },
    columns: Object.fromEntries(Object.entries(columns).map(([name, data_type]) => [name, { name, data_type }])),
  } as unknown as SourceTable;
  return kafkaSpecOf(source, 'g', dir) as KafkaSourceSpec;
}
