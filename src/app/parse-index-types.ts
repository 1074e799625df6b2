// The shapes of `tsdbt parse`'s index (parse-index.ts) and of what goes with it: the stamped files,
// the SQL files' entries (parse-index-sql-files.ts), what the parse printed, what it read. Apart so
// the index's modules and its readers (parse-text-edit.ts, parse-jinja-edit.ts) share them.
import type { Stamp } from './file-stamps.js';
import type { SourceLocation } from '../errors/tsdbt-error.js';

/**
 * Files and their stamps, column by column: the paths as one text, a line each (PATH_SEPARATOR),
 * and two arrays of numbers, not one small array or string per file: JSON.parse then makes three
 * objects instead of 10,000 strings that the collector copies (the read and the stat of every file
 * ~18% cheaper at 10,000 files, issue 18). A path holding the separator gets no index (`writeParseIndex`).
 */
export interface StampedFiles {
  paths: string;
  sizes: number[];
  mtimes: number[];
  /**
   * The folder (with its trailing separator) taken off the front of the paths under it, most of
   * them (the project's own files): a path of `paths` that is not absolute is under it. Absent or ''
   * for none. At 10,000 models in a temporary folder the paths were ~60% of the index's bytes, and
   * reading the index its largest cost after the stats (issue 18).
   */
  root?: string;
}

export interface ParseIndex {
  format: number;
  /** tsdbt's version and the options parsing reads. */
  key: string;
  /** Env vars read while loading and parsing, with the value they had (null: unset). */
  envReads: Record<string, string | null>;
  files: StampedFiles;
  /** The folders searched: mtime, and a digest of the entries a parse walks (`listingDigest`). */
  dirs: [string, number, string][];
  /** manifest.json as this parse wrote it: rewritten or removed since, the index is not used. */
  manifest: Stamp;
  replay: ParseReplay;
  /** The partial_parse.bin generation (and manifest.layout.json basis) this parse wrote. */
  generation: string;
  /** Which partial_parse.sqlfiles.json goes with this index (its `token`). */
  sqlFilesToken: string;
}

/**
 * The root project's SQL files (absolute path) that each make one node: what an edit of their
 * text alone needs. Kept in a file of its own beside the index.
 */
export type SqlFiles = Record<string, SqlFileEntry>;

/** One SQL file's node: where it sits in partial_parse.bin and manifest.json, and its Jinja tags' digest. */
export interface SqlFileEntry {
  id: string;
  /** The cache's key of the file (`model:models/x.sql`). */
  cacheKey: string;
  /** Which node chunk of partial_parse.bin holds it. */
  chunk: number;
  /** Its place among manifest.json's nodes (manifest.layout.json's order). */
  position: number;
  /** tag-skeleton.ts digest of its text. */
  skeleton: string;
}

/** A warning the parse gave: its text, dbt event and the file and line it points at. */
export interface ParseIndexWarning {
  text: string;
  event: string;
  location?: SourceLocation;
}

/** What the parse printed besides its timing line, and dbt_project.yml's warn-error flags, to do again. */
export interface ParseReplay {
  infoLines: string[];
  /** Warnings with their dbt event (what --warn-error-options names). */
  warnings: ParseIndexWarning[];
  warnErrorFlags: Record<string, unknown>;
  /** dbt ran its JSON-schema checks on the parse's adapter (app/jsonschema-gate.ts): --warn-error makes their warnings errors. */
  dbtSchemaChecks?: boolean;
  /**
   * What dbt.log needs, so the repeated parse writes it as the full one did: dbt_project.yml's log
   * flags (log_format, log_level, ... and debug) and its log-path (null when that parse was given
   * --log-path / DBT_LOG_PATH, which hid it).
   */
  logs?: { flags: Record<string, unknown>; logPath: string | null };
  /**
   * The parse's --debug, where its warnings depend on it (a project with resource names with spaces
   * allowed: one warning per node under --debug, the first only without); absent elsewhere.
   */
  debug?: boolean;
  /**
   * dbt_project.yml's `flags: partial_parse: false` was overridden by `--partial-parse` (or
   * DBT_PARTIAL_PARSE) for that parse: the index holds only for an invocation that says so again,
   * since without it the project turns partial parsing off (the header check cannot see the
   * project's flags before it loads them).
   */
  onlyWithPartialParseFlag?: true;
}

/** What a parse read, collected by the project loader for the index. */
export interface ParseInputs {
  files: string[];
  /**
   * The stamps of those files the parse took as it read them (before their text: discover.ts),
   * so the index need not ask for them again (10,000 stats for 10,000 models).
   */
  stamps?: ReadonlyMap<string, Stamp>;
  dirs: string[];
  envReads: Record<string, string | null>;
}

/**
 * Told why the last parse cannot be reused or patched (for `--debug`: "Unable to do partial
 * parsing because ..."); answers null, so that `return miss('...')` gives up.
 */
export type Miss = (reason: string) => null;
