// partial_parse.bin on disk (parse-cache.ts says what its chunks hold): length-prefixed chunks, a
// 4-byte little-endian length then that many bytes, the header first. A patch of one edited file
// (parse-text-edit.ts, parse-jinja-edit.ts) replaces the header and one node chunk; rewriting the
// 34 MB file for that (the 10,000-model bench) read, wrote and freed 34 MB per edit, a third of the
// edit's I/O. The replaced chunks go to partial_parse.edits.bin instead (~1 MB): its header names
// the base file's generation and which chunks it replaces, and a reader takes each chunk from the
// edits when they hold it. Edits of another base (a whole parse wrote partial_parse.bin since, or
// a crash came between) are ignored: the base alone is a consistent older cache, whose digests
// then tell which files changed. Once the edits grow past a quarter of the base, the next patch
// writes a whole new base instead, and drops them. Both files are written aside and renamed.
import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { RangeReader, writeSpliced, type Piece } from './file-splice.js';

export const CACHE_FILE = 'partial_parse.bin';
export const EDITS_FILE = 'partial_parse.edits.bin';

/** The first chunk of partial_parse.edits.bin. */
interface EditsHeader {
  /** The generation of the partial_parse.bin these edits apply to (its header's `generation`). */
  base: string;
  /** The replaced chunks' places in partial_parse.bin, ascending; their bytes follow in this order. */
  chunks: number[];
}

/** The edits outgrow this share of the base: the next patch writes a whole base. */
const COMPACT_SHARE = 0.25;

/** The [start, end) ranges (each with its 4-byte prefix) of a file of length-prefixed chunks; throws on a torn file. */
export function chunkRanges(reader: RangeReader): [number, number][] {
  const ranges: [number, number][] = [];
  for (let at = 0; at < reader.size; ) {
    const end = at + 4 + reader.read(at, at + 4).readUInt32LE(0);
    if (end > reader.size) throw new Error(`${reader.file}: a chunk runs past the end of the file`);
    ranges.push([at, end]);
    at = end;
  }
  return ranges;
}

/** The chunks (without their prefixes) of a whole file's bytes; throws on a torn file. */
function splitChunks(data: Buffer, file: string): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < data.length; ) {
    const end = offset + 4 + data.readUInt32LE(offset);
    if (end > data.length) throw new Error(`${file}: a chunk runs past the end of the file`);
    chunks.push(data.subarray(offset + 4, end));
    offset = end;
  }
  return chunks;
}

/** A length-prefixed chunk of `data`, as `chunkRanges` reads it. */
export function prefixed(data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32LE(data.length);
  return Buffer.concat([length, data]);
}

const generationOf = (header: Buffer): unknown => (deserialize(header) as { generation?: unknown }).generation;

/** The edits' header and chunks when they apply to a base of `baseCount` chunks whose generation `baseGeneration` gives, else null. */
function validEdits(chunks: Buffer[], baseGeneration: () => unknown, baseCount: number): { header: EditsHeader; data: Buffer[] } | null {
  const [first, ...data] = chunks;
  if (!first) return null;
  const header = deserialize(first) as EditsHeader;
  if (!Array.isArray(header.chunks) || header.chunks.length !== data.length || header.chunks.some((i) => !Number.isInteger(i) || i < 0 || i >= baseCount)) return null;
  return header.base === baseGeneration() ? { header, data } : null;
}

/** Every chunk of the cache in `targetDir`, the edits applied (parse-cache.ts's whole read); throws when partial_parse.bin is missing or torn. */
export function readCacheChunks(targetDir: string): Buffer[] {
  const chunks = splitChunks(readFileSync(path.join(targetDir, CACHE_FILE)), CACHE_FILE);
  let edits;
  try {
    const file = path.join(targetDir, EDITS_FILE);
    edits = existsSync(file) ? validEdits(splitChunks(readFileSync(file), EDITS_FILE), () => chunks[0] && generationOf(chunks[0]), chunks.length) : null;
  } catch {
    edits = null; // torn or foreign edits: the base alone
  }
  edits?.header.chunks.forEach((at, k) => (chunks[at] = edits.data[k] as Buffer));
  return chunks;
}

/** The cache open for reading chunk by chunk (the patches of parse-text-edit.ts and parse-jinja-edit.ts), the edits applied. */
export class CacheChunks {
  private readonly base: RangeReader;
  private readonly ranges: [number, number][];
  /** The chunks the edits replace, by place; their bytes are read whole (the edits are small). */
  private readonly edited = new Map<number, Buffer>();
  private baseGeneration: unknown;

  /** Throws when partial_parse.bin is missing or torn. */
  constructor(private readonly targetDir: string) {
    this.base = new RangeReader(path.join(targetDir, CACHE_FILE));
    try {
      this.ranges = chunkRanges(this.base);
      const file = path.join(targetDir, EDITS_FILE);
      let edits;
      try {
        edits = existsSync(file) ? validEdits(splitChunks(readFileSync(file), EDITS_FILE), () => this.generationOfBase(), this.ranges.length) : null;
      } catch {
        edits = null;
      }
      edits?.header.chunks.forEach((at, k) => this.edited.set(at, edits.data[k] as Buffer));
    } catch (err) {
      this.base.close();
      throw err;
    }
  }

  get count(): number {
    return this.ranges.length;
  }

  /** The bytes of chunk `i` (without its prefix); throws when there is none. */
  read(i: number): Buffer {
    return this.edited.get(i) ?? this.baseChunk(i);
  }

  /**
   * The header (chunk 0, the edits applied) deserialized. Where the edits hold none, it is the
   * base's, whose generation `replace` then knows without reading it again.
   */
  header(): unknown {
    const header = deserialize(this.read(0)) as { generation?: unknown };
    if (!this.edited.has(0)) this.baseGeneration ??= header.generation;
    return header;
  }

  private generationOfBase(): unknown {
    this.baseGeneration ??= generationOf(this.baseChunk(0));
    return this.baseGeneration;
  }

  private baseChunk(i: number): Buffer {
    const range = this.ranges[i];
    if (!range) throw new Error(`${CACHE_FILE} has no chunk ${i}`);
    return this.base.read(range[0] + 4, range[1]);
  }

  /**
   * Replaces chunks (by place; the header, 0, among them): the edits file gets them with those it
   * held, or, once that outgrows COMPACT_SHARE of the base, a whole new base is written (the
   * others copied unread) and the edits dropped. Call before `close`.
   */
  replace(chunks: Map<number, Buffer>): void {
    const header = chunks.get(0);
    if (!header) throw new Error('a patch of partial_parse.bin replaces its header');
    const all = new Map(this.edited);
    for (const [i, data] of chunks) {
      if (!this.ranges[i]) throw new Error(`${CACHE_FILE} has no chunk ${i}`);
      all.set(i, data);
    }
    let bytes = 0;
    for (const data of all.values()) bytes += data.length;
    const editsFile = path.join(this.targetDir, EDITS_FILE);
    if (bytes > this.base.size * COMPACT_SHARE) {
      writeSpliced(this.base.file, this.base, this.ranges.map((range, i): Piece => {
        const data = all.get(i);
        return data ? { bytes: prefixed(data) } : { copy: range };
      }));
      rmSync(editsFile, { force: true });
      return;
    }
    const places = [...all.keys()].sort((a, b) => a - b);
    const editsHeader: EditsHeader = { base: String(this.generationOfBase()), chunks: places };
    writeChunks(editsFile, [serialize(editsHeader), ...places.map((i) => all.get(i) as Buffer)]);
  }

  close(): void {
    this.base.close();
  }
}

/** Removes the edits (a whole cache was written: they are of another base). */
export function dropCacheEdits(targetDir: string): void {
  rmSync(path.join(targetDir, EDITS_FILE), { force: true });
}

/**
 * Writes length-prefixed chunks to `file` atomically (temp file + rename), so a crash never leaves
 * a torn cache; chunks are written as they are made, never held all at once.
 */
export function writeChunks(file: string, ...parts: Iterable<Buffer>[]): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    for (const part of parts) {
      for (const data of part) {
        const length = Buffer.alloc(4);
        length.writeUInt32LE(data.length);
        writeSync(fd, length);
        writeSync(fd, data);
      }
    }
  } catch (error) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(tmp, file);
}
