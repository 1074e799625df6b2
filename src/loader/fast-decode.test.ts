// fast-decode.ts writes a message's row straight into the load's tab-separated chunks, without
// JSON.parse. It must write exactly the row decode.ts gives (as copy-text.ts escapes it), or
// decline: for hand-picked edge cases of JSON and random documents (fast-check, seeded), the bytes
// it writes equal decodeMessage's values, and whatever decodeMessage refuses it declines.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TsvChunks, tsvField } from './copy-text.js';
import { decodeMessage } from './decode.js';
import { fastRowWriter } from './fast-decode.js';
import { decodingSourceSpec } from '../../test/support/kafka-source-spec.js';
import type { KafkaSourceSpec } from './kafka-source.js';

const specOf = (kafka: Record<string, unknown>, columns: Record<string, string> = { id: 'text', n: 'integer', name: 'text', ok: 'boolean', extra: 'jsonb' }) => decodingSourceSpec(kafka, columns);

const plain = specOf({});
const confluent = specOf({ format: 'confluent-json' });

/** What the fast writer wrote for `value` (the row's text without its newline), or null when it declined. */
function fast(spec: KafkaSourceSpec, value: Buffer): string | null {
  const writer = fastRowWriter(spec);
  if (!writer) throw new Error('no fast writer');
  const out = new TsvChunks(64);
  if (!writer(value, out, 0)) {
    expect(out.at).toBe(0); // nothing written when declined
    return null;
  }
  return Buffer.concat([...out.take(), out.rest() ?? Buffer.alloc(0)]).toString('utf8');
}

/** decode.ts's row as the chunks hold it, or null for a dead letter. */
function slow(spec: KafkaSourceSpec, value: Buffer): string | null {
  const decoded = decodeMessage(spec, value);
  return decoded.ok ? decoded.values.map(tsvField).join('\t') : null;
}

/** The fast writer wrote decode.ts's row, or declined; true when it wrote. */
function agrees(spec: KafkaSourceSpec, value: Buffer): boolean {
  const written = fast(spec, value);
  if (written !== null) expect(written, value.toString('utf8')).toBe(slow(spec, value));
  return written !== null;
}

describe('fast-decode: the row decode.ts gives, without JSON.parse', () => {
  it('writes plain documents: strings, numbers, booleans, null, missing fields, other fields skipped, duplicate keys (the last wins)', () => {
    const cases: [string, string][] = [
      ['{"id":"e1","n":42,"name":"Zoë ☃","ok":true}', 'e1\t42\tZoë ☃\ttrue\t\\N'],
      [' {\n "n" : -7 , "id" : "e2" , "ok":false, "name":null }\r\n', 'e2\t-7\t\\N\tfalse\t\\N'],
      ['{"id":"e3","n":1.50,"skip":{"a":[1,{"b":"\\u00e9\\n"}],"c":null},"name":""}', 'e3\t1.5\t\t\\N\t\\N'],
      ['{"id":"e4","n":1e3,"other":[true,false,null,-0.5e-3,"x\\"y"]}', 'e4\t1000\t\\N\t\\N\t\\N'],
      ['{"id":"e5","n":-0}', 'e5\t0\t\\N\t\\N\t\\N'],
      ['{"id":"e6","n":12345678901234567890}', 'e6\t12345678901234567000\t\\N\t\\N\t\\N'],
      ['{"id":"x","id":"e7","n":1,"n":2}', 'e7\t2\t\\N\t\\N\t\\N'],
      ['{"id":7}', '7\t\\N\t\\N\t\\N\t\\N'],
    ];
    for (const [json, row] of cases) {
      expect(fast(plain, Buffer.from(json)), json).toBe(row);
      expect(slow(plain, Buffer.from(json)), json).toBe(row);
    }
    const framed = Buffer.concat([Buffer.from([0, 0, 0, 0, 9]), Buffer.from('{"id":"c1","n":3}')]);
    expect(fast(confluent, framed)).toBe('c1\t3\t\\N\t\\N\t\\N');
  });

  it('declines what decode.ts must decide: invalid JSON, escapes or nesting in a column, a missing key, invalid UTF-8, deep nesting', () => {
    const declined = [
      '{"id":"e1",}', '{"id":"e1"} x', '[1]', '"s"', '{"id":"e1","n":01}', '{"id":"e1","n":1.}', '{"id":"e1","n":+1}', '{"id":"e1","skip":"\\x"}',
      '{"id":"e1","skip":"tab\there"}', '{"id":"e\\u0031"}', '{"id":"e1","name":"a\\nb"}', '{"id":"e1","extra":{"a":1}}', '{"id":"e1","extra":[]}',
      '{"n":1}', '{"id":null}', '{"id":""}', '{"i\\u0064":"e1"}', `{"id":"e1","skip":${'['.repeat(100)}${']'.repeat(100)}}`, '\uFEFF{"id":"e1"}', '{"id":"e1"', '',
    ];
    for (const json of declined) expect(fast(plain, Buffer.from(json)), json).toBeNull();
    expect(fast(plain, Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))).toBeNull(); // {"id":"\xff"}
    expect(fast(confluent, Buffer.from('{"id":"c1"}'))).toBeNull(); // no magic byte
    // A JSON Schema or a dotted field needs the parsed document: no fast writer at all.
    expect(fastRowWriter(specOf({ fields: { name: 'user.name' } }))).toBeNull();
  });

  it('one writer over messages whose fields come in changing orders writes each as decode.ts does (it tries the column after the last it found first)', () => {
    const writer = fastRowWriter(plain);
    if (!writer) throw new Error('no fast writer');
    const messages = [
      '{"id":"a","n":1,"name":"x","ok":true}',
      '{"id":"b","n":2,"name":"y","ok":false}',
      '{"ok":true,"name":"z","n":3,"id":"c"}',
      '{"n":4,"id":"d","other":1,"name":"w"}',
      '{"id":"e","name":"v","n":5}',
      '{"id":"f","n":6,"name":"u","ok":null,"extra":7}',
      '{"extra":8,"id":"g"}',
      '{"id":"h","n":9,"name":"t","ok":true}',
    ];
    const out = new TsvChunks(64);
    for (const json of messages) {
      expect(writer(Buffer.from(json), out, 1), json).toBe(true);
      out.endRow();
    }
    const written = Buffer.concat([...out.take(), out.rest() ?? Buffer.alloc(0)]).toString('utf8');
    expect(written).toBe(messages.map((json) => `${slow(plain, Buffer.from(json)) ?? 'dead'}\n`).join(''));
    expect(written.split('\n')[2]).toBe('c\t3\tz\ttrue\t\\N');
  });

  it('reads a column named with non-ASCII bytes or a character JSON escapes, and keys that only begin like a column\'s name', () => {
    const spec = specOf({}, { id: 'text', zoë: 'text', 'a"b': 'text', n: 'integer' });
    const cases: [string, string | null][] = [
      ['{"id":"1","zoë":"x","a\\"b":"y","n":2}', null], // a key JSON escapes: decode.ts reads it
      ['{"id":"2","zoë":"x","n":3}', '2\tx\t\\N\t3'],
      ['{"id":"3","zoëx":"q","zo":"r","n":4}', '3\t\\N\t\\N\t4'],
      ['{"idx":"no","id":"4","nn":5}', '4\t\\N\t\\N\t\\N'],
      ['{"n":6,"id":"5","zoë":"é"}', '5\té\t\\N\t6'],
      ['{"id":"6","zoë', null],
    ];
    for (const [json, row] of cases) {
      const written = fast(spec, Buffer.from(json));
      if (row !== null) expect(written, json).toBe(row);
      expect(written ?? slow(spec, Buffer.from(json)), json).toBe(slow(spec, Buffer.from(json)));
    }
    // The name's bytes are valid UTF-8, the document's other bytes are still checked.
    expect(fast(spec, Buffer.concat([Buffer.from('{"id":"7","zoë":"'), Buffer.from([0xc3]), Buffer.from('"}')]))).toBeNull();
  });

  it('agrees with decode.ts on random documents (fast-check, seeded)', () => {
    // JSON texts: strings of any code points (escapes included), numbers of every notation, literals, nesting.
    const key = fc.constantFrom('id', 'n', 'name', 'ok', 'extra', 'other', 'i"d', 'é');
    const number = fc.oneof(fc.integer().map(String), fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)), fc.bigInt().map(String), fc.constantFrom('-0', '1E5', '0.10', '1e-7', '-12.5e+2', '9007199254740993'));
    const scalar = fc.oneof(fc.string({ unit: 'binary' }).map((t) => JSON.stringify(t)), fc.string().map((t) => JSON.stringify(t)), number, fc.constantFrom('true', 'false', 'null'));
    const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }).map((a) => `[${a.join(',')}]`), fc.dictionary(fc.string(), scalar, { maxKeys: 3 }).map((o) => `{${Object.entries(o).map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`));
    const id = fc.stringMatching(/^[a-z0-9]{1,8}$/).map((t): [string, string] => ['id', JSON.stringify(t)]);
    const doc = fc.tuple(id, fc.array(fc.tuple(key, value), { maxLength: 6 })).map(([first, rest]) => [first, ...rest]);
    const space = fc.constantFrom('', ' ', '\n', '\t ', '\r\n');
    let wrote = 0;
    fc.assert(
      fc.property(doc, space, (entries, ws) => {
        const body = `{${entries.map(([k, v]) => `${ws}${JSON.stringify(k)}${ws}:${ws}${v}`).join(',')}${ws}}`;
        if (agrees(plain, Buffer.from(body))) wrote++;
      }),
      { numRuns: 1000, seed: 18 },
    );
    // Byte soup near JSON: whatever decode.ts refuses, the fast writer declines.
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        agrees(plain, Buffer.concat([Buffer.from('{"id":"k","skip":"'), Buffer.from(bytes), Buffer.from('"}')]));
      }),
      { numRuns: 1000, seed: 18 },
    );
    expect(wrote).toBeGreaterThan(200);
  });
});
