// What a render session reads of each macro file before compiling it (issue 18, the start of
// `tsdbt run` and `compile`): the file's top-level blocks (toplevel-blocks.ts, the rest blanked),
// its test blocks as macros, and each macro's own text (a manifest entry's `macro_sql`). Finding
// them walks every tag of the ~440 built-in macros and the project's on every run (~30 ms of CPU
// plus the garbage of the blanked copies), though those files seldom change: the result is kept
// per file, keyed by the engine's fingerprint, the file's path and its text, in target/macro_scan.bin
// beside the template code cache, and for the install's own macro files beside the shared code
// cache too (code-cache.ts; `builtin-templates-scan-<fingerprint>.bin`), so a warm run only digests each file's text and reads the result.
import { hash as digest } from 'node:crypto';
import { engineFingerprint, markInUse, pruneStale, readCacheEntries, writeCacheEntries, type SharedCodeCache } from './code-cache.js';
import { blockEndFrom, keepTopLevelBlocks } from './toplevel-blocks.js';

/** Rewrites dbt's `{% test name(...) %}` blocks as the macros `test_name` they define. */
export function testBlocksAsMacros(source: string): string {
  return source
    .replace(/\{%(-?)\s*test\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(/g, '{%$1 macro test_$2(')
    .replace(/\{%(-?)\s*endtest\s*(-?)%\}/g, '{%$1 endmacro $2%}');
}

/**
 * Where the `{% macro name(...) %} ... {% endmacro %}` text of a macro (or test block) is in a file:
 * the first block opening under the name (or with a `test_` prefix more or less), to its end tag
 * (blockEndFrom: one inside a string or comment ends nothing); [0, 0] when there is none. The
 * file's block openings are found once (a file of the global project holds dozens of macros).
 */
class MacroSpans {
  private openings: { index: number; name: string }[] | null = null;

  constructor(private readonly source: string) {}

  span(name: string): [number, number] {
    this.openings ??= [...this.source.matchAll(/\{%-?\s*(?:macro|test)\s+([^\s(]+)\s*\(/g)].map((m) => ({ index: m.index, name: m[1] as string }));
    const base = name.replace(/^test_/, '');
    const names = name.startsWith('test_') ? [base, `test_${base}`, `test_test_${base}`] : [name, `test_${name}`];
    const start = this.openings.find((o) => names.includes(o.name));
    if (!start) return [0, 0];
    const end = blockEndFrom(this.source, start.index);
    return [start.index, end < 0 ? this.source.length : end];
  }
}

/** A macro file as the render session reads it. */
export interface MacroFileScan {
  /** The text compiled as the file: its top-level blocks, test blocks as macros. */
  kept: string;
  /** The text of the macro `name` in the file ('' when there is none). */
  text(name: string): string;
}

/** What is kept of a file's scan: the compiled text and the spans of the macros asked for. */
interface Entry {
  kept: string;
  spans: Map<string, [number, number]>;
}

const FORMAT = 1;
/** Entries kept at most (the oldest go first). */
const MAX_ENTRIES = 20_000;

/** Scans of macro files, from `file` (and `shared`'s files for the install's own macro files) when seen before. */
export class MacroScanCache {
  private entries: Map<string, Entry> | null = null;
  private dirty = false;
  private sharedEntries: Map<string, Entry> | null = null;
  private sharedDirty = false;
  /** The project's entries this run asked for: the file keeps these only (an edited file's old scans go). */
  private readonly used = new Set<string>();

  constructor(
    private readonly file: string | null,
    private readonly shared?: SharedCodeCache,
  ) {}

  scan(templatePath: string, source: string): MacroFileScan {
    const key = digest('sha1', `${engineFingerprint()}\0${templatePath}\0${source}`, 'base64');
    const inShared = this.file !== null && this.shared?.holds(templatePath) === true;
    this.used.add(key);
    let entry = this.own().get(key);
    if (!entry && inShared) {
      entry = this.loadShared().get(key);
      // Kept in the project's file too: its next run reads that one only.
      if (entry) this.add(this.own(), key, entry);
    }
    if (!entry) {
      entry = { kept: testBlocksAsMacros(keepTopLevelBlocks(source)), spans: new Map() };
      this.add(this.own(), key, entry);
      if (inShared) this.add(this.loadShared(), key, entry);
    }
    const found = entry;
    let finder: MacroSpans | null = null;
    return {
      kept: found.kept,
      text: (name) => {
        let span = found.spans.get(name);
        if (!span) {
          span = (finder ??= new MacroSpans(source)).span(name);
          found.spans.set(name, span);
          this.dirty = this.file !== null;
          this.sharedDirty ||= inShared;
        }
        return source.slice(span[0], span[1]);
      },
    };
  }

  /** Writes the files that gained entries (temp file + rename); one that cannot be written only costs a later run its time. */
  save(): void {
    if (this.sharedDirty && this.sharedEntries && this.shared) {
      const entries = [...this.sharedEntries];
      const written = this.shared.files.map(scanFileOf).find((file) => writeEntries(file, entries));
      if (written !== undefined) {
        this.sharedDirty = false;
        pruneStale(written);
      }
    }
    if (!this.dirty || this.entries === null || this.file === null) return;
    let entries = [...this.entries].filter(([key]) => this.used.has(key));
    if (entries.length > MAX_ENTRIES) entries = entries.slice(entries.length - MAX_ENTRIES);
    if (writeEntries(this.file, entries)) this.dirty = false;
  }

  private add(entries: Map<string, Entry>, key: string, entry: Entry): void {
    entries.set(key, entry);
    if (entries === this.entries) this.dirty = this.file !== null;
    else this.sharedDirty = true;
  }

  private own(): Map<string, Entry> {
    this.entries ??= (this.file === null ? null : readEntries(this.file)) ?? new Map();
    return this.entries;
  }

  private loadShared(): Map<string, Entry> {
    if (!this.sharedEntries) {
      this.sharedEntries = new Map();
      for (const file of this.shared?.files ?? []) {
        const entries = readEntries(scanFileOf(file));
        if (entries) {
          this.sharedEntries = entries;
          markInUse(scanFileOf(file));
          break;
        }
      }
    }
    return this.sharedEntries;
  }
}

/**
 * The scan file beside a shared code cache file: `builtin-templates-<fingerprint>.bin` ->
 * `builtin-templates-scan-<fingerprint>.bin` (another build's, not written for a while, is removed
 * as the code cache's are: code-cache.ts pruneStale), an unsuffixed `<name>.bin` -> `<name>-scan.bin`.
 */
export function scanFileOf(codeFile: string): string {
  return codeFile.replace(/(-[0-9a-f]{16})?\.bin$/, (_, suffix: string | undefined) => `-scan${suffix ?? ''}.bin`);
}

/** A scan file's entries; null when absent, damaged, or of another engine. */
const readEntries = (file: string) => readCacheEntries<Entry>(file, FORMAT);
const writeEntries = (file: string, entries: [string, Entry][]) => writeCacheEntries(file, FORMAT, entries);
