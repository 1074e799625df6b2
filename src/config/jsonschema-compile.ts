// dbt's JSON schemas (jsonschemas/: dbt-core's own files) compiled by ajv into one CommonJS module
// of validation functions (ajv's "standalone" code). Compiling them takes ~2 s of CPU and loading
// the compiled module ~30 ms, so `npm run build` compiles them once (scripts/build-jsonschemas.ts
// writes dist/jsonschemas/validators.cjs) and jsonschema-validators.ts loads that.
//
// As dbt's Draft7Validator: draft-07, every error (not the first), no `format` checks (dbt gives
// jsonschema no format checker). The module also exports the schemas themselves (`schemas`), which
// dbt's rules read to tell a config key from a property (jsonschema-deprecations.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
// Types only: ajv itself is required when the schemas are compiled (the CLI loads them compiled).
import type * as AjvModule from 'ajv';

/** The schema files, beside this module in src/config/jsonschemas/. */
export const SCHEMA_FILES = { project: 'dbt-project.schema.json', resources: 'dbt-resources.schema.json' } as const;

export function readSchemas(): { project: Record<string, unknown>; resources: Record<string, unknown> } {
  const read = (file: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`./jsonschemas/${file}`, import.meta.url)), 'utf8')) as Record<string, unknown>;
  return { project: read(SCHEMA_FILES.project), resources: read(SCHEMA_FILES.resources) };
}

/**
 * The module's source: `project` (dbt_project.yml), `resources` (a property file) and
 * `modelConfig` (a model's config() arguments, dbt's validate_model_config: the resources schema's
 * ModelConfig definition), then `schemas`.
 */
export function compileValidatorsCode(): string {
  const require = createRequire(import.meta.url);
  const { Ajv } = require('ajv') as typeof AjvModule;
  const standalone = (require('ajv/dist/standalone/index.js') as { default: (ajv: AjvModule.Ajv, refs: Record<string, string>) => string }).default;
  const schemas = readSchemas();
  const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, validateFormats: false, messages: false, inlineRefs: false, code: { source: true, esm: false } });
  ajv.addSchema({ ...schemas.project, $id: 'dbt-project' });
  ajv.addSchema({ ...schemas.resources, $id: 'dbt-resources' });
  ajv.addSchema({ $id: 'dbt-model-config', $ref: 'dbt-resources#/definitions/ModelConfig' });
  const code = standalone(ajv, { project: 'dbt-project', resources: 'dbt-resources', modelConfig: 'dbt-model-config' });
  return `${code}\nmodule.exports.schemas = ${JSON.stringify(schemas)};\n`;
}
