// `npm run readme:error-codes`: rewrites README.md's error-code tables from the catalogue
// (src/errors/codes.ts). `--check` writes nothing and exits 1 when README.md is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withErrorCodeTables } from './error-codes-section.js';

const README = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'README.md');
const current = readFileSync(README, 'utf8');
const next = withErrorCodeTables(current);
if (process.argv.includes('--check')) {
  if (next !== current) {
    process.stderr.write('README.md: the error-code tables differ from src/errors/codes.ts; run `npm run readme:error-codes`\n');
    process.exitCode = 1;
  }
} else if (next !== current) {
  writeFileSync(README, next);
  process.stdout.write('README.md: error-code tables updated\n');
} else {
  process.stdout.write('README.md: error-code tables already up to date\n');
}
