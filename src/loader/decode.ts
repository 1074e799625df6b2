// Turns a Kafka message's JSON value into a row of column texts (for COPY), or says why it cannot:
// larger than max_message_bytes, not JSON, not an object, nested deeper than MAX_JSON_DEPTH, a JSON
// Schema violation, or a key column missing. Nested objects land as JSON text (a jsonb or String
// column keeps them whole). Never throws: whatever the bytes, a row or a reason.
import type { KafkaSourceSpec } from './kafka-source.js';

export type Decoded = { ok: true; values: (string | null)[] } | { ok: false; reason: string };

/** Where each column's value is read: a top-level field, or the parts of a dotted path. */
interface DecodePlan {
  paths: (string | string[])[];
  /** The key column's position, -1 without a key. */
  keyIndex: number;
}

const plans = new WeakMap<KafkaSourceSpec, DecodePlan>();

/** The spec's paths split once, not once per message. */
function planOf(spec: KafkaSourceSpec): DecodePlan {
  let plan = plans.get(spec);
  if (!plan) {
    const paths = spec.columns.map((c) => {
      const parts = (spec.fields[c.name] ?? c.name).split('.');
      return parts.length === 1 ? (parts[0] as string) : parts;
    });
    plan = { paths, keyIndex: spec.key ? spec.columns.findIndex((c) => c.name === spec.key) : -1 };
    plans.set(spec, plan);
  }
  return plan;
}

function pathValue(object: Record<string, unknown>, path: string | string[]): unknown {
  if (typeof path === 'string') return object[path];
  let current: unknown = object;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/**
 * Documents nested deeper than this are dead letters: JSON.parse reads any depth, but writing a
 * nested value back as text (and validating it) recurses, and a few thousand levels overflow the
 * stack, which would stop the loader on the same message on every restart.
 */
export const MAX_JSON_DEPTH = 1000;

/** How deep `value` nests (a scalar is 0), counted without recursion; stops past `limit`. */
function depthOf(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > deepest) deepest = depth + 1;
    if (deepest > limit) return deepest;
    for (const child of Object.values(current)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return deepest;
}

export function decodeMessage(spec: KafkaSourceSpec, value: Buffer | null): Decoded {
  try {
    return decode(spec, value);
  } catch (err) {
    // Not expected (every known case is a reason above); a message must never stop the loader.
    return { ok: false, reason: `cannot decode the message: ${(err as Error).message}` };
  }
}

function decode(spec: KafkaSourceSpec, value: Buffer | null): Decoded {
  if (value === null) return { ok: false, reason: 'empty message (tombstone)' };
  if (value.length > spec.maxMessageBytes) return { ok: false, reason: `message of ${value.length} bytes is larger than max_message_bytes (${spec.maxMessageBytes})` };
  let body = value;
  if (spec.format === 'confluent-json') {
    // Confluent's wire format: magic byte 0, a 4-byte schema id, then the JSON document.
    if (value.length < 5 || value[0] !== 0) return { ok: false, reason: 'not in Confluent wire format (expected a zero magic byte and a 4-byte schema id before the JSON)' };
    body = value.subarray(5);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: `not JSON: ${(err as Error).message}` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { ok: false, reason: 'not a JSON object' };
  // Each level of nesting takes an opening and a closing bracket: a shorter document cannot be too deep.
  if (body.length >= 2 * (MAX_JSON_DEPTH + 1) && depthOf(parsed, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) return { ok: false, reason: `JSON nested more than ${MAX_JSON_DEPTH} levels deep` };
  const violations = spec.validate?.(parsed);
  if (violations) return { ok: false, reason: `violates json_schema: ${violations}` };
  const { paths, keyIndex } = planOf(spec);
  const values: (string | null)[] = [];
  for (const path of paths) values.push(asText(pathValue(parsed as Record<string, unknown>, path)));
  if (keyIndex >= 0) {
    const keyValue = values[keyIndex];
    if (keyValue === null || keyValue === undefined || keyValue === '') return { ok: false, reason: `no value for the key '${spec.key}'` };
  }
  return { ok: true, values };
}
