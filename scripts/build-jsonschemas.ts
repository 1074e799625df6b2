// `npm run build` (after tsc): compiles dbt's JSON schemas (src/config/jsonschemas/) into
// dist/jsonschemas/validators.cjs, which the built CLI loads instead of compiling them at each
// parse (src/config/jsonschema-validators.ts).
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cachedValidatorsFile, VALIDATORS_FILE } from '../src/config/jsonschema-validators.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Compiled once per version of the schemas and of ajv (node_modules/.cache/tsdbt/), then copied.
const compiled = cachedValidatorsFile();
mkdirSync(path.join(root, 'dist', 'jsonschemas'), { recursive: true });
copyFileSync(compiled, path.join(root, 'dist', 'jsonschemas', VALIDATORS_FILE));
console.log(`dist/jsonschemas/${VALIDATORS_FILE}: ${(statSync(compiled).size / 1e6).toFixed(2)} MB`);
