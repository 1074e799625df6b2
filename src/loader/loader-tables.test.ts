// The loader writes the table `source()` reads: where the source's `quoting:` turns quoting off, a
// bare name is the one the warehouse folds it to (dbt's source() renders it unquoted), and any name
// that cannot be written bare, or whose quoting stays on, keeps its quotes.
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type { Adapter } from '../adapters/adapter.js';
import { createAdapter } from '../adapters/index.js';
import type { SourceTable } from '../manifest/types.js';
import { kafkaSpecOf, type KafkaSourceSpec } from './kafka-source.js';
import { ensureLoaderTables } from './loader-tables.js';

function specFor(schema: string, identifier: string, quoting: Record<string, boolean> | undefined): KafkaSourceSpec {
  const source = {
    source_name: 'raw',
    name: 'events',
    identifier,
    database: null,
    schema,
    quoting: quoting ?? {},
    original_file_path: 'models/sources.yml',
    line: 1,
    meta: { kafka: { topic: 't' } },
    columns: { id: { name: 'id', data_type: 'text' } },
  } as unknown as SourceTable;
  return kafkaSpecOf(source, 'g', os.tmpdir()) as KafkaSourceSpec;
}

describe("the loader's tables and the source's quoting", () => {
  let adapter: Adapter | null = null;
  afterEach(async () => {
    await adapter?.close();
    adapter = null;
  });
  const tablesIn = async (schema: string) => {
    const a = adapter!;
    return a.withConnection(async (c) => (await c.execute(`select table_name from information_schema.tables where table_schema = '${schema}' order by 1`)).rows.map((r) => r.table_name));
  };

  it("writes a bare name unquoted as source() reads it where quoting is off, and keeps it quoted otherwise", async () => {
    adapter = await createAdapter({ type: 'pglite', name: 'test', path: 'memory', schema: 'main', threads: 1 }, { projectDir: os.tmpdir(), targetDir: os.tmpdir() });
    const a = adapter;
    const off = await a.withConnection((c) => ensureLoaderTables(a, c, specFor('Raw', 'Events', { schema: false, identifier: false })));
    expect(off.target.render()).toBe('"raw"."events"');
    expect(off.deadLetters.render()).toBe('"raw"."events__dlq"');
    expect(await tablesIn('raw')).toEqual(['events', 'events__dlq', 'tsdbt_kafka_offsets']);
    // Quoting on (the default): the names as written.
    const on = await a.withConnection((c) => ensureLoaderTables(a, c, specFor('Raw', 'Events', undefined)));
    expect(on.target.render()).toBe('"Raw"."Events"');
    expect(await tablesIn('Raw')).toEqual(['Events', 'Events__dlq', 'tsdbt_kafka_offsets']);
    // A name that cannot be written bare keeps its quotes, whatever the quoting says.
    const odd = await a.withConnection((c) => ensureLoaderTables(a, c, specFor('raw', 'my events', { identifier: false })));
    expect(odd.target.render()).toBe('"raw"."my events"');
  });
});
