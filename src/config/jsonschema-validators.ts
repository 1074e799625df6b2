// dbt's JSON schemas as validation functions, loaded once per process: the module `npm run build`
// compiled (dist/jsonschemas/validators.cjs, found from dist/config/ and from the bundled CLI in
// dist/bundle/; the tests' bundled CLI has its copy beside it); run from the sources, the same
// module compiled on first use and kept in
// node_modules/.cache/tsdbt/ under a hash of the schemas and ajv's version, so the next process
// (the next test file) loads it instead of compiling again (jsonschema-compile.ts). Either is loaded
// with V8's code cache (code-cached-require.ts).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeCachedRequire } from './code-cached-require.js';
import { compileValidatorsCode } from './jsonschema-compile.js';

/** One of ajv's errors (ajv's ErrorObject, as the compiled code fills it with `messages: false`). */
export interface AjvError {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
}

export interface SchemaValidator {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}

export interface DbtSchemas {
  project: SchemaValidator;
  resources: SchemaValidator;
  modelConfig: SchemaValidator;
  schemas: { project: JsonSchema; resources: JsonSchema };
}

/** A JSON schema as the rules read it (properties, definitions, anyOf, $ref, items). */
export interface JsonSchema {
  properties?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  $ref?: string;
  [key: string]: unknown;
}

/** The compiled module's name in dist/jsonschemas/. */
export const VALIDATORS_FILE = 'validators.cjs';

let loaded: DbtSchemas | null = null;

export function dbtSchemas(): DbtSchemas {
  loaded ??= load();
  return loaded;
}

function load(): DbtSchemas {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const require = createRequire(import.meta.url);
  // Beside the bundled CLI (the tests' dist/test-cli-*/), else dist/jsonschemas/ (from dist/config/ or dist/bundle/).
  const prebuilt = [path.join(here, VALIDATORS_FILE), path.join(here, '..', 'jsonschemas', VALIDATORS_FILE)].find((file) => existsSync(file));
  if (prebuilt) return codeCachedRequire(prebuilt) as DbtSchemas;
  try {
    return codeCachedRequire(cachedValidatorsFile()) as DbtSchemas;
  } catch {
    // node_modules/.cache cannot be written: compiled for this process alone.
    const module = { exports: {} as DbtSchemas };
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- ajv's own compiled code, from dbt's schemas
    const define = new Function('module', 'exports', 'require', compileValidatorsCode()) as (m: typeof module, e: DbtSchemas, r: NodeJS.Require) => void;
    define(module, module.exports, require);
    return module.exports;
  }
}

/** The compiled module in node_modules/.cache/tsdbt/ (run from the sources), compiled now when absent. */
export function cachedValidatorsFile(): string {
  const require = createRequire(import.meta.url);
  const ajvPackage = require.resolve('ajv/package.json');
  const schemaDir = fileURLToPath(new URL('./jsonschemas/', import.meta.url));
  const hash = createHash('sha256')
    .update(readFileSync(ajvPackage))
    .update(readFileSync(path.join(schemaDir, 'dbt-project.schema.json')))
    .update(readFileSync(path.join(schemaDir, 'dbt-resources.schema.json')))
    .digest('hex')
    .slice(0, 16);
  const cacheDir = path.join(ajvPackage, '..', '..', '.cache', 'tsdbt');
  const file = path.join(cacheDir, `jsonschema-validators-${hash}.cjs`);
  if (existsSync(file)) return file;
  mkdirSync(cacheDir, { recursive: true });
  // Written whole under another name first: a process running beside this one never reads half a file.
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, compileValidatorsCode());
  renameSync(partial, file);
  return file;
}
