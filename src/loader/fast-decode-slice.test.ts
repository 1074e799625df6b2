// fast-decode.ts reads a packed fetch's values in place: the message is bytes start..end of a larger
// buffer (packed-messages.ts), and nothing around it may change what is written or whether it
// declines. For hand-picked documents and seeded random ones (fast-check), each placed between
// bytes that would continue it (digits, letters of a literal, quotes, braces, spaces), the row
// written equals the one written from the document alone.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TsvChunks } from './copy-text.js';
import { fastRowWriter, type FastRowWriter } from './fast-decode.js';
import { decodingSourceSpec } from '../../test/support/kafka-source-spec.js';

const specOf = (kafka: Record<string, unknown>) => decodingSourceSpec(kafka, { id: 'text', n: 'integer', name: 'text', ok: 'boolean' });

/** What `writer` wrote for bytes start..end of `buffer` (null: declined). */
function written(writer: FastRowWriter, buffer: Buffer, start?: number, end?: number): string | null {
  const out = new TsvChunks(64);
  if (!writer(buffer, out, 0, start, end)) {
    expect(out.at).toBe(0);
    return null;
  }
  return Buffer.concat([...out.take(), out.rest() ?? Buffer.alloc(0)]).toString('utf8');
}

const SURROUNDINGS = ['', '0', '9', 'e', '.5', 'rue', 'ull', '"', '}', ']', ',"n":5}', ' ', '\\u0041"', '\u00e9'];

/** The document alone and placed between `before` and `after`: the same outcome. */
function sameInPlace(writer: FastRowWriter, document: Buffer, before: string, after: string): void {
  const alone = written(writer, document);
  const head = Buffer.from(before);
  const placed = Buffer.concat([head, document, Buffer.from(after)]);
  expect(written(writer, placed, head.length, head.length + document.length), `${before}|${document.toString()}|${after}`).toBe(alone);
}

describe('fast-decode reads a message in place inside a larger buffer', () => {
  const writer = fastRowWriter(specOf({})) as FastRowWriter;
  const confluent = fastRowWriter(specOf({ format: 'confluent-json' })) as FastRowWriter;

  it('writes and declines exactly as for the message alone, whatever bytes surround it', () => {
    const documents = [
      '{"id":"e1","n":42,"name":"Zoë","ok":true}', '{"id":"e2","n":-7}', '{"id":"e3","n":1', '{"id":"e4","n":1.', '{"id":"e5","n":1e', '{"id":"e6","ok":t',
      '{"id":"e7","ok":nul', '{"id":"e8","skip":"\\u00', '{"id":"e9","skip":"\\', '{"id":"e10"', '{"id":"e11",', '{"id":"e12"} ', '{"id":"e13","skip":[1,', '{', '',
    ];
    for (const d of documents) for (const before of SURROUNDINGS) for (const after of SURROUNDINGS) sameInPlace(writer, Buffer.from(d), before, after);
    const framed = Buffer.concat([Buffer.from([0, 0, 0, 0, 9]), Buffer.from('{"id":"c1","n":3}')]);
    for (const before of ['', '\u0000', 'x']) for (const after of SURROUNDINGS) sameInPlace(confluent, framed, before, after);
    sameInPlace(confluent, Buffer.from([0, 0]), '', '\u0000\u0000\u0000{"id":"c1"}');
  });

  it('agrees on random documents and random surroundings (fast-check, seeded)', () => {
    // Objects of the columns and other fields, cut short at a random byte half of the time.
    const key = fc.constantFrom('id', 'n', 'name', 'ok', 'x');
    const value = fc.constantFrom('"e1"', '""', '"é☃"', '"\\u0041"', '12', '-0.5e3', '1.', '007', 'true', 'false', 'null', 'nul', '[1,{"a":[]}]', '{}', '{"b":"c"}');
    const document = fc
      .tuple(fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 5 }), fc.constantFrom('', ' ', '\n'), fc.option(fc.nat(), { nil: undefined }))
      .map(([entries, ws, cut]) => {
        const text = Buffer.from(`{${entries.map(([k, v]) => `${ws}"${k}"${ws}:${ws}${v}`).join(',')}${ws}}`);
        return cut === undefined ? text : text.subarray(0, cut % (text.length + 1));
      });
    let wrote = 0;
    fc.assert(
      fc.property(document, fc.constantFrom(...SURROUNDINGS), fc.constantFrom(...SURROUNDINGS), (d, before, after) => {
        sameInPlace(writer, d, before, after);
        if (written(writer, d) !== null) wrote++;
      }),
      { numRuns: 3000, seed: 18 },
    );
    expect(wrote).toBeGreaterThan(10);
  });
});
