// `tsdbt load --once` COPYs a batch straight into its table in COPY's binary format where every
// column's type has a binary form the loader writes (issue 18: the server then parses no
// timestamp or integer text, ~10% of its CPU for the bench's rows); the messages whose values it
// cannot be sure of go as text in the same transaction, and whatever the table refuses (a key it
// holds, a value its column refuses) still goes the staging table's way. The rows are the ones the
// text way gives, each key once.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaSourceYaml, loadOnce, produce } from '../support/kafka.js';
import { WAREHOUSES, warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

describe.each(WAREHOUSES)('the binary direct COPY on %s', (kind) => {
  const topic = `binary_${randomBytes(4).toString('hex')}`;
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject(kind, {});
    p.write(
      'models/sources.yml',
      kafkaSourceYaml(p.schema, `{topic: ${topic}, key: event_id}`, [
        ['event_id', 'text'],
        ['n', 'integer'],
        ['big', 'bigint'],
        ['flag', 'boolean'],
        ['at', 'timestamp'],
      ]),
    );
  });
  afterAll(() => p.cleanup());
  const message = (partition: number, event: Record<string, unknown>) => ({ partition, key: String(event.event_id), value: JSON.stringify(event) });
  const rows = () => p.sql(`select event_id, n, big::text as big, flag, at::text as at, _tsdbt_kafka_partition as p, _tsdbt_kafka_offset::int as o from ${p.schema}_raw.events order by event_id`);
  const copies = () => readFileSync(path.join(p.dir, 'logs', 'dbt.log'), 'utf8').match(/copy \S+ \([^)]*\) from \S+( with \(format binary\))?/g) ?? [];

  it('loads the rows in binary, the values it cannot be sure of as text, each key once', async () => {
    await produce(topic, [
      message(0, { event_id: 'a', n: 1, big: 9007199254740, flag: true, at: '2024-03-01 12:00:00.25' }),
      message(0, { event_id: 'b', n: -2147483648, big: null, flag: false, at: '1999-12-31T23:59:59' }),
      message(0, { event_id: 'c', n: '7', at: '2024-03-01 12:00:00+05' }), // text way: a string for an integer, a zone
      message(1, { event_id: 'd' }),
    ]);
    const first = await loadOnce(p);
    expect(first.output).toMatch(/\[LOADED 4, 0 duplicates, 0 dead letters in/);
    expect(await rows()).toEqual([
      { event_id: 'a', n: 1, big: '9007199254740', flag: true, at: '2024-03-01 12:00:00.25', p: 0, o: 0 },
      { event_id: 'b', n: -2147483648, big: null, flag: false, at: '1999-12-31 23:59:59', p: 0, o: 1 },
      { event_id: 'c', n: 7, big: null, flag: null, at: '2024-03-01 12:00:00', p: 0, o: 2 },
      { event_id: 'd', n: null, big: null, flag: null, at: null, p: 1, o: 0 },
    ]);
    const loadedAt = await p.sql(`select count(_tsdbt_kafka_topic)::int as topics from ${p.schema}_raw.events where _tsdbt_kafka_topic = '${topic}'`);
    expect(loadedAt[0]?.topics).toBe(4);
    // Binary COPYs (one per write: the two partitions may be written together or apart), and a
    // text COPY of message c alone, in its write's transaction.
    const formats = copies()
      .filter((c) => c.includes('_raw"."events" ('))
      .map((c) => (c.endsWith('with (format binary)') ? 'binary' : 'text'));
    expect(formats.filter((f) => f === 'text')).toEqual(['text']);
    expect(formats.filter((f) => f === 'binary').length).toBeGreaterThanOrEqual(1);
  });

  it('a key the table holds already (a redelivery after a crash) or a value its column refuses: the staging way, each key still once', async () => {
    await produce(topic, [
      message(0, { event_id: 'e', n: 5 }),
      message(0, { event_id: 'a', n: 100, at: '2030-01-01 00:00:00' }), // redelivered key: the first delivery stays
      message(1, { event_id: 'f', at: 'not a time' }), // refused by the column: a dead letter
      message(1, { event_id: 'g', big: 12 }),
    ]);
    const second = await loadOnce(p);
    expect(second.output).toMatch(/\[LOADED 2, 1 duplicate, 1 dead letter in/);
    expect((await rows()).map((r) => [r.event_id, r.n, r.at])).toEqual([
      ['a', 1, '2024-03-01 12:00:00.25'],
      ['b', -2147483648, '1999-12-31 23:59:59'],
      ['c', 7, '2024-03-01 12:00:00'],
      ['d', null, null],
      ['e', 5, null],
      ['g', null, null],
    ]);
    expect(await p.sql(`select key, error from ${p.schema}_raw.events__dlq`)).toEqual([{ key: 'f', error: expect.stringMatching(/invalid input syntax for type timestamp/) as unknown }]);
    expect(await p.sql(`select sum(next_offset)::int as consumed from ${p.schema}_raw.tsdbt_kafka_offsets`)).toEqual([{ consumed: 8 }]);
  });
});
