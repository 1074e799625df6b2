// The tables the loader writes, created on first use from the source's declared columns: the
// source table itself (plus the loader's columns), its dead-letter table `<table>__dlq`, and
// `tsdbt_kafka_offsets` (the next offset per group, topic and partition) in the same schema.
import type { Adapter, Connection, LoadColumn } from '../adapters/adapter.js';
import type { Relation } from '../adapters/relation.js';
import { sourceStoredParts } from '../adapters/source-relation.js';
import type { KafkaSourceSpec } from './kafka-source.js';

export const OFFSETS_TABLE = 'tsdbt_kafka_offsets';
/** The dead-letter table of a source table: `<table>__dlq`, in the same schema. */
export const deadLetterTable = (table: string) => `${table}__dlq`;

export const DEAD_LETTER_COLUMNS = ['topic', 'partition', 'offset', 'key', 'payload', 'error', 'failed_at'];
export const OFFSET_COLUMNS = ['group_id', 'topic', 'partition', 'next_offset', 'updated_at'];

export interface LoaderTables {
  target: Relation;
  offsets: Relation;
  deadLetters: Relation;
  /** A session-private staging table for transactional writers. */
  batch: Relation;
  loadColumns: LoadColumn[];
}

/** Creates the tables when missing (the caller holds a lock, so loaders starting together do not race). */
export async function ensureLoaderTables(adapter: Adapter, conn: Connection, spec: KafkaSourceSpec): Promise<LoaderTables> {
  const sql = adapter.sql;
  const source = sourceStoredParts(spec.source, adapter.sql);
  const relation = (identifier: string) => adapter.relation({ database: source.database, schema: source.schema, identifier, type: 'table' });
  await adapter.createSchemaIfMissing(conn, source.database, source.schema);
  const text = sql.typeFor('text');
  const loadColumns: LoadColumn[] = [
    ...spec.columns.map((c) => ({ name: c.name, dataType: c.dataType })),
    { name: '_tsdbt_kafka_topic', dataType: text },
    { name: '_tsdbt_kafka_partition', dataType: sql.typeFor('integer') },
    { name: '_tsdbt_kafka_offset', dataType: sql.typeFor('bigint') },
    { name: '_tsdbt_loaded_at', dataType: sql.typeFor('timestamp') },
  ];
  const target = relation(source.identifier);
  await conn.execute(sql.createTableIfMissing(target, loadColumns, spec.key ? [spec.key] : null));
  const offsets = relation(OFFSETS_TABLE);
  const typed = (names: string[], types: string[]) => names.map((name, i) => ({ name, dataType: types[i] as string }));
  await conn.execute(
    sql.createTableIfMissing(offsets, typed(OFFSET_COLUMNS, [text, text, sql.typeFor('integer'), sql.typeFor('bigint'), sql.typeFor('timestamp')]), ['group_id', 'topic', 'partition']),
  );
  const deadLetters = relation(deadLetterTable(source.identifier));
  await conn.execute(
    sql.createTableIfMissing(deadLetters, typed(DEAD_LETTER_COLUMNS, [text, sql.typeFor('integer'), sql.typeFor('bigint'), text, text, text, sql.typeFor('timestamp')]), ['topic', 'partition', 'offset']),
  );
  return { target, offsets, deadLetters, batch: sql.temporaryRelation(`tsdbt_kafka_batch_${source.identifier}`.slice(0, 60)), loadColumns };
}
