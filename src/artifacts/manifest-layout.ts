// target/manifest.layout.json: where each part of the manifest.json `tsdbt parse` wrote lies, so
// the next parse after a partial parse rewrites only what changed (manifest-writer.ts). Written
// only by parse; any other writer of manifest.json changes its stamp, and the layout is ignored.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ManifestLayout } from './manifest-writer.js';

const FILE = 'manifest.layout.json';

export function readManifestLayout(targetDir: string): ManifestLayout | null {
  try {
    return JSON.parse(readFileSync(path.join(targetDir, FILE), 'utf8')) as ManifestLayout;
  } catch {
    return null; // none, or damaged: manifest.json is written whole
  }
}

export function writeManifestLayout(targetDir: string, layout: ManifestLayout): void {
  const file = path.join(targetDir, FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(layout));
  renameSync(tmp, file);
}
