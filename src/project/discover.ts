// Finds a project's files under its configured paths (models, seeds, macros, snapshots, tests,
// analyses, functions, docs, property files) without rendering anything. Sorted, so parsing is deterministic.
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ProjectConfig } from '../config/types.js';
import type { FileStamp, ProjectFile, ProjectFileKind, RawProject } from './types.js';
import { dbtIgnore } from './dbtignore.js';

/**
 * A file on disk, read when its content is first asked for: a command whose parse is reused from
 * target/partial_parse.bin reads only the files whose stamp changed since (app/parse-cache.ts),
 * not the 10,000 of a big project. Its stamp is taken before its content is read, so an edit
 * made in between shows as a changed stamp next time.
 */
class DiskSource {
  private text: string | undefined | null = null;
  private stamped: FileStamp | null = null;

  constructor(
    readonly absPath: string,
    private readonly readable: boolean,
  ) {}

  get stamp(): FileStamp {
    if (!this.stamped) {
      const takenAt = Date.now();
      const stat = statSync(this.absPath, { throwIfNoEntry: false });
      this.stamped = { size: stat?.size ?? -1, mtimeMs: stat?.mtimeMs ?? -1, takenAt };
    }
    return this.stamped;
  }

  /** The stamp taken when the file was first stamped or read, or null: none taken yet (no stat made here). */
  get takenStamp(): FileStamp | null {
    return this.stamped;
  }

  get content(): string | undefined {
    if (this.text === null) {
      if (!this.readable) void this.stamp;
      this.text = !this.readable ? undefined : this.stamped ? readFileSync(this.absPath, 'utf8') : this.readStamped();
    }
    return this.text;
  }

  /**
   * The file's text, its stamp taken from the open file before it is read: one open and no second
   * look-up of the path (a stat, then a read, of 10,000 model files: ~20 ms more of a cold parse).
   */
  private readStamped(): string {
    const takenAt = Date.now();
    const fd = openSync(this.absPath, 'r');
    try {
      const stat = fstatSync(fd);
      this.stamped = { size: stat.size, mtimeMs: stat.mtimeMs, takenAt };
      return readOpenFile(fd, stat.size);
    } finally {
      closeSync(fd);
    }
  }
}

/** The UTF-8 text of open file `fd`, read to its end (`size` is what its stat said; it may have grown since). */
function readOpenFile(fd: number, size: number): string {
  let buffer = Buffer.allocUnsafe(size + 1);
  let length = 0;
  for (;;) {
    if (length === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
    const read = readSync(fd, buffer, length, buffer.length - length, null);
    if (read === 0) return buffer.toString('utf8', 0, length);
    length += read;
  }
}

/** A project file over its DiskSource; `relocated` names the same file otherwise (a package's, as the root project shows it). */
export class DiskFile implements ProjectFile {
  constructor(
    readonly kind: ProjectFileKind,
    readonly path: string,
    private readonly source: DiskSource,
    readonly resourceDir: string,
  ) {}

  get absPath(): string {
    return this.source.absPath;
  }

  get content(): string | undefined {
    return this.source.content;
  }

  get stamp(): FileStamp {
    return this.source.stamp;
  }

  /** The stamp already taken (when the file was read or stamped), or null: asks the file system nothing. */
  get takenStamp(): FileStamp | null {
    return this.source.takenStamp;
  }

  relocated(shownAs: string): DiskFile {
    return new DiskFile(this.kind, shownAs, this.source, this.resourceDir);
  }
}

/**
 * Whether `rel` ends with `extension` in any case: dbt finds resource files by a pattern matched
 * ignoring case (clients/system.py's find_matching), so `models/orders.SQL` is a model.
 */
export function hasExtension(rel: string, extension: string): boolean {
  return rel.length > extension.length && rel.slice(-extension.length).toLowerCase() === extension;
}

/** A resource's name from its file: the file name without its extension (Python's os.path.splitext). */
export function fileStem(rel: string): string {
  return path.posix.parse(rel).name;
}

/** Whether a folder entry is walked: hidden ones (`.git`, an editor's `.x.sql.swp`) are not. */
export const isWalked = (name: string): boolean => !name.startsWith('.');

/** The files under `rel` (project-relative, and absolute: the folder's absolute path and the name, as path.resolve makes it), and the folders searched. */
function walk(root: string, rel: string, out: [rel: string, abs: string][], skip: Set<string>, dirs: string[]): void {
  let entries;
  // A folder given as an absolute path (`docs-paths: [/abs/docs]`) is that folder, as os.path.join makes it in dbt.
  const abs = path.resolve(root, rel);
  // Listed even when missing: a resource folder created later is a change (parse-index.ts).
  dirs.push(abs);
  try {
    entries = readdirSync(abs, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!isWalked(entry.name)) continue;
    const childRel = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!skip.has(childRel)) walk(root, childRel, out, skip, dirs);
    } else if (entry.isFile() || entry.isSymbolicLink()) out.push([childRel, `${abs === '/' ? '' : abs}/${entry.name}`]);
  }
}

/** `file` under another project-relative path (a package's file as the root project shows it), still read lazily. */
export function relocatedFile(file: ProjectFile, shownAs: string): ProjectFile {
  if (file instanceof DiskFile) return file.relocated(shownAs);
  return { kind: file.kind, path: shownAs, absPath: file.absPath, resourceDir: file.resourceDir, content: file.content };
}

/**
 * The project's files (`macrosOnly`: its macro files alone, those of the macro paths and of the
 * test paths' generic/ folders, in the same order, as a parse of a few SQL files known to be the
 * only change needs: parse-jinja-edit.ts).
 */
export function discoverProject(config: ProjectConfig, { macrosOnly = false }: { macrosOnly?: boolean } = {}): RawProject {
  const root = config.projectDir;
  const skip = new Set([config.targetPath, config.packagesInstallPath, 'node_modules', config.logPath].map((p) => p.replace(/\/$/, '')));
  const files: ProjectFile[] = [];
  const seen = new Set<string>();
  const unsupported: string[] = [];
  const searched: string[] = [];
  let abs = '';
  // Files the project's .dbtignore names are not found at all, as in dbt.
  const ignored = dbtIgnore(root);
  const add = (kind: ProjectFileKind, rel: string, resourceDir: string, read = true) => {
    const key = `${kind}:${rel}`;
    if (seen.has(key)) return;
    seen.add(key);
    files.push(new DiskFile(kind, rel, new DiskSource(abs, read), resourceDir));
  };
  // A folder is walked once: docs-paths defaults to every other resource path, walked again otherwise.
  const walked = new Map<string, { found: [string, string][]; searched: string[] }>();
  const scan = (dirs: string[], visit: (rel: string, dir: string) => void) => {
    for (const given of dirs) {
      const dir = given.replace(/\/$/, '');
      let listing = walked.get(dir);
      if (!listing) {
        listing = { found: [], searched: [] };
        walk(root, dir, listing.found, skip, listing.searched);
        listing.found.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        walked.set(dir, listing);
      }
      for (const folder of listing.searched) searched.push(folder);
      for (const [rel, absPath] of listing.found) {
        if (ignored?.(rel)) continue;
        abs = absPath;
        visit(rel, dir);
      }
    }
  };
  const isYaml = (rel: string) => hasExtension(rel, '.yml') || hasExtension(rel, '.yaml');

  // Per resource path: the kind of its .sql/.csv files; YAML property files are read everywhere.
  const sqlFolders: [string[], ProjectFileKind, string][] = [
    [config.modelPaths, 'model', '.sql'],
    [config.seedPaths, 'seed', '.csv'],
    [config.macroPaths, 'macro', '.sql'],
    [config.snapshotPaths, 'snapshot', '.sql'],
    [config.testPaths, 'test', '.sql'],
    [config.analysisPaths, 'analysis', '.sql'],
    [config.functionPaths ?? [], 'function', '.sql'],
  ];
  for (const [dirs, kind, extension] of sqlFolders) {
    if (macrosOnly && kind !== 'macro' && kind !== 'test') continue;
    scan(dirs, (rel, dir) => {
      if (macrosOnly && kind === 'test' && !rel.startsWith(`${dir}/generic/`)) return;
      if (hasExtension(rel, extension)) {
        // Generic tests in tests/generic/ are macros (`{% test %}` blocks); tests/fixtures/ holds
        // unit-test fixtures, not singular tests.
        const actual = kind === 'test' && rel.startsWith(`${dir}/generic/`) ? 'macro' : kind === 'test' && rel.startsWith(`${dir}/fixtures/`) ? 'fixture' : kind;
        add(actual, rel, dir, kind !== 'seed');
      } else if (kind === 'test' && rel.startsWith(`${dir}/fixtures/`) && hasExtension(rel, '.csv')) {
        add('fixture', rel, dir);
      } else if (kind === 'model' && hasExtension(rel, '.py')) unsupported.push(rel);
      // A Python UDF is parsed (dbt writes it to the manifest); creating it is the adapter's macro's business.
      else if (kind === 'function' && hasExtension(rel, '.py')) add('function', rel, dir);
      else if (isYaml(rel)) add('yaml', rel, dir);
    });
  }
  if (!macrosOnly) {
    scan(config.docsPaths, (rel, dir) => {
      if (hasExtension(rel, '.md')) add('docs', rel, dir);
    });
  }
  return { files, unsupported, dirs: searched };
}

/** The folders each kind of SQL file a node is parsed from is found in (`sqlFile`). */
const SQL_FILE_PATHS: Partial<Record<ProjectFileKind, (config: ProjectConfig) => string[]>> = {
  model: (c) => c.modelPaths,
  test: (c) => c.testPaths,
  analysis: (c) => c.analysisPaths,
};

/**
 * The root project's model, singular-test or analysis file at `rel` (project-relative), as
 * `discoverProject` finds it (its resource folder: the first of the kind's paths holding it),
 * without walking the project; null when no such path holds it.
 */
export function sqlFile(config: ProjectConfig, kind: ProjectFileKind, rel: string): ProjectFile | null {
  const dir = SQL_FILE_PATHS[kind]?.(config)
    .map((given) => given.replace(/\/$/, ''))
    .find((given) => rel.startsWith(`${given}/`));
  if (dir === undefined || !hasExtension(rel, '.sql')) return null;
  return new DiskFile(kind, rel, new DiskSource(path.resolve(config.projectDir, rel), true), dir);
}
