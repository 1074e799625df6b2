// A node's `_patch` (the property-file entry it was patched from: what a partial re-parse of its
// file applies again, and where errors about the entry point): a tenth of a node's objects, read
// by no render. partial_parse.bin keeps a chunk's entries apart (parse-cache.ts), and a node read
// from it holds a DeferredPatch in their place until something asks for the entry: every reader
// goes through nodePatch.
import type { ManifestNode } from './types.js';

/** Where the entries of a chunk of cached nodes are read from, all at once when first asked for. */
export interface PatchSource {
  at(index: number): unknown;
}

/** A cached node's `_patch` not read yet: entry `index` of `source`. */
export class DeferredPatch {
  constructor(
    readonly source: PatchSource,
    readonly index: number,
  ) {}
}

/** The node's `_patch` (read from the cache, and kept on the node, if it was not yet). */
export function nodePatch<T = unknown>(node: ManifestNode | object): T | undefined {
  const holder = node as { _patch?: unknown };
  const value = holder._patch;
  if (!(value instanceof DeferredPatch)) return value as T | undefined;
  const entry = value.source.at(value.index);
  holder._patch = entry;
  return entry as T | undefined;
}
