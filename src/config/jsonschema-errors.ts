// ajv's errors in the shape of Python jsonschema's, which dbt's rules read (jsonschemas.py): ajv
// lists every error flat, an anyOf / oneOf that failed after the errors of its branches, where
// jsonschema gives one error whose `context` holds them; ajv gives one additionalProperties error
// per extra key, jsonschema one per mapping naming them all. Paths are key / index lists, as
// jsonschema's `error.path`.
import { pyRepr } from '../jinja/engine/py-repr.js';
import type { AjvError } from './jsonschema-validators.js';

export type SchemaPath = (string | number)[];

export interface SchemaError {
  /** The keyword that failed (jsonschema's `validator`): additionalProperties, type, anyOf, enum... */
  validator: string;
  /** Where in the document, from its root. */
  path: SchemaPath;
  params: Record<string, unknown>;
  /** additionalProperties: the extra keys, in the document's order. */
  keys: string[];
  /** anyOf / oneOf: its branches' errors. */
  context: SchemaError[];
  /** The value at `path`. */
  value: unknown;
}

/** jsonschema's tree of `errors` for `root`. */
export function errorTree(errors: readonly AjvError[], root: unknown): SchemaError[] {
  const pending: SchemaError[] = [];
  for (const e of errors) {
    const { path, value } = resolve(e.instancePath, root);
    if (e.keyword === 'additionalProperties') {
      const key = String(e.params.additionalProperty);
      const last = pending[pending.length - 1];
      // One error per mapping, as jsonschema's: ajv's for the same mapping come one after another.
      if (last?.validator === 'additionalProperties' && last.keys.length > 0 && samePath(last.path, path)) last.keys.push(key);
      else pending.push({ validator: e.keyword, path, params: e.params, keys: [key], context: [], value });
      continue;
    }
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      // Its branches' errors are the ones just before it at or below its path.
      let start = pending.length;
      while (start > 0 && isWithin(pending[start - 1]!.path, path)) start--;
      const context = pending.splice(start);
      pending.push({ validator: e.keyword, path, params: e.params, keys: [], context, value });
      continue;
    }
    if (e.keyword === 'if') continue; // jsonschema reports the failed `then` alone
    pending.push({ validator: e.keyword, path, params: e.params, keys: [], context: [], value });
  }
  return pending;
}

function samePath(a: SchemaPath, b: SchemaPath): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

function isWithin(inner: SchemaPath, outer: SchemaPath): boolean {
  return inner.length >= outer.length && outer.every((p, i) => p === inner[i]);
}

/** A JSON pointer as a path (indexes as numbers where the document has a list), and the value there. */
function resolve(pointer: string, root: unknown): { path: SchemaPath; value: unknown } {
  const path: SchemaPath = [];
  let value = root;
  if (pointer === '') return { path, value };
  for (const raw of pointer.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) {
      path.push(Number(part));
      value = value[Number(part)];
    } else {
      path.push(part);
      value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
    }
  }
  return { path, value };
}

/** jsonschema's error_path_to_string as dbt writes it: `models[0].config`. */
export function keyPath(path: SchemaPath): string {
  return path.map((p, i) => (typeof p === 'number' ? (i === 0 ? String(p) : `[${p}]`) : i === 0 ? p : `.${p}`)).join('');
}

const TYPE_NAMES: Record<string, string> = { string: 'string', object: 'object', array: 'array', boolean: 'boolean', null: 'null', integer: 'integer', number: 'number' };

/** jsonschema's message for an error (dbt's GenericJSONSchemaValidationDeprecation quotes it). */
export function pythonMessage(error: SchemaError): string {
  const v = pyRepr(error.value ?? null);
  const p = error.params;
  switch (error.validator) {
    case 'required':
      return `${pyRepr(p.missingProperty)} is a required property`;
    case 'enum':
      return `${v} is not one of ${pyRepr(p.allowedValues)}`;
    case 'const':
      return `${pyRepr(p.allowedValue)} was expected`;
    case 'type': {
      const types = Array.isArray(p.type) ? p.type : String(p.type).split(',');
      return `${v} is not of type ${types.map((t) => `'${TYPE_NAMES[String(t)] ?? String(t)}'`).join(', ')}`;
    }
    case 'anyOf':
    case 'oneOf':
      return `${v} is not valid under any of the given schemas`;
    case 'pattern':
      return `${v} does not match ${pyRepr(p.pattern)}`;
    case 'minItems':
      return `${v} should be non-empty`;
    case 'minimum':
      return `${v} is less than the minimum of ${String(p.limit)}`;
    case 'maximum':
      return `${v} is greater than the maximum of ${String(p.limit)}`;
    case 'uniqueItems':
      return `${v} has non-unique elements`;
    default:
      return `${v} is not valid under the schema's ${error.validator}`;
  }
}
