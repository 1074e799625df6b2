// Compiled template code kept between runs (target/template_code.bin): the JavaScript that
// nunjucks' parser and tsdbt's code generator made of each template, keyed by a digest of the
// template's path and text and of the engine itself (its own source files, and the filter and
// test names a template's code depends on). A later process that meets the same template skips
// parsing and code generation and only has JavaScript compile the code: `tsdbt compile` and
// `run` of an unchanged project, and every macro file of every parse.
import { createHash, hash as digest } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { MacroInfo } from './scan.js';

/** What a template compiles to, before JavaScript compiles it. */
export interface CompiledCode {
  code: string;
  /** The constants the code reads as `K[i]` (codegen-expr.ts). */
  constants: (string | number)[];
  blocks: MacroInfo[];
}

/**
 * 3: each distinct code and constant once in the file (`codes`, `values`), entries naming theirs by
 * index. A project's templates compile to a few dozen distinct codes (the bench's 10,000 models:
 * 39), differing only in their constants, and those repeat too (413,000 constants, 186,000 of them
 * strings, of which 18,000 distinct): written with every entry, template_code.bin was 11.5 MB
 * (now 3.2 MB), and reading it back made 10,000 code strings of ~700 characters and 186,000
 * constant strings that a compile keeps to its end. The entries' constants are places in
 * `values`, all entries' one after the other in one typed array (`places`), which V8 reads as
 * bytes rather than as 413,000 numbers.
 */
const FORMAT = 3;
/** Entries kept at most (the oldest go first). */
const MAX_ENTRIES = 60_000;

let engineDigest: string | null = null;

/** A digest of the template engine's own source files: code made by another engine is never reused. */
export function engineFingerprint(): string {
  if (engineDigest === null) {
    const dir = path.dirname(fileURLToPath(import.meta.url));
    const hash = createHash('sha1').update(String(FORMAT));
    for (const name of readdirSync(dir).filter((n) => /\.(js|ts)$/.test(n) && !/\.test\.|\.d\.ts$/.test(n)).sort()) hash.update(name).update(readFileSync(path.join(dir, name)));
    engineDigest = hash.digest('base64');
  }
  return engineDigest;
}

/**
 * The file name of a cache shared between projects (`<stem>-<16 hex digits>.bin`): it carries the
 * engine's fingerprint, so two builds or versions of tsdbt that share a folder (the user's cache
 * folder) each keep their own file instead of replacing each other's at every switch.
 */
export function sharedCacheName(stem: string): string {
  return `${stem}-${Buffer.from(engineFingerprint(), 'base64').toString('hex').slice(0, 16)}.bin`;
}

/** How long another build's shared cache file is kept unread beside this one's (30 days). */
const STALE_MS = 30 * 24 * 3600 * 1000;

/**
 * Removes the other builds' files of a shared cache (`<stem>-<digits>.bin`, and the unsuffixed
 * `<stem>.bin` of the builds before the fingerprinted names) not written for STALE_MS: a folder
 * shared by every version a user installed over time holds only those still in use.
 */
export function pruneStale(file: string, now = Date.now()): void {
  const match = /^(.*)-[0-9a-f]{16}\.bin$/.exec(path.basename(file));
  if (!match) return;
  const stem = match[1] as string;
  const dir = path.dirname(file);
  const ours = path.basename(file);
  try {
    for (const name of readdirSync(dir)) {
      if (name === ours || !(name === `${stem}.bin` || (name.startsWith(`${stem}-`) && /^-[0-9a-f]{16}\.bin$/.test(name.slice(stem.length))))) continue;
      const other = path.join(dir, name);
      if (now - statSync(other).mtimeMs > STALE_MS) rmSync(other, { force: true });
    }
  } catch {
    // another process removed it first, or the folder cannot be listed: nothing to do
  }
}

/**
 * Marks a shared cache file read by this build as in use (its time set to now, at most once a day):
 * pruneStale goes by that time, and a build whose file is only ever read (never rewritten) is
 * still in use.
 */
export function markInUse(file: string, now = Date.now()): void {
  try {
    if (now - statSync(file).mtimeMs > 24 * 3600 * 1000) utimesSync(file, new Date(now), new Date(now));
  } catch {
    // read-only install folder, or gone: pruneStale may then remove it later, which costs a cold run
  }
}

/**
 * A cache shared by every project a tsdbt install parses: the code of its own macro files (the
 * global project's and the adapters', the same text for every project), kept beside the bundle
 * or in the user's cache folder. A cold parse (no target/) then starts from it instead of parsing
 * and generating ~40 files of ~440 macros (issue 18: ~0.4 s of CPU of a 10,000-model cold parse,
 * the parser's own warm-up included). Same keys as the project's cache, so the same code.
 */
export interface SharedCodeCache {
  /** Where it may be, in order: read from the first that has it, written to the first that takes it. */
  files: string[];
  /** Whether a template (by its path) belongs there. */
  holds: (templatePath: string) => boolean;
}

export class TemplateCodeCache {
  private entries: Map<string, CompiledCode> | null = null;
  private dirty = false;
  private readonly salt: string;
  private sharedEntries: Map<string, CompiledCode> | null = null;
  private sharedDirty = false;

  /** `file`: where the cache lives; `environment`: what else a template's code depends on (filter and test names). */
  constructor(
    private readonly file: string,
    environment: string,
    private readonly shared?: SharedCodeCache,
  ) {
    // Digested once: the environment (every filter and test name, 650+ characters) was hashed again into
    // each template's key, several times the text of a small model (issue 18: a run keys every node).
    this.salt = digest('sha1', `${engineFingerprint()}\0${environment}`, 'base64');
  }

  /** The key of a template (`kind`: a plain template or a macro library file). */
  key(kind: 'T' | 'L', templatePath: string, source: string): string {
    return digest('sha1', `${this.salt}\0${kind}\0${templatePath}\0${source}`, 'base64');
  }

  /** The code cached under `key`: the project's cache, else (a template of `templatePath`) the shared one. */
  get(key: string, templatePath?: string): CompiledCode | undefined {
    const own = this.load().get(key);
    if (own || templatePath === undefined || !this.shared?.holds(templatePath)) return own;
    const shared = this.loadShared().get(key);
    // Kept in the project's cache too: its next run reads its own file only.
    if (shared) this.set(key, shared);
    return shared;
  }

  set(key: string, value: CompiledCode, templatePath?: string): void {
    if (templatePath !== undefined && this.shared?.holds(templatePath)) {
      const shared = this.loadShared();
      if (!shared.has(key)) {
        shared.set(key, value);
        this.sharedDirty = true;
      }
    }
    const entries = this.load();
    if (entries.has(key)) return;
    entries.set(key, value);
    this.dirty = true;
  }

  /** Writes the cache if it gained entries (temp file + rename: a crash leaves the previous one), and the shared one. */
  save(): void {
    if (this.sharedDirty && this.sharedEntries && this.shared) {
      const entries = [...this.sharedEntries];
      const written = this.shared.files.find((file) => writeEntries(file, entries));
      if (written !== undefined) {
        this.sharedDirty = false;
        pruneStale(written);
      }
    }
    if (!this.dirty || this.entries === null) return;
    let entries = [...this.entries];
    if (entries.length > MAX_ENTRIES) entries = entries.slice(entries.length - MAX_ENTRIES);
    if (writeEntries(this.file, entries)) this.dirty = false;
  }

  private load(): Map<string, CompiledCode> {
    this.entries ??= readEntries(this.file) ?? new Map();
    return this.entries;
  }

  private loadShared(): Map<string, CompiledCode> {
    if (!this.sharedEntries) {
      this.sharedEntries = new Map();
      for (const file of this.shared?.files ?? []) {
        const entries = readEntries(file);
        if (entries) {
          this.sharedEntries = entries;
          markInUse(file);
          break;
        }
      }
    }
    return this.sharedEntries;
  }
}

/** A cache file's entries (of file format `format`); null when absent, damaged, or of another engine (an earlier build or version of tsdbt). Shared with macro-file-scan.ts. */
export function readCacheEntries<T>(file: string, format: number): Map<string, T> | null {
  const data = readCacheFile<{ entries: [string, T][] }>(file, format);
  return data && new Map(data.entries);
}

/** A cache file's content (of file format `format` and this engine), or null. */
function readCacheFile<T>(file: string, format: number): T | null {
  try {
    const data = deserialize(readFileSync(file)) as { format: number; engine?: string } & T;
    // Entries of another engine can never be hit: they are dropped, not carried along until
    // MAX_ENTRIES (a file of several builds' entries took a second to read).
    return data.format === format && data.engine === engineFingerprint() ? data : null;
  } catch {
    return null;
  }
}

/** Writes a cache file (temp file + rename); false when it cannot be written, which only costs a later run its time. */
export function writeCacheEntries<T>(file: string, format: number, entries: [string, T][]): boolean {
  return writeCacheFile(file, { format, engine: engineFingerprint(), entries });
}

function writeCacheFile<T extends { format: number; engine: string }>(file: string, content: T): boolean {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, serialize(content));
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    return true;
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // nothing was written
    }
    return false;
  }
}

/**
 * The template code cache file: each distinct code and constant once; each entry names its code
 * by index, and its `count` constants are the next `count` places (into `values`) of `places`.
 */
interface CodeFile {
  codes: string[];
  values: (string | number)[];
  places: Uint32Array;
  entries: [string, { code: number; count: number; blocks: MacroInfo[] }][];
}

function readEntries(file: string): Map<string, CompiledCode> | null {
  const data = readCacheFile<CodeFile>(file, FORMAT);
  if (!data) return null;
  try {
    return entriesOf(data);
  } catch {
    return null; // laid out otherwise than this format says: read as no cache
  }
}

function entriesOf({ codes, values, places, entries }: CodeFile): Map<string, CompiledCode> | null {
  const read = new Map<string, CompiledCode>();
  let at = 0;
  for (const [key, { code, count, blocks }] of entries) {
    const text = codes[code];
    if (typeof text !== 'string' || at + count > places.length) return null; // damaged
    const constants = new Array<string | number>(count);
    for (let i = 0; i < count; i++) {
      const value = values[places[at++] as number];
      if (value === undefined) return null; // damaged
      constants[i] = value;
    }
    read.set(key, { code: text, constants, blocks });
  }
  return read;
}

function writeEntries(file: string, entries: [string, CompiledCode][]): boolean {
  const codes: string[] = [];
  const codePlaces = new Map<string, number>();
  const values: (string | number)[] = [];
  const valuePlaces = new Map<string | number, number>();
  const place = (value: string | number): number => {
    // A Map takes -0 for 0: -0 gets a place of its own each time (never one in a template that matters).
    if (Object.is(value, -0)) return values.push(value) - 1;
    let at = valuePlaces.get(value);
    if (at === undefined) valuePlaces.set(value, (at = values.push(value) - 1));
    return at;
  };
  let total = 0;
  for (const [, { constants }] of entries) total += constants.length;
  const places = new Uint32Array(total);
  let next = 0;
  const packed: CodeFile['entries'] = entries.map(([key, { code, constants, blocks }]) => {
    let at = codePlaces.get(code);
    if (at === undefined) codePlaces.set(code, (at = codes.push(code) - 1));
    for (const constant of constants) places[next++] = place(constant);
    return [key, { code: at, count: constants.length, blocks }];
  });
  return writeCacheFile(file, { format: FORMAT, engine: engineFingerprint(), codes, values, places, entries: packed });
}
