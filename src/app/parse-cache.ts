// Partial parsing: when nothing that parsing reads has changed (project files, dbt_project.yml,
// the target, --vars, the env vars templates read, tsdbt itself), the manifest of the previous
// parse is reused from target/partial_parse.bin instead of rendering every file again. When only
// some files changed, the cache says which (by a digest per file), so the loader can parse just
// those where it knows how (project-loader.ts; graph/reparse-sql-files.ts).
import { createHash, hash as digest, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import type { ProjectFile } from '../project/types.js';
import { tsdbtBuild } from '../artifacts/metadata.js';
import { CacheChunks, CACHE_FILE as FILE, dropCacheEdits, readCacheChunks, writeChunks } from './parse-cache-file.js';
import { changedSettingsReason, DBT_REASONS, settingsParts, type SettingsPartInputs, type SettingsParts } from './parse-cache-reasons.js';
import { encodePythonValues, mayHoldPythonValues, revivePythonValues, UncacheableValue } from './parse-cache-values.js';
import { recordValues } from '../manifest/record-values.js';
import { nodePatch } from '../manifest/node-patch.js';
import { deserializeNodes, PATCH_KEY, serializeNodes, type NodeChunk } from './parse-cache-nodes.js';
import { withLazyDependencyMaps } from '../manifest/lazy-maps.js';
import { dependencyMapsFromTexts, dependencyMapTexts, type DependencyMapTexts } from '../manifest/map-json.js';
import { buildParentChildMaps, type Dag, type DagPlaces } from '../graph/dag.js';
import { fileColumns, knownFiles, type FileColumns, type KnownFiles, type RecordedStamp } from './parse-cache-files.js';

const FORMAT = 15;
/** Nodes per serialized chunk of the cache file. */
export const NODES_PER_CHUNK = 250;
// The node chunks' packing (parse-cache-nodes.ts), for the edit paths that patch chunks in place.
export { deserializeNodes, serializeNodes, type NodeChunk } from './parse-cache-nodes.js';
export { fileColumns, recordedDigest, withDigest, type FileColumns } from './parse-cache-files.js';

export interface ParseCacheInputs {
  targetDir: string;
  /** Everything besides files that parsing depends on (project config, target, vars...). */
  settings: unknown;
  /** The part of `settings` that is the profile's target (without its password), to name a change of it. */
  profile?: unknown;
  /** The parts of `settings` dbt checks one by one, to say which changed in dbt's words (parse-cache-reasons.ts). */
  parts?: Omit<SettingsPartInputs, 'version' | 'profile'>;
  files: ProjectFile[];
  /** Text of tsdbt's own global macros. */
  globalMacros: string[];
}

/** The cache's keys: everything but the files, and the files (`kind:path`), whose digests are made once needed. */
export interface ParseCacheKeys {
  settings: string;
  /** dbt's profile_hash: the target's digest (empty when not given). */
  profile: string;
  /** Each of dbt's partial-parse checks' digest (given `parts`). */
  parts?: SettingsParts;
  files: Map<string, ProjectFile>;
  /** Each file's digest, once made: readParseCache makes them, with the cache's recorded stamps. */
  digests?: Record<string, string>;
}

/**
 * How long before its stamp was taken a file must have been last modified for the stamp to be
 * recorded: an edit within the same clock tick (coarse, and 2 s on some file systems) could leave
 * size and mtime as they were.
 */
const RACY_MS = 2000;

/**
 * The file: length-prefixed chunks, the header (CacheEntry: keys, file digests) first, then the
 * manifest without its nodes and maps (ManifestRest), then parent_map and child_map (their JSON
 * texts, manifest/map-json.ts), then the nodes, NODES_PER_CHUNK a chunk. An edit of one file's
 * text reads the header and the chunk of its node, and writes them to partial_parse.edits.bin (parse-text-edit.ts, parse-cache-file.ts).
 */
export const FIRST_NODE_CHUNK = 3;


export interface CacheEntry {
  format: number;
  key: string;
  /** ParseCacheKeys.profile when written. */
  profile: string;
  /** ParseCacheKeys.parts when written. */
  parts?: SettingsParts;
  /** A new id each time the cache is written: what a manifest.json layout says it was written from. */
  generation: string;
  files: FileColumns;
  /** Env vars templates read while parsing, with the value they had (null: unset). */
  envReads: Record<string, string | null>;
}

interface ManifestRest {
  manifest: Omit<Manifest, 'parent_map' | 'child_map'>;
  disabled: ManifestNode[];
  /** The parse's DAG (graph/dag.ts): a load of the parse as it is reads it instead of building it again. */
  dag?: DagPlaces;
  /** Whether manifest and disabled hold tagged Python values (parse-cache-values.ts). */
  python?: true;
}

/**
 * JSON.stringify's replacer telling an object of a class from its JSON: a var `d: 2020-01-01` (a
 * datetime.date) and `d: "2020-01-01"` (text) are different settings.
 */
function classTagged(this: unknown, key: string, value: unknown): unknown {
  const original = (this as Record<string, unknown>)[key];
  if (typeof original !== 'object' || original === null || Array.isArray(original)) return value;
  const proto = Object.getPrototypeOf(original) as { constructor?: { name?: string } } | null;
  return proto === Object.prototype || proto === null ? value : { [`py:${proto.constructor?.name ?? 'object'}`]: value };
}

/** The keys of everything parsing reads except env vars. */
export function parseCacheKeys(inputs: ParseCacheInputs): ParseCacheKeys {
  const hash = createHash('sha256');
  hash.update(`${FORMAT}\0${tsdbtBuild()}\0${JSON.stringify(inputs.settings, classTagged)}\0`);
  for (const text of inputs.globalMacros) hash.update(text).update('\0');
  const profile = inputs.profile === undefined ? '' : createHash('sha256').update(JSON.stringify(inputs.profile, classTagged)).digest('hex');
  const version = { format: FORMAT, build: tsdbtBuild(), globalMacros: createHash('sha256').update(inputs.globalMacros.join('\0')).digest('hex') };
  const parts = inputs.parts && settingsParts({ ...inputs.parts, version, profile });
  return { settings: hash.digest('hex'), profile, ...(parts ? { parts } : {}), files: new Map(inputs.files.map((file) => [`${file.kind}:${file.path}`, file])) };
}

/**
 * Each file's digest: the cache's own where the file's stamp is the one the cache recorded with
 * it (the file is then not read), else made from its text (or, for a file parsing does not read,
 * a seed, from its stamp).
 */
function fileDigests(files: Map<string, ProjectFile>, known?: KnownFiles): Record<string, string> {
  const digests: Record<string, string> = {};
  for (const [key, file] of files) {
    const i = known?.at.get(key);
    if (known && i !== undefined && file.stamp && file.stamp.size === known.stamps[2 * i] && file.stamp.mtimeMs === known.stamps[2 * i + 1]) {
      digests[key] = known.digests[i] as string;
      continue;
    }
    digests[key] = fileDigest(file.content ?? unreadStamp(file));
  }
  return digests;
}

/** The stamps to record with the digests: of files last modified well before their stamp was taken (RACY_MS). */
function trustedStamps(files: Map<string, ProjectFile>): Record<string, RecordedStamp> {
  const stamps: Record<string, RecordedStamp> = {};
  for (const [key, file] of files) {
    const stamp = file.stamp;
    if (stamp && stamp.size >= 0 && stamp.mtimeMs < stamp.takenAt - RACY_MS) stamps[key] = [stamp.size, stamp.mtimeMs];
  }
  return stamps;
}

/** The cache's digest of a file's text (parse-text-edit.ts compares and updates it too). */
export function fileDigest(text: string): string {
  return digest('sha1', text, 'base64');
}

/** A file parsing does not read as text (a seed, checksummed at parse time): its size and modification time (its recorded stamp, or a stat). */
function unreadStamp(file: ProjectFile): string {
  if (file.stamp) return `${file.stamp.size}:${file.stamp.mtimeMs}`;
  try {
    const stat = statSync(file.absPath);
    return `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return '';
  }
}

/**
 * The cached manifest, if it was parsed with the same settings and env, with the files (`kind:path`)
 * changed, added or removed since (none: the whole parse can be reused).
 */
export function readParseCache(
  targetDir: string,
  keys: ParseCacheKeys,
  env: NodeJS.ProcessEnv,
  miss: (reason: string) => null = () => null,
  /** `fileDiff: false` (dbt's --no-partial-parse-file-diff): no file is compared, the cache is taken as if none changed. */
  { fileDiff = true }: { fileDiff?: boolean } = {},
): { manifest: Manifest; disabled: ManifestNode[]; dag?: DagPlaces; envReads: Record<string, string | null>; changedFiles: string[]; generation: string; chunks: NodeChunk[] } | null {
  const file = path.join(targetDir, FILE);
  if (!existsSync(file)) return miss(DBT_REASONS.notFound);
  try {
    const chunks = readCacheChunks(targetDir)[Symbol.iterator]();
    const entry = deserialize(chunks.next().value as Buffer) as CacheEntry;
    if (entry.format !== FORMAT) return miss(DBT_REASONS.version);
    if (entry.key !== keys.settings) {
      // dbt's UnableToPartialParse reason for the first of its checks that sees the change (the
      // profile: its connection, not its password); else what only tsdbt's key holds.
      const why = keys.parts ? changedSettingsReason(entry.parts, keys.parts) : entry.profile !== keys.profile ? DBT_REASONS.profile : null;
      return miss(why ?? 'the project directory, --full-refresh, --store-failures or tsdbt changed');
    }
    for (const [name, value] of Object.entries(entry.envReads)) if ((env[name] ?? null) !== value) return miss(`env var ${name} changed`);
    const rest = deserialize(chunks.next().value as Buffer) as ManifestRest;
    if (rest.python) revivePythonValues([rest.manifest, rest.disabled]);
    // The maps are read when first asked for (manifest/lazy-maps.ts): an unchanged compile or run copies them.
    // A copy: the chunks are views of the file's bytes, which a view kept by the closure below would keep whole.
    const mapsData = Buffer.from(chunks.next().value as Buffer);
    const manifest: Manifest = withLazyDependencyMaps({ ...rest.manifest }, () => {
      try {
        return dependencyMapsFromTexts(deserialize(mapsData) as DependencyMapTexts);
      } catch {
        // Damaged (read after this function's own check): made again from the nodes, as a parse makes them.
        const made = { nodes: manifest.nodes, sources: manifest.sources, declared: manifest.declared } as Manifest;
        buildParentChildMaps(made);
        return { parent_map: made.parent_map, child_map: made.child_map };
      }
    });
    const known = knownFiles(entry.files);
    const changedFiles = changedSinceCache(targetDir, entry, known, keys, fileDiff);
    const nodeChunks: NodeChunk[] = [];
    for (const data of chunks) {
      const nodes = deserializeNodes(data);
      for (const node of nodes) manifest.nodes[node.unique_id] = node;
      nodeChunks.push({ ids: nodes.map((n) => n.unique_id), data });
    }
    return { manifest, disabled: rest.disabled, ...(rest.dag ? { dag: ownArrays(rest.dag) } : {}), envReads: entry.envReads, changedFiles, generation: entry.generation, chunks: nodeChunks };
  } catch {
    return miss(`${FILE} is damaged`); // a damaged or foreign cache is simply ignored
  }
}

/**
 * The project's files that differ from the cache's record (their digests left in `keys`), the
 * record's new stamps written when none differ; with `fileDiff` false (dbt's
 * --no-partial-parse-file-diff) none is compared, and the recorded digests stay the record, so a
 * later load with the diff sees what changed since.
 */
function changedSinceCache(targetDir: string, entry: CacheEntry, known: KnownFiles, keys: ParseCacheKeys, fileDiff: boolean): string[] {
  if (!fileDiff) {
    keys.digests = Object.fromEntries([...known.at].map(([f, i]) => [f, known.digests[i] ?? '']));
    return [];
  }
  const digests = (keys.digests = fileDigests(keys.files, known));
  const changed = Object.keys(digests).filter((f) => {
    const i = known.at.get(f);
    return i === undefined || known.digests[i] !== digests[f];
  });
  for (const f of known.at.keys()) if (!(f in digests)) changed.push(f);
  if (changed.length === 0) recordNewStamps(targetDir, entry, known, keys);
  return changed;
}

/**
 * Nothing changed, but some files were read and hashed because the cache recorded no stamp for
 * them (modified within RACY_MS of the parse that wrote it, as a project just generated or checked
 * out is): their stamps, trusted now, go into the header (partial_parse.edits.bin, parse-cache-file.ts),
 * so the next load takes their digests without reading them (issue 18: 300 files read and hashed
 * on every run of the bench's rebuild). Their texts were just read after their stamps were taken,
 * and gave the recorded digests. Never fails the load.
 */
function recordNewStamps(targetDir: string, entry: CacheEntry, known: KnownFiles, keys: ParseCacheKeys): void {
  const stamps = trustedStamps(keys.files);
  const unrecorded = (key: string) => {
    const i = known.at.get(key);
    return i !== undefined && Number.isNaN(known.stamps[2 * i]);
  };
  if (!keys.digests || !Object.keys(stamps).some(unrecorded)) return;
  try {
    const cache = new CacheChunks(targetDir);
    try {
      cache.replace(new Map([[0, serialize({ ...entry, files: fileColumns(keys.digests, stamps) } satisfies CacheEntry)]]));
    } finally {
      cache.close();
    }
  } catch {
    // not recorded: the files are read again next time
  }
}

/**
 * `places` with each typed array copied: v8's deserializer makes them views of the bytes it read,
 * and the DAG a command keeps to its end so kept all of partial_parse.bin's (36 MB for the
 * 10,000-model bench) alive, where its own arrays are a few hundred kilobytes.
 */
function ownArrays(places: DagPlaces): DagPlaces {
  const own = { ...places };
  for (const [key, value] of Object.entries(own)) if (ArrayBuffer.isView(value)) (own as Record<string, unknown>)[key] = value.slice();
  return own;
}

/**
 * Writes the cache atomically (temp file + rename), so a crash never leaves a torn cache. The
 * nodes go in chunks of NODES_PER_CHUNK, each serialized on its own: one buffer for the whole
 * manifest (and the serializer's doublings on the way to it) added 100 MB to a big parse's peak.
 */
export function writeParseCache(
  targetDir: string,
  keys: ParseCacheKeys,
  envReads: Record<string, string | null>,
  manifest: Manifest,
  disabled: ManifestNode[],
  reuse?: { chunks: NodeChunk[]; changed: ReadonlySet<string> },
  dag?: Dag,
): string {
  const generation = randomUUID();
  mkdirSync(targetDir, { recursive: true });
  const rest = withoutMaps(manifest);
  const files = (keys.digests ??= fileDigests(keys.files));
  function* nodeChunks(): Generator<Buffer> {
    const nodes = recordValues(manifest.nodes);
    for (let i = 0; i < nodes.length; i += NODES_PER_CHUNK) {
      const slice = nodes.slice(i, i + NODES_PER_CHUNK);
      // After a partial parse, a chunk of the cache read whose nodes are all unchanged is copied.
      const old = reuse?.chunks[i / NODES_PER_CHUNK];
      const same = old && old.ids.length === slice.length && slice.every((n, k) => n.unique_id === old.ids[k] && !reuse?.changed.has(n.unique_id));
      yield same ? old.data : serializeNodes(slice);
    }
  }
  const entry: CacheEntry = { format: FORMAT, key: keys.settings, profile: keys.profile, ...(keys.parts ? { parts: keys.parts } : {}), generation, files: fileColumns(files, trustedStamps(keys.files)), envReads };
  // A disabled node may be one read from the cache: its entry is written with it, not deferred.
  for (const node of disabled) if (PATCH_KEY in node) nodePatch(node);
  const manifestRest: ManifestRest = { manifest: { ...rest, nodes: {} }, disabled, ...(dag ? { dag: dag.toPlaces() } : {}) };
  try {
    if (mayHoldPythonValues()) {
      const encoded = { any: false };
      [manifestRest.manifest, manifestRest.disabled] = encodePythonValues([manifestRest.manifest, manifestRest.disabled], encoded);
      if (encoded.any) manifestRest.python = true;
    }
    const chunks = [serialize(entry), serialize(manifestRest), serialize(dependencyMapTexts(manifest))];
    writeChunks(path.join(targetDir, FILE), chunks, nodeChunks());
  } catch (error) {
    if (!(error instanceof UncacheableValue)) throw error;
    // A value of a class the cache cannot write back (parse-cache-values.ts): this parse is not cached (the next run parses again).
    rmSync(path.join(targetDir, FILE), { force: true });
  }
  dropCacheEdits(targetDir); // of the base just replaced (parse-cache-file.ts)
  return generation;
}


/** The manifest but its parent_map and child_map, read without making them (manifest/map-json.ts). */
function withoutMaps(manifest: Manifest): Omit<Manifest, 'parent_map' | 'child_map'> {
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(manifest)) if (key !== 'parent_map' && key !== 'child_map') rest[key] = manifest[key as keyof Manifest];
  return rest as Omit<Manifest, 'parent_map' | 'child_map'>;
}

/** An env object that records every variable read through it. */
export function recordingEnv(env: NodeJS.ProcessEnv, reads: Record<string, string | null>): NodeJS.ProcessEnv {
  return new Proxy(env, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof name === 'string') reads[name] = typeof value === 'string' ? value : null;
      return value;
    },
  });
}
