// Compiled template code kept between runs (target/template_code.bin): the JavaScript that
// nunjucks' parser and tsdbt's code generator made of each template, keyed by a digest of the
// template's path and text and of the engine itself (its own source files, and the filter and
// test names a template's code depends on). A later process that meets the same template skips
// parsing and code generation and only has JavaScript compile the code: `tsdbt compile` and
// `run` of an unchanged project, and every macro file of every parse.
import { createHash, hash as digest } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, writeSync } from 'node:fs';
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

const FORMAT = 2;
/** Entries kept at most (the oldest go first). */
const MAX_ENTRIES = 60_000;

let engineDigest: string | null = null;

/** A digest of the template engine's own source files: code made by another engine is never reused. */
function engineFingerprint(): string {
  if (engineDigest === null) {
    const dir = path.dirname(fileURLToPath(import.meta.url));
    const hash = createHash('sha1').update(String(FORMAT));
    for (const name of readdirSync(dir).filter((n) => /\.(js|ts)$/.test(n) && !/\.test\.|\.d\.ts$/.test(n)).sort()) hash.update(name).update(readFileSync(path.join(dir, name)));
    engineDigest = hash.digest('base64');
  }
  return engineDigest;
}

export class TemplateCodeCache {
  private entries: Map<string, CompiledCode> | null = null;
  private dirty = false;
  private readonly salt: string;

  /** `file`: where the cache lives; `environment`: what else a template's code depends on (filter and test names). */
  constructor(
    private readonly file: string,
    environment: string,
  ) {
    this.salt = `${engineFingerprint()}\0${environment}`;
  }

  /** The key of a template (`kind`: a plain template or a macro library file). */
  key(kind: 'T' | 'L', templatePath: string, source: string): string {
    return digest('sha1', `${this.salt}\0${kind}\0${templatePath}\0${source}`, 'base64');
  }

  get(key: string): CompiledCode | undefined {
    return this.load().get(key);
  }

  set(key: string, value: CompiledCode): void {
    const entries = this.load();
    if (entries.has(key)) return;
    entries.set(key, value);
    this.dirty = true;
  }

  /** Writes the cache if it gained entries (temp file + rename: a crash leaves the previous one). */
  save(): void {
    if (!this.dirty || this.entries === null) return;
    let entries = [...this.entries];
    if (entries.length > MAX_ENTRIES) entries = entries.slice(entries.length - MAX_ENTRIES);
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      const fd = openSync(tmp, 'w');
      try {
        writeSync(fd, serialize({ format: FORMAT, engine: engineFingerprint(), entries }));
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.file);
      this.dirty = false;
    } catch {
      // A cache that cannot be written only costs the next run its time.
    }
  }

  private load(): Map<string, CompiledCode> {
    if (this.entries) return this.entries;
    this.entries = new Map();
    try {
      const data = deserialize(readFileSync(this.file)) as { format: number; engine?: string; entries: [string, CompiledCode][] };
      // Entries of another engine (an earlier build or version of tsdbt) can never be hit: they are
      // dropped, not carried along until MAX_ENTRIES (a file of several builds' entries took a
      // second to read).
      if (data.format === FORMAT && data.engine === engineFingerprint()) this.entries = new Map(data.entries);
    } catch {
      // absent, damaged or foreign: start empty
    }
    return this.entries;
  }
}
