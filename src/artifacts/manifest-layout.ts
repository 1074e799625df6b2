// target/manifest.layout.json: where each part of the manifest.json last written lies, so the
// next writer rewrites only what changed (manifest-writer.ts): a parse after a partial parse, and
// every command's manifest.json. A manifest.json written by anything else (another tool, a docs
// generation with column lineage) changes its stamp, and the layout is ignored.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Where each part of a written manifest.json lies (byte ranges of the top-level values and of each
 * node's value), so the next parse can rewrite only what changed: after an edit of one model of
 * 10,000, the metadata, that node and the parent and child maps, instead of 58 MB of JSON.
 */
export interface ManifestLayout {
  /** manifest.json's size and mtime as written: any other writer makes the layout stale. */
  stamp: [number, number];
  /** The parse (partial_parse.bin generation) whose nodes the file holds. */
  basis: string;
  /** A digest of the node ids in order. */
  ids: string;
  parts: Record<string, [number, number]>;
  /** [start, end] of each node's value, flat, in manifest order (unit tests excluded). */
  nodes: number[];
  /**
   * The nodes written with what a command's compilation added (`compiled_code`): written afresh
   * by a later write that copies the others, whose command may not have compiled them.
   */
  compiled?: string[];
  /** A digest of each `compiled` node's compiled_code, in the same order: a node compiled to the same text again is copied. */
  compiledHashes?: string[];
}

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
