// Reads the embedded database a CLI run left in `<project>/target/tsdbt.pglite` (no tsdbt process
// may hold it meanwhile): the rows of one query.
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

export async function queryProjectPglite(dir: string, sql: string): Promise<Record<string, unknown>[]> {
  const db = new PGlite(path.join(dir, 'target/tsdbt.pglite'));
  try {
    return (await db.query<Record<string, unknown>>(sql)).rows;
  } finally {
    await db.close();
  }
}
