// One real load of fuzzed Kafka messages (fast-check, seeded) into the PostgreSQL server, through a
// source whose column names are hostile (`select`, `a b`, `we"ird`, `UserName`, a name holding a
// statement): arbitrary bytes, invalid UTF-8, NUL bytes and NUL characters, JSON of every shape,
// deep and oversized documents, keys and headers holding SQL. The load ends with exit 0, every
// message is a row, a duplicate of its key, or a dead letter with a reason, and nothing but the
// loader's tables was created or dropped.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { Message } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOnce, produce } from '../support/kafka.js';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const COLUMNS: [string, string][] = [
  ['id', 'text'],
  ['select', 'text'],
  ['a b', 'integer'],
  ['we"ird', 'jsonb'],
  ['UserName', 'text'],
  ['x); drop table canary; --', 'text'],
];
const SQL = ["'); drop table canary; --", '"; drop table canary; --', 'x) ; delete from tsdbt_kafka_offsets; --', '$$; drop table canary; $$', "\\'; select pg_sleep(100); --"];

/** A message value: bytes, JSON of any shape, or an object over the columns with hostile values. */
const valueArb: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.concat([Buffer.from('{"id":"'), Buffer.from(b), Buffer.from('"}')])) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v))) },
  { weight: 8, arbitrary: fc
    .record({
      id: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...SQL), fc.integer(), fc.constant(null), fc.constant('nul\u0000id')),
      select: fc.oneof(fc.string(), fc.constantFrom(...SQL), fc.jsonValue({ maxDepth: 3 }), fc.constant('nul\u0000char')),
      'a b': fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 5 }), fc.constant('1e400'), fc.bigInt().map(String)),
      'we"ird': fc.jsonValue({ maxDepth: 5 }),
      UserName: fc.oneof(fc.string({ unit: 'grapheme' }), fc.constantFrom(...SQL)),
      'x); drop table canary; --': fc.constantFrom(...SQL),
    }, { requiredKeys: [] })
    .map((o) => Buffer.from(JSON.stringify(o))) },
  { weight: 1, arbitrary: fc.integer({ min: 900, max: 1100 }).map((depth) => Buffer.from(`{"id":"deep${depth}","we\\"ird":${'['.repeat(depth)}${']'.repeat(depth)}}`)) },
  // Larger than the source's max_message_bytes (the mock keeps 5 MB per partition: stay small).
  { weight: 1, arbitrary: fc.integer({ min: 30_001, max: 40_000 }).map((size) => Buffer.from(JSON.stringify({ id: `big${size}`, select: 'x'.repeat(size) }))) },
);
const keyArb = fc.oneof(fc.constant(null), fc.constantFrom(...SQL), fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b)), fc.string());
const headersArb = fc.dictionary(fc.oneof(fc.constantFrom(...SQL), fc.string({ minLength: 1, maxLength: 10 })), fc.oneof(fc.constantFrom(...SQL), fc.string()), { maxKeys: 3 });

describe('a load of fuzzed messages (PostgreSQL server)', () => {
  const topic = `fuzz_${randomBytes(4).toString('hex')}`;
  let p: WarehouseProject;
  beforeAll(async () => {
    p = warehouseProject('server', {});
    const columns = COLUMNS.map(([name, type]) => `          - {name: ${JSON.stringify(name)}, data_type: ${JSON.stringify(type)}}`).join('\n');
    p.write('models/sources.yml', `version: 2\nsources:\n  - name: raw\n    schema: ${p.schema}_raw\n    tables:\n      - name: events\n        meta:\n          kafka: {topic: ${topic}, key: id, batch_size: 100, max_message_bytes: 30000}\n        columns:\n${columns}\n`);
    await p.sql(`create schema if not exists ${p.schema}_raw`);
    await p.sql(`create table ${p.schema}_raw.canary (x int)`);
  });
  afterAll(() => p.cleanup());

  it('ends with every message a row, a duplicate or a dead letter with its reason, and the schema untouched', async () => {
    const messages: Message[] = fc.sample(fc.record({ key: keyArb, value: valueArb, headers: headersArb }), { numRuns: 400, seed: Number(process.env.FUZZ_SEED ?? 15) });
    for (let i = 0; i < messages.length; i += 100) await produce(topic, messages.slice(i, i + 100));
    const run = await loadOnce(p);
    expect(run.code, run.output).toBe(0);
    const summary = /\[LOADED (\d+), (\d+) duplicates?, (\d+) dead letters?/.exec(run.output);
    expect(summary, run.output).not.toBeNull();
    const [loaded, duplicates, dead] = (summary as RegExpExecArray).slice(1).map(Number) as [number, number, number];
    expect(loaded + duplicates + dead, run.output).toBe(messages.length);
    expect(loaded).toBeGreaterThan(0);
    const raw = `${p.schema}_raw`;
    expect(await p.sql(`select count(*)::int as n from ${raw}.events`)).toEqual([{ n: loaded }]);
    expect(await p.sql(`select count(*)::int as n, count(*) filter (where error is null or error = '')::int as no_reason from ${raw}.events__dlq`)).toEqual([{ n: dead, no_reason: 0 }]);
    // Every offset is accounted for by the stored positions.
    expect(await p.sql(`select sum(next_offset)::int as consumed from ${raw}.tsdbt_kafka_offsets`)).toEqual([{ consumed: messages.length }]);
    // The columns are the declared names, quoted (case kept); nothing else was created or dropped.
    const columns = await p.sql(`select column_name from information_schema.columns where table_schema = '${raw}' and table_name = 'events' order by ordinal_position`);
    expect(columns.map((c) => c.column_name)).toEqual([...COLUMNS.map(([name]) => name), '_tsdbt_kafka_topic', '_tsdbt_kafka_partition', '_tsdbt_kafka_offset', '_tsdbt_loaded_at']);
    const tables = await p.sql(`select table_name from information_schema.tables where table_schema = '${raw}' order by 1`);
    expect(tables.map((t) => t.table_name)).toEqual(['canary', 'events', 'events__dlq', 'tsdbt_kafka_offsets']);
    const reasons = await p.sql(`select regexp_replace(left(split_part(error, ':', 1), 40), '[0-9]+', 'N', 'g') as reason, count(*)::int as n from ${raw}.events__dlq group by 1 order by 2 desc`);
    console.log(`fuzzed load: ${messages.length} messages, ${loaded} rows, ${duplicates} duplicates, ${dead} dead letters: ${reasons.map((r) => `${String(r.reason)} ${String(r.n)}`).join('; ')}`);
  }, 300_000);
});
