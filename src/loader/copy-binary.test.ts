// The loader's rows in COPY's binary format (copy-binary.ts, written by fast-decode.ts) read back by
// PostgreSQL (PGlite in memory) through Connection.bulkLoadBinary: every row the binary writer
// takes comes back exactly as the same message's COPY text does, and the values it cannot be sure
// of (out of range, a string for a number, a timestamp in any other form) are left to the text way.
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Adapter, BinaryLoadKind } from '../adapters/adapter.js';
import { createAdapter } from '../adapters/index.js';
import { decodingSourceSpec } from '../../test/support/kafka-source-spec.js';
import { BINARY_HEADER, BINARY_TRAILER, binaryColumnKinds, timestampMicros } from './copy-binary.js';
import { TsvChunks } from './copy-text.js';
import { fastRowWriter } from './fast-decode.js';

const micros = (text: string) => timestampMicros(Buffer.from(text, 'latin1'), 0, text.length);

describe('timestampMicros', () => {
  it("reads PostgreSQL's timestamps written YYYY-MM-DD HH:MM:SS[.ffffff] as microseconds since 2000", () => {
    expect(micros('2000-01-01 00:00:00')).toBe(0);
    expect(micros('1970-01-01 00:00:00')).toBe(-946_684_800_000_000);
    expect(micros('2024-02-29T23:59:59.5')).toBe((Date.UTC(2024, 1, 29, 23, 59, 59) - Date.UTC(2000, 0, 1)) * 1000 + 500_000);
    expect(micros('1999-12-31 23:59:59.999999')).toBe(-1);
    expect(micros('2285-06-01 00:00:00')).toBe((Date.UTC(2285, 5, 1) - Date.UTC(2000, 0, 1)) * 1000);
  });

  it('reads each date on its own, though it remembers the last one', () => {
    const day = (Date.UTC(2024, 1, 29) - Date.UTC(2000, 0, 1)) * 1000;
    expect(micros('2024-02-29 00:00:01')).toBe(day + 1_000_000);
    expect(micros('2024-02-29 10:00:00')).toBe(day + 36_000_000_000);
    // The same day number as 2024-01-01 (year * 512 + month * 32 + day) from an invalid month: refused.
    expect(micros('2024-01-01 00:00:00')).toBe((Date.UTC(2024, 0, 1) - Date.UTC(2000, 0, 1)) * 1000);
    expect(micros('2023-17-01 00:00:00')).toBeNaN();
    expect(micros('2024-02-30 00:00:00')).toBeNaN();
    expect(micros('2024-01-01 00:00:00')).toBe((Date.UTC(2024, 0, 1) - Date.UTC(2000, 0, 1)) * 1000);
    expect(micros('2023-02-29 00:00:00')).toBeNaN();
  });

  it('gives NaN for any other text, so the row goes as text', () => {
    for (const text of ['2023-02-29 00:00:00', '2024-13-01 00:00:00', '2024-04-31 00:00:00', '2024-01-01 24:00:00', '2024-01-01 00:60:00', '2024-01-01 00:00:60', '2024-01-01', '2024-01-01 00:00:00Z', '2024-01-01 00:00:00+02', '2024-01-01 00:00:00.', '2024-01-01 00:00:00.1234567', '2024-1-01 00:00:00', '2024/01/01 00:00:00', ' 2024-01-01 00:00:0', '1600-01-01 00:00:00', '9999-01-01 00:00:00']) {
      expect(micros(text), text).toBeNaN();
    }
  });
});

describe('binary rows through bulkLoadBinary', () => {
  let adapter: Adapter;
  beforeAll(async () => {
    adapter = await createAdapter({ type: 'pglite', name: 'test', path: 'memory', schema: 'main', threads: 1 }, { projectDir: os.tmpdir(), targetDir: os.tmpdir() });
    await adapter.withConnection((conn) => conn.execute('create schema main'));
  });
  afterAll(() => adapter.close());

  const types: Record<string, string> = { id: 'text', s: 'smallint', i: 'integer', b: 'bigint', f: 'boolean', t: 'timestamp', v: 'varchar(12)' };
  const kinds: BinaryLoadKind[] = ['text', 'int16', 'int32', 'int64', 'boolean', 'timestamp', 'text'];
  const columns = Object.entries(types).map(([name, dataType]) => ({ name, dataType }));
  // Messages (JSON text), the last ones values the binary writer leaves to the text way.
  const messages = [
    { id: 'plain', s: 1, i: 2, b: 3, f: true, t: '2024-01-01 00:00:00', v: 'x' },
    { id: 'limits', s: -32768, i: 2147483647, b: -999999999999999, f: false, t: '1999-12-31T23:59:59.000001', v: 'Zoë ☃ 𝄞' },
    { id: 'nulls', s: null, i: null, b: null, f: null, t: null, v: null },
    { id: 'missing' },
    { id: 7, v: 1.5 }, // numbers into text columns
    { id: 'truth', v: true },
  ].map((m) => JSON.stringify(m));
  const textOnly: Record<string, string> = {
    'int-text': '{"id":"int-text","i":"5"}',
    'int-exponent': '{"id":"int-exponent","i":1e2}',
    'bool-text': '{"id":"bool-text","f":"yes"}',
    'bool-number': '{"id":"bool-number","f":1}',
    'ts-zone': '{"id":"ts-zone","t":"2024-01-01 10:00:00+02"}',
    'ts-date': '{"id":"ts-date","t":"2024-01-01"}',
  };
  // And values the column refuses as text too (the COPY fails; the loader's staging way makes them dead letters).
  const refusedByColumn: Record<string, string> = {
    'small-out': '{"id":"small-out","s":32768}',
    'int-out': '{"id":"int-out","i":-2147483649}',
    'ts-number': '{"id":"ts-number","t":0}',
    'ts-invalid': '{"id":"ts-invalid","t":"2023-02-29 00:00:00"}',
  };

  it("loads each row the binary writer takes as the message's COPY text loads it, and takes no other", async () => {
    const spec = decodingSourceSpec({}, types);
    const binary = fastRowWriter(spec, binaryColumnKinds(kinds, kinds.length));
    const text = fastRowWriter(spec);
    if (!binary || !text) throw new Error('no fast writer');
    const binaryOut = new TsvChunks(64);
    binaryOut.reserve(BINARY_HEADER.length);
    binaryOut.writeBytes(BINARY_HEADER);
    const textOut = new TsvChunks(64);
    const refused: string[] = [];
    const binaryChunks: Buffer[] = [];
    const textChunks: Buffer[] = [];
    for (const message of [...messages, ...Object.values(textOnly), ...Object.values(refusedByColumn)]) {
      const bytes = Buffer.from(message);
      const id = String((JSON.parse(message) as { id: unknown }).id);
      if (!binary(bytes, binaryOut, 0)) refused.push(id);
      else binaryOut.rows++;
      if (!(id in refusedByColumn)) {
        expect(text(bytes, textOut, 1), message).toBe(true);
        textOut.endRow();
      }
      binaryChunks.push(...binaryOut.take());
      textChunks.push(...textOut.take());
    }
    binaryOut.reserve(2);
    binaryOut.writeBytes(BINARY_TRAILER);
    binaryChunks.push(binaryOut.rest() as Buffer);
    textChunks.push(textOut.rest() as Buffer);
    expect(binaryChunks.length).toBeGreaterThan(3); // rows across chunks
    expect(refused).toEqual([...Object.keys(textOnly), ...Object.keys(refusedByColumn)]);
    const [asBinary, asText] = await adapter.withConnection(async (conn) => {
      const relation = (identifier: string) => adapter.relation({ database: null, schema: 'main', identifier, type: 'table' });
      const definition = Object.entries(types).map(([name, type]) => `${name} ${type}`).join(', ');
      await conn.execute(`create table main.by_binary (${definition}); create table main.by_text (${definition})`);
      expect(await adapter.binaryLoadKinds?.(conn, relation('by_binary'), Object.keys(types))).toEqual(kinds);
      expect(await conn.bulkLoadBinary?.(relation('by_binary'), columns, binaryChunks)).toBe(messages.length);
      await conn.bulkLoadText?.(relation('by_text'), columns, textChunks);
      const read = async (table: string) => (await conn.execute(`select id, s, i, b::text as b, f, t::text as t, v from main.${table} order by id`)).rows;
      return [await read('by_binary'), await read('by_text')];
    });
    expect(asText.length).toBe(messages.length + Object.keys(textOnly).length);
    expect(asBinary).toEqual(asText.filter((row) => !(String(row.id) in textOnly)));
    expect(asBinary.find((row) => row.id === 'limits')).toEqual({ id: 'limits', s: -32768, i: 2147483647, b: '-999999999999999', f: false, t: '1999-12-31 23:59:59.000001', v: 'Zoë ☃ 𝄞' });
  });

  it('has no kind for a type whose binary form the loader does not write', async () => {
    const kindsOf = await adapter.withConnection(async (conn) => {
      await conn.execute('create table main.others (a numeric, b jsonb, c timestamptz, d date, e double precision, f text)');
      return adapter.binaryLoadKinds?.(conn, adapter.relation({ database: null, schema: 'main', identifier: 'others', type: 'table' }), ['a', 'b', 'c', 'd', 'e', 'f', 'absent']);
    });
    expect(kindsOf).toEqual([null, null, null, null, null, 'text', null]);
  });
});
