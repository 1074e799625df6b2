// Which columns of a table take a value in COPY's binary format as the Kafka loader writes it
// (Connection.bulkLoadBinary): the column's type, by OID, from the catalog. A type outside this
// list (numeric, jsonb, a domain, timestamptz, ...) has no kind here: its table is loaded as text.
import type { BinaryLoadKind, Connection } from '../adapter.js';
import { regclassSql } from './postgres-introspector.js';

/**
 * Types whose binary input reads exactly what the loader writes for them: text, varchar and char
 * (their receive functions apply the column's length as their text input does), the integers,
 * boolean and timestamp without time zone (microseconds since 2000-01-01, PostgreSQL 10+).
 */
const KINDS = new Map<number, BinaryLoadKind>([
  [25, 'text'],
  [1043, 'text'],
  [1042, 'text'],
  [21, 'int16'],
  [23, 'int32'],
  [20, 'int64'],
  [16, 'boolean'],
  [1114, 'timestamp'],
]);

/** Adapter.binaryLoadKinds: each column's kind (null for a type without one, or a column the table lacks). */
export async function binaryLoadKinds(conn: Connection, schema: string | null, identifier: string, columns: string[]): Promise<(BinaryLoadKind | null)[]> {
  const { rows } = await conn.execute(
    `select a.attname::text as name, a.atttypid::int as type from pg_catalog.pg_attribute a where a.attrelid = ${regclassSql(schema, identifier)} and a.attnum > 0 and not a.attisdropped`,
  );
  const types = new Map(rows.map((r) => [String(r.name), Number(r.type)]));
  return columns.map((c) => KINDS.get(types.get(c) ?? 0) ?? null);
}
