// Property-based fuzzing (fast-check) of the loader's decode path: whatever bytes a Kafka message
// holds (arbitrary bytes, invalid UTF-8, JSON of every shape, deep or large documents, the
// Confluent wire format or not), decoding never throws: it gives one text or null per column, or a
// non-empty reason for the dead-letter table. Seeded, so a failure reproduces.
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeMessage, MAX_JSON_DEPTH, type Decoded } from './decode.js';
import { decodingSourceSpec } from '../../test/support/kafka-source-spec.js';
import type { KafkaSourceSpec } from './kafka-source.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-decode-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(path.join(dir, 'event.json'), JSON.stringify({ type: 'object', properties: { n: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } }, deep: { $ref: '#' } } }));

const specOf = (kafka: Record<string, unknown>) => decodingSourceSpec({ fields: { city: 'address.city' }, ...kafka }, { id: 'text', n: 'integer', city: 'text', deep: 'jsonb' }, dir);

const specs = [specOf({}), specOf({ json_schema: 'event.json' }), specOf({ format: 'confluent-json', max_message_bytes: 4096 })];

/** Decoding gave a row of column texts, or a reason. */
function wellFormed(decoded: Decoded, spec: KafkaSourceSpec): void {
  if (decoded.ok) {
    expect(decoded.values).toHaveLength(spec.columns.length);
    for (const v of decoded.values) expect(v === null || typeof v === 'string').toBe(true);
    expect(decoded.values[0]).toBeTruthy(); // the key
  } else {
    expect(typeof decoded.reason).toBe('string');
    expect(decoded.reason.length).toBeGreaterThan(0);
  }
}

const SEED = Number(process.env.FUZZ_SEED ?? 15); // FUZZ_SEED explores further, as in test/fuzz/
const runs = { numRuns: Number(process.env.FUZZ_RUNS ?? 400), seed: SEED };
const counted = { inputs: 0 };
const check = (value: Buffer | null) => {
  for (const spec of specs) {
    counted.inputs++;
    wellFormed(decodeMessage(spec, value), spec);
  }
};
const confluent = (body: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, 0, 7]), body]);

/** A JSON document nested `depth` levels: objects or arrays, with the key at the top. */
const deep = (depth: number, kind: 'object' | 'array') =>
  `{"id":"k","deep":${kind === 'object' ? '{"deep":'.repeat(depth) + '1' + '}'.repeat(depth) : '['.repeat(depth) + ']'.repeat(depth)}}`;

describe('decoding fuzzed Kafka messages never throws', () => {
  it('arbitrary bytes, as they are and behind a Confluent header', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        check(Buffer.from(bytes));
        check(confluent(Buffer.from(bytes)));
      }),
      runs,
    );
  });

  it('invalid UTF-8 inside JSON strings and keys', () => {
    const invalid = fc.constantFrom([0xff], [0xc3, 0x28], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x00]);
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), invalid, fc.boolean(), (text, bad, inKey) => {
        const head = Buffer.from(inKey ? '{"' : `{"id":"${text.replace(/["\\]/g, '')}`);
        const tail = Buffer.from(inKey ? '":1,"id":"x"}' : '","n":1}');
        const doc = Buffer.concat([head, Buffer.from(bad), tail]);
        check(doc);
        check(confluent(doc));
      }),
      runs,
    );
  });

  it('JSON of every shape, with and without the key and the mapped fields', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.option(fc.jsonValue({ maxDepth: 3 })), fc.option(fc.jsonValue({ maxDepth: 3 })), (value, id, city) => {
        check(Buffer.from(JSON.stringify(value)));
        const doc = { ...(value !== null && typeof value === 'object' && !Array.isArray(value) ? value : { value }), ...(id === null ? {} : { id }), address: { city } };
        check(Buffer.from(JSON.stringify(doc)));
        check(confluent(Buffer.from(JSON.stringify(doc))));
      }),
      runs,
    );
  });

  it('deep and large documents', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200_000 }), fc.constantFrom('object' as const, 'array' as const), (depth, kind) => {
        check(Buffer.from(deep(depth, kind)));
      }),
      { numRuns: 40, seed: SEED },
    );
    // The ones that matter, every time: deeper than any call stack, and large.
    for (const depth of [10_000, 100_000, 400_000]) for (const kind of ['object', 'array'] as const) check(Buffer.from(deep(depth, kind)));
    expect(decodeMessage(specs[0] as KafkaSourceSpec, Buffer.from(deep(MAX_JSON_DEPTH + 1, 'array')))).toEqual({ ok: false, reason: `JSON nested more than ${MAX_JSON_DEPTH} levels deep` });
    expect(decodeMessage(specs[0] as KafkaSourceSpec, Buffer.from(deep(MAX_JSON_DEPTH - 2, 'object')))).toMatchObject({ ok: true });
    check(Buffer.from(JSON.stringify({ id: 'k', deep: 'x'.repeat(900_000) })));
    check(Buffer.from(JSON.stringify({ id: 'k', deep: Array.from({ length: 50_000 }, (_v, i) => ({ i })) })));
  });

  it(`reports how many inputs it decoded`, () => {
    expect(counted.inputs).toBeGreaterThan(5_000);
    console.log(`decode fuzz: ${counted.inputs} inputs decoded`);
  });
});
