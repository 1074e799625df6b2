// `tsdbt parse` after SQL files were edited only outside their Jinja tags: the most common edit
// while developing a model. The parse of such a file records the same refs, sources and configs
// (tag-skeleton.ts), so its node differs only in `raw_code` and `checksum`: both are patched into
// partial_parse.bin (one chunk re-serialized) and manifest.json (that node's bytes and the
// metadata replaced, the rest copied), the layout and the index are brought up to date, and the
// project is not loaded at all. Anything unexpected (a stale file, an id or text that does not
// match) gives up before writing, and the ordinary parse runs. Imports nothing heavy.
import { hash as digest, randomUUID } from 'node:crypto';
import { readFileSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { serialize } from 'node:v8';
import { artifactMetadata, dbtAwareDatetime } from '../artifacts/metadata.js';
import type { ManifestLayout } from '../artifacts/manifest-layout.js';
import { readManifestLayout, writeManifestLayout } from '../artifacts/manifest-layout.js';
import { jinjaSkeleton } from '../jinja/tag-skeleton.js';
import { dbtRawCode, pythonStrip } from '../manifest/raw-code.js';
import { type CacheEntry, deserializeNodes, fileDigest, FIRST_NODE_CHUNK, recordedDigest, serializeNodes, withDigest } from './parse-cache.js';
import { CacheChunks } from './parse-cache-file.js';
import { RangeReader, spliceInPlace, writeSpliced, type Piece } from './file-splice.js';
import { type Miss, patchedSqlFiles, saveParseIndex, SMUDGED, type Stamp, stampedPosition, type ParseIndex, type SqlFileEntry, type SqlFiles, writeSqlFiles } from './parse-index.js';

/** A node of partial_parse.bin, as far as this patch reads it. */
export interface CachedNode {
  unique_id: string;
  resource_type: string;
  raw_code: string;
  checksum: { name: string; checksum: string };
}

type CacheHeader = CacheEntry;

/** What one edited file changes: its node's text, and the cache's digest of the file. */
export interface Edit {
  file: string;
  entry: SqlFileEntry;
  text: string;
  /**
   * For a file edited inside its Jinja tags, parsed again (parse-jinja-edit.ts): its node as
   * partial_parse.bin holds it, its manifest.json text and its Jinja tags' digest. Without it,
   * only the node's raw_code and checksum change.
   */
  reparsed?: { node: CachedNode; json: string; skeleton: string };
}

const sha256 = (text: string) => digest('sha256', text);

/**
 * Patches the parse artifacts for `changed` files (absolute paths of `sqlFiles`) when every
 * one was edited outside its Jinja tags; returns how many were patched, or null when the
 * ordinary parse must run (nothing written then).
 */
export interface TextEditOutcome {
  /** Files whose text changed, patched into the artifacts. */
  patched: number;
  /** Files whose stamps changed but whose contents did not: only the index was updated. */
  touched: number;
}

export function patchTextEdits(targetDir: string, index: ParseIndex, sqlFiles: SqlFiles, changed: string[], stamps: Record<string, Stamp>, metadata: PatchInputs['metadata'], miss: Miss = () => null): TextEditOutcome | null {
  const edits: Edit[] = [];
  for (const file of changed) {
    const entry = sqlFiles[file];
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return miss(`${file} changed and cannot be read`);
    }
    // Not a miss: the Jinja-edit patch (parse-jinja-edit.ts) takes it.
    if (!entry || jinjaSkeleton(text) !== entry.skeleton) return null;
    edits.push({ file, entry, text });
  }
  return patchEdits(targetDir, index, sqlFiles, edits, stamps, metadata, miss);
}

/**
 * Patches `edits` into partial_parse.bin and manifest.json (and the index), reading and writing
 * only their nodes' bytes; null when the files are not the ones `index` describes (nothing
 * written then). `sqlFiles` holds at least the edited files' entries; an edit `reparsed` with
 * new tags has its entry patched into partial_parse.sqlfiles.json (patchedSqlFiles).
 */
/** partial_parse.bin already open, and node chunks already read from it (by place), which the patch reuses (parse-jinja-edit.ts). */
export interface OpenCache {
  cache: CacheChunks;
  nodes: Map<number, CachedNode[]>;
}

export function patchEdits(targetDir: string, index: ParseIndex, sqlFiles: SqlFiles, edits: Edit[], stamps: Record<string, Stamp>, metadata: PatchInputs['metadata'], miss: Miss = () => null, open?: OpenCache): TextEditOutcome | null {
  const layout = readManifestLayout(targetDir);
  if (!layout) return miss('manifest.layout.json is missing or damaged');
  // A manifest.json a command wrote with compiled nodes is no parse's: the ordinary parse rewrites them.
  if (layout.compiled?.length) return miss('manifest.json holds compiled code');
  let cache: CacheChunks | undefined;
  let manifest: RangeReader | undefined;
  try {
    cache = open?.cache ?? new CacheChunks(targetDir);
    manifest = new RangeReader(path.join(targetDir, 'manifest.json'));
    if (layout.basis !== index.generation || manifest.size !== layout.stamp[0] || manifest.mtimeMs !== layout.stamp[1]) return miss('manifest.layout.json does not describe the last parse\'s manifest.json');
    return patchFiles({ targetDir, index, sqlFiles, edits, stamps, metadata, layout, cache, nodes: open?.nodes, manifest, miss });
  } catch (err) {
    // missing, damaged or of another generation: the ordinary parse
    return miss(`partial_parse.bin or manifest.json cannot be patched (${err instanceof Error ? err.message : String(err)})`);
  } finally {
    if (!open) cache?.close();
    manifest?.close();
  }
}

interface PatchInputs {
  targetDir: string;
  index: ParseIndex;
  sqlFiles: SqlFiles;
  edits: Edit[];
  /** The edited files' stamps to keep, taken before their text was read (parse-index.ts's `trustedStamp`). */
  stamps: Record<string, Stamp>;
  metadata: { invocationId: string; generatedAt: Date; env: NodeJS.ProcessEnv; startedAt?: Date };
  layout: ManifestLayout;
  cache: CacheChunks;
  /** Node chunks already read from `cache`, by place. */
  nodes?: Map<number, CachedNode[]>;
  manifest: RangeReader;
  miss: Miss;
}

/** Reads what the edits change from the open files and writes the patched ones; null when something does not match (nothing written then). */
function patchFiles(inputs: PatchInputs): TextEditOutcome | null {
  const { targetDir, index, edits, stamps, cache, miss } = inputs;
  const chunkData = (i: number) => (i < cache.count ? cache.read(i) : Buffer.alloc(0));
  const header = cache.header() as CacheHeader;
  if (header.generation !== index.generation) return miss('partial_parse.bin is not the last parse\'s');
  // Touched, not edited (a checkout, `touch`): the same text as parsed; only the index learns the new stamps.
  const touched = edits.filter((e) => recordedDigest(header.files, e.entry.cacheKey) === fileDigest(e.text));
  if (touched.length === edits.length) {
    restamp(targetDir, index, touched, stamps, index.generation);
    return { patched: 0, touched: touched.length };
  }
  const generation = randomUUID();
  header.generation = generation;
  const chunks = editedChunks(header, edits, chunkData, inputs.nodes);
  if (!chunks) return miss('an edited file\'s node in partial_parse.bin is not as the index describes it');
  const replacements = manifestReplacements(inputs);
  if (!replacements) return miss('an edited file\'s node in manifest.json is not as its layout describes it');
  // A file edited inside its Jinja tags has new tags: its entry says so for the next edit.
  const reskeletoned = edits.filter((e) => e.reparsed && e.reparsed.skeleton !== e.entry.skeleton);
  const sqlFiles = reskeletoned.length === 0 ? null : patchedSqlFiles(targetDir, index, Object.fromEntries(reskeletoned.map((e) => [e.file, { ...e.entry, skeleton: e.reparsed?.skeleton ?? e.entry.skeleton }])));
  if (reskeletoned.length > 0 && !sqlFiles) return miss('partial_parse.sqlfiles.json is not the last parse\'s');
  // From here on files are written: partial_parse.bin's edits first (a parse trusts them only with
  // a layout and index of their generation), then manifest.json, the layout, the index. Bytes no
  // edit touched are copied unread.
  cache.replace(new Map([[0, serialize(header)], ...[...chunks].map(([i, nodes]): [number, Buffer] => [i, serializeNodes(nodes)])]));
  const stat = writePatchedManifest(inputs, replacements, generation);
  if (sqlFiles) writeSqlFiles(targetDir, sqlFiles);
  const sqlFilesToken = sqlFiles ? sqlFiles.token : index.sqlFilesToken;
  restamp(targetDir, { ...index, manifest: [stat.size, stat.mtimeMs], sqlFilesToken }, edits, stamps, generation);
  return { patched: edits.length - touched.length, touched: touched.length };
}

/**
 * partial_parse.bin's node chunks that hold the edited nodes, with their new raw_code and checksum
 * (and the header's file digests); null when a node is not as the index describes it.
 */
function editedChunks(header: CacheHeader, edits: Edit[], chunkData: (i: number) => Buffer, read?: Map<number, CachedNode[]>): Map<number, CachedNode[]> | null {
  const chunks = new Map<number, CachedNode[]>(read);
  for (const edit of edits) {
    const at = edit.entry.chunk + FIRST_NODE_CHUNK;
    const nodes = chunks.get(at) ?? (deserializeNodes(chunkData(at)));
    chunks.set(at, nodes);
    const i = Array.isArray(nodes) ? nodes.findIndex((n) => n.unique_id === edit.entry.id) : -1;
    const node = nodes[i];
    if (!node || jinjaSkeleton(node.raw_code) !== edit.entry.skeleton) return null;
    if (edit.reparsed) nodes[i] = edit.reparsed.node;
    else {
      node.raw_code = edit.text;
      node.checksum = { name: 'sha256', checksum: sha256(pythonStrip(edit.text)) };
    }
    const files = withDigest(header.files, edit.entry.cacheKey, fileDigest(edit.text));
    if (!files) return null;
    header.files = files;
  }
  return chunks;
}

/** manifest.json's new metadata and the edited nodes' new text, by byte range, in file order; null when a node's bytes are not as expected. */
function manifestReplacements({ edits, metadata, layout, manifest }: PatchInputs): Replacement[] | null {
  const replacements: Replacement[] = [];
  const metadataRange = layout.parts.metadata;
  if (!metadataRange) return null;
  const oldMetadata = JSON.parse(manifest.read(...metadataRange).toString('utf8')) as Record<string, unknown>;
  // The project's fields (project_name, project_id, adapter_type, quoting...) as they were, in their
  // order; this invocation's over them, as writeProjectManifest would write them.
  const { startedAt, ...stamp } = metadata;
  const freshMetadata = {
    ...oldMetadata,
    ...artifactMetadata({ kind: 'manifest', schemaVersion: 12, ...stamp, invocationStartedAt: startedAt }),
    run_started_at: startedAt ? dbtAwareDatetime(startedAt) : null,
  };
  replacements.push({ range: metadataRange, text: JSON.stringify(freshMetadata) });
  for (const edit of edits) {
    const range = layout.nodes.slice(2 * edit.entry.position, 2 * edit.entry.position + 2) as [number, number];
    if (range.length !== 2) return null;
    const oldText = manifest.read(...range).toString('utf8');
    const json = JSON.parse(oldText) as CachedNode;
    // The node's bytes must be what this rewrite gives back for them unchanged.
    if (json.unique_id !== edit.entry.id || JSON.stringify(json) !== oldText) return null;
    if (edit.reparsed) {
      replacements.push({ range, text: edit.reparsed.json });
      continue;
    }
    json.raw_code = dbtRawCode(json.resource_type, edit.text);
    json.checksum = { ...json.checksum, checksum: sha256(pythonStrip(edit.text)) };
    replacements.push({ range, text: JSON.stringify(json) });
  }
  return replacements.sort((a, b) => a.range[0] - b.range[0]);
}

interface Replacement {
  range: [number, number];
  text: string;
}

/** manifest.json with `replacements` spliced in (every other byte copied), and its layout moved to match; the new file's stat. */
function writePatchedManifest({ targetDir, layout, manifest }: PatchInputs, replacements: Replacement[], generation: string): Stats {
  // Each replacement encoded once, with how far it moves the bytes after it.
  const encoded = replacements.map((r) => {
    const bytes = Buffer.from(r.text);
    return { range: r.range, bytes, delta: bytes.length - (r.range[1] - r.range[0]) };
  });
  const pieces: Piece[] = [];
  let at = 0;
  for (const r of encoded) {
    pieces.push({ copy: [at, r.range[0]] }, { bytes: r.bytes });
    at = r.range[1];
  }
  pieces.push({ copy: [at, manifest.size] });
  const manifestFile = manifest.file;
  // In place where it can be (the bytes before the edited node stay as they are), else a new file.
  if (!spliceInPlace(manifest, pieces)) writeSpliced(manifestFile, manifest, pieces);
  const stat = statSync(manifestFile);
  const shift = (offset: number) => {
    let delta = 0;
    for (const r of encoded) if (r.range[1] <= offset) delta += r.delta;
    return offset + delta;
  };
  const replacedAt = new Map(encoded.map((r) => [r.range[0], r]));
  const moved = (range: [number, number]): [number, number] => {
    const replaced = replacedAt.get(range[0]);
    const start = shift(range[0]);
    return [start, replaced && replaced.range[1] === range[1] ? start + replaced.bytes.length : shift(range[1])];
  };
  const eachMoved = () => {
    // Pushed, not `new Array(length)`: 60,000 places would invalidate V8's ArrayConstructor protector (record-values.ts).
    const moves: number[] = [];
    for (let i = 0; i + 1 < layout.nodes.length; i += 2) moves.push(...moved([layout.nodes[i] as number, layout.nodes[i + 1] as number]));
    return moves;
  };
  const nodes = movedNodes(layout.nodes, encoded) ?? eachMoved();
  const newLayout: ManifestLayout = {
    ...layout,
    stamp: [stat.size, stat.mtimeMs],
    basis: generation,
    parts: Object.fromEntries(Object.entries(layout.parts).map(([key, range]) => [key, key === 'metadata' ? moved(range) : [shift(range[0]), shift(range[1])]])),
    nodes,
  };
  writeManifestLayout(targetDir, newLayout);
  return stat;
}

/**
 * The nodes' ranges (start, end pairs) moved by `encoded` (replacements in file order, each a
 * whole node or before every node), in one pass: the nodes are in file order, so the shift only
 * grows; null when they are not in file order (then each range is moved on its own). Made in a
 * copy of `ranges` (one allocation, ranges before the first shift left as they are) rather than
 * pushed one by one: 60,000 pushes grew the array a dozen times, and the collector's work on those
 * copies was most of this function's time at 10,000 models.
 */
function movedNodes(ranges: number[], encoded: { range: [number, number]; bytes: Buffer; delta: number }[]): number[] | null {
  if (ranges.length % 2 !== 0) return null;
  const nodes = ranges.slice();
  let r = 0;
  let delta = 0;
  let last = -1;
  for (let i = 0; i < nodes.length; i += 2) {
    const start = nodes[i] as number;
    const end = nodes[i + 1] as number;
    if (start < last || end < start) return null;
    last = end;
    while (r < encoded.length && (encoded[r] as { range: [number, number] }).range[1] <= start) delta += (encoded[r++] as { delta: number }).delta;
    const replaced = r < encoded.length ? encoded[r] : undefined;
    if (replaced && replaced.range[0] === start && replaced.range[1] === end) {
      nodes[i] = start + delta;
      nodes[i + 1] = start + delta + replaced.bytes.length;
    } else if (replaced && replaced.range[0] < end) return null; // a replacement inside a node: not the patch's
    else if (delta !== 0) {
      nodes[i] = start + delta;
      nodes[i + 1] = end + delta;
    }
  }
  return nodes;
}

/**
 * The index with `edits`' new stamps: each as taken before its text was read, or smudged where
 * that stamp cannot tell a later edit in the same clock tick (parse-index.ts's `trustedStamp`):
 * the next parse then reads that file again, and finds it touched or edited. Taking the stamp
 * after the patch instead would give an edit made while this parse ran the stamp of a text it
 * never read.
 */
function restamp(targetDir: string, index: ParseIndex, edits: Edit[], stamps: Record<string, Stamp>, generation: string): void {
  const mtimes = [...index.files.mtimes];
  const sizes = [...index.files.sizes];
  for (const edit of edits) {
    const i = stampedPosition(index.files, edit.file);
    if (i >= 0) [sizes[i], mtimes[i]] = stamps[edit.file] ?? SMUDGED;
  }
  saveParseIndex(targetDir, { ...index, files: { ...index.files, sizes, mtimes }, generation });
}
