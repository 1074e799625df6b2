// The docs site's data as `tsdbt docs generate` wrote it into a target folder, whole: the entries
// of tsdbt-docs-data.js with the pages of tsdbt-docs-pages.js (src/docs/site-encoding.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { carriedText, DATA_CARRIER, decodeSite, PAGES_CARRIER } from '../../src/docs/site-encoding.js';
import type { SiteData } from '../../src/docs/site-types.js';

export function readDocsSite(targetDir: string): SiteData {
  const read = (file: string) => carriedText(readFileSync(path.join(targetDir, file), 'utf8'));
  return decodeSite(read(DATA_CARRIER.file), read(PAGES_CARRIER.file));
}
