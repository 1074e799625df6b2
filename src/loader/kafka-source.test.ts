// A source's meta.kafka read into a KafkaSourceSpec, and messages decoded against it: the JSON
// paths, the JSON Schema, Confluent's wire format, the size limit and the key; and the errors a
// mistaken meta.kafka gets, with file and line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TsdbtError } from '../errors/tsdbt-error.js';
import type { SourceTable } from '../manifest/types.js';
import { decodeMessage } from './decode.js';
import { kafkaConnectionFrom } from './kafka-connection.js';
import { kafkaSpecOf } from './kafka-source.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-kafka-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(path.join(dir, 'event.json'), JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { n: { type: 'integer', minimum: 0 } } }));

function source(kafka: unknown, columns: Record<string, string | null> = { id: 'text', n: 'integer', city: 'text' }): SourceTable {
  return {
    source_name: 'raw',
    name: 'events',
    original_file_path: 'models/sources.yml',
    line: 7,
    meta: { kafka },
    columns: Object.fromEntries(Object.entries(columns).map(([name, data_type]) => [name, { name, data_type, description: '', meta: {}, tags: [], quote: null }])),
  } as unknown as SourceTable;
}

const spec = (kafka: Record<string, unknown>) => {
  const s = kafkaSpecOf(source({ topic: 't', key: 'id', fields: { city: 'address.city' }, ...kafka }), 'tsdbt.demo', dir);
  if (!s) throw new Error('expected a spec');
  return s;
};
const failure = (kafka: unknown, columns?: Record<string, string | null>) => {
  try {
    kafkaSpecOf(source(kafka, columns), 'g', dir);
  } catch (err) {
    return err as TsdbtError;
  }
  throw new Error('expected an error');
};

describe('meta.kafka', () => {
  it('reads the defaults and the batch settings', () => {
    const s = spec({ batch_size: 500, batch_ms: 50 });
    expect({ topic: s.topic, key: s.key, group: s.groupId, start: s.start, reset: s.offsetReset, isolation: s.isolationLevel, format: s.format, batchSize: s.batchSize, batchMs: s.batchMs, max: s.maxMessageBytes }).toEqual({
      topic: 't',
      key: 'id',
      group: 'tsdbt.demo',
      start: 'earliest',
      reset: 'earliest',
      isolation: 'read_committed',
      format: 'json',
      batchSize: 500,
      batchMs: 50,
      max: 1_048_576,
    });
  });

  it('says what is wrong, where, and what to do', () => {
    const cases: [unknown, RegExp, RegExp][] = [
      [{ key: 'id' }, /meta\.kafka needs a topic/, /add `topic:/],
      [{ topic: 't', key: 'nope' }, /the key 'nope' is not one of its columns/, /id, n, city/],
      [{ topic: 't', batch_size: 0 }, /batch_size must be a positive whole number, got '0'/, /batch_size: 10000/],
      // Longer than a Node timer can wait: it would fire at once, flushing every message alone.
      [{ topic: 't', batch_ms: 2 ** 31 }, /batch_ms must be at most 2147483647, got '2147483648'/, /batch_ms: /],
      [{ topic: 't', format: 'avro' }, /format 'avro' is not supported/, /confluent-json/],
      [{ topic: 't', offset_reset: 'smallest' }, /offset_reset must be one of earliest, latest, fail, got 'smallest'/, /offset_reset: earliest/],
      [{ topic: 't', isolation_level: 'committed' }, /isolation_level must be one of read_committed, read_uncommitted, got 'committed'/, /isolation_level: read_committed/],
      [{ topic: 't', json_schema: 'missing.json' }, /json_schema file missing\.json does not exist/, /relative to the project root/],
    ];
    for (const [kafka, message, hint] of cases) {
      const err = failure(kafka);
      expect(err.message).toMatch(message);
      expect(err.hint).toMatch(hint);
      expect(err.location).toEqual({ file: 'models/sources.yml', line: 7 });
    }
    expect(failure({ topic: 't' }, { id: null }).message).toMatch(/columns without data_type: id/);
    expect(failure({ topic: 't' }, { _tsdbt_kafka_offset: 'bigint' }).message).toMatch(/columns _tsdbt_kafka_offset are the loader's own/);
  });
});

describe('decoding a message', () => {
  const value = (o: unknown) => Buffer.from(JSON.stringify(o));
  it('maps columns by name and by nested path, keeping objects as JSON', () => {
    expect(decodeMessage(spec({}), value({ id: 'a', n: 3, address: { city: 'Oslo' } }))).toEqual({ ok: true, values: ['a', '3', 'Oslo'] });
    expect(decodeMessage(spec({ fields: {} }), value({ id: 'a', city: { name: 'Oslo' } }))).toEqual({ ok: true, values: ['a', null, '{"name":"Oslo"}'] });
  });

  it('gives the reason a message is a dead letter', () => {
    const s = spec({ json_schema: 'event.json', max_message_bytes: 60 });
    expect(decodeMessage(s, Buffer.from('{nope'))).toMatchObject({ ok: false, reason: expect.stringMatching(/^not JSON: /) as unknown });
    expect(decodeMessage(s, value([1]))).toEqual({ ok: false, reason: 'not a JSON object' });
    expect(decodeMessage(s, value({ id: 'a', n: -1 }))).toEqual({ ok: false, reason: 'violates json_schema: /n must be >= 0' });
    expect(decodeMessage(s, value({ n: 1 }))).toEqual({ ok: false, reason: "no value for the key 'id'" });
    expect(decodeMessage(s, value({ id: 'a', pad: 'x'.repeat(60) }))).toEqual({ ok: false, reason: 'message of 79 bytes is larger than max_message_bytes (60)' });
    expect(decodeMessage(s, null)).toEqual({ ok: false, reason: 'empty message (tombstone)' });
  });

  it("reads Confluent's wire format (magic byte, schema id, JSON)", () => {
    const s = spec({ format: 'confluent-json' });
    const framed = Buffer.concat([Buffer.from([0, 0, 0, 0, 42]), value({ id: 'a', n: 1 })]);
    expect(decodeMessage(s, framed)).toEqual({ ok: true, values: ['a', '1', null] });
    expect(decodeMessage(s, value({ id: 'a' }))).toMatchObject({ ok: false, reason: expect.stringMatching(/^not in Confluent wire format/) as unknown });
  });
});

describe('Kafka connection settings', () => {
  it('takes --brokers, then TSDBT_KAFKA_BROKERS, then the profile, with TLS and SASL from the profile', () => {
    const profile = { brokers: ['p1:9093', 'p2:9093'], client_id: 'etl', ssl: true, sasl: { mechanism: 'SCRAM-SHA-512', username: 'u', password: 'p' } };
    expect(kafkaConnectionFrom(profile, 'f:9092', { TSDBT_KAFKA_BROKERS: 'e:9092' }).brokers).toEqual(['f:9092']);
    expect(kafkaConnectionFrom(profile, undefined, { TSDBT_KAFKA_BROKERS: 'e1:9092, e2:9092' }).brokers).toEqual(['e1:9092', 'e2:9092']);
    expect(kafkaConnectionFrom(profile, undefined, {})).toEqual({ brokers: ['p1:9093', 'p2:9093'], clientId: 'etl', ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' } });
    expect(() => kafkaConnectionFrom({}, undefined, {})).toThrow(/no Kafka brokers given/);
    expect(() => kafkaConnectionFrom({ brokers: 'b:1', sasl: { mechanism: 'gssapi' } }, undefined, {})).toThrow(/sasl\.mechanism 'gssapi' is not supported/);
  });
});
