// `tsdbt parse` after SQL files were edited inside their Jinja tags (a config() call, a macro call,
// a ref written another way): each is parsed again on its own, against the project's macros, as
// dbt's partial parsing re-parses a changed file. When its node still reads the same refs and
// sources, keeps its name, fqn, group, access and relation, and stays enabled, nothing outside
// it can have changed (the parents and children, the tests and unit tests that name it, the
// property files), so its node is patched into partial_parse.bin and manifest.json as a text edit
// is (parse-text-edit.ts): the other nodes are neither deserialized nor written. Anything else, a
// warning or error while parsing it, or a new env var read, answers null before anything is
// written, and the ordinary parse (which reports it) runs.
import { nodeJson } from '../artifacts/resource-json.js';
import { nodeMacros } from '../graph/macro-dependencies.js';
import { namingMacros } from '../graph/name-nodes.js';
import { reparseNode } from '../graph/reparse-sql-files.js';
import { jinjaSkeleton } from '../jinja/tag-skeleton.js';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import { sqlFile, type ProjectFileKind } from '../project/index.js';
import type { Invocation } from './invocation.js';
import { Logger } from './logger.js';
import { deserializeNodes, FIRST_NODE_CHUNK } from './parse-cache.js';
import { CacheChunks } from './parse-cache-file.js';
import type { Miss, ParseIndex, SqlFiles, Stamp } from './parse-index.js';
import { patchEdits, type CachedNode, type Edit, type TextEditOutcome } from './parse-text-edit.js';
import { macroRenderBase, type MacroRenderBase } from './project-loader.js';

/** The fields of a node that other nodes, tests, property files or relations depend on: equal before and after, or no patch. */
const LINKED_FIELDS = ['unique_id', 'resource_type', 'package_name', 'name', 'fqn', 'path', 'original_file_path', 'refs', 'sources', 'functions', 'database', 'schema', 'alias', 'relation_name', 'version'] as const;
/** Configs other nodes are checked against (a private model's group, `access`) or that remove the node. */
const LINKED_CONFIGS = ['enabled', 'group', 'access'] as const;

/**
 * Patches the parse artifacts for `changed` (absolute paths of `sqlFiles`), each parsed again on
 * its own; the outcome, or null when the ordinary parse must run (nothing written then).
 */
export function patchJinjaEdits(inv: Invocation, targetDir: string, index: ParseIndex, sqlFiles: SqlFiles, changed: string[], stamps: Record<string, Stamp>, miss: Miss = () => null): TextEditOutcome | null {
  // Whatever loading and parsing would print, the parse being patched printed already (its
  // replay is printed after): anything new is something the ordinary parse has to report.
  const printed: string[] = [];
  const quiet = new Logger({ format: 'text', debug: false, write: (line) => printed.push(line), warnError: inv.logger.warnError, env: inv.env });
  let base: MacroRenderBase;
  try {
    base = macroRenderBase({ ...inv, logger: quiet });
  } catch (err) {
    return miss(`loading the project's configuration and macros failed (${err instanceof Error ? err.message : String(err)})`);
  }
  let cache: CacheChunks;
  try {
    cache = new CacheChunks(targetDir);
  } catch {
    return miss('partial_parse.bin cannot be read');
  }
  try {
    return patchNodes({ inv, targetDir, index, sqlFiles, changed, stamps, miss, base, printed, cache });
  } finally {
    cache.close();
  }
}

interface NodePatch {
  inv: Invocation;
  targetDir: string;
  index: ParseIndex;
  sqlFiles: SqlFiles;
  changed: string[];
  stamps: Record<string, Stamp>;
  miss: Miss;
  base: MacroRenderBase;
  /** What loading and parsing printed. */
  printed: string[];
  cache: CacheChunks;
}

/** Parses the changed files again against their old nodes (read from `cache`, which the patch reuses) and patches them in. */
function patchNodes({ inv, targetDir, index, sqlFiles, changed, stamps, miss, base, printed, cache }: NodePatch): TextEditOutcome | null {
  const read = cachedNodes(cache, changed.map((file) => sqlFiles[file]).filter((e) => e !== undefined));
  if (!read) return miss('partial_parse.bin cannot be read');
  const olds = read.byId;
  const naming = namingMacros(base.session.parsePhase);
  // A model's config() keys dbt does not know are warned only where dbt runs its schema checks
  // (jsonschema-gate.ts): elsewhere they are not looked for. Where they are, a warning about an
  // edited file, new or from the last parse, is the ordinary parse's to report (or drop).
  const schemaChecks = base.inv.logger.dbtSchemaChecks;
  base.session.parsePhase.checkConfigKeys = schemaChecks;
  if (schemaChecks) {
    const edited = new Set(changed.map((file) => sqlFiles[file]?.cacheKey.replace(/^[^:]*:/, '')));
    const stale = index.replay.warnings.find((w) => w.location?.file !== undefined && edited.has(w.location.file));
    if (stale) return miss(`the last parse warned about ${stale.location?.file ?? 'an edited file'} (${stale.event})`);
  }
  const edits: Edit[] = [];
  try {
    for (const file of changed) {
      const entry = sqlFiles[file];
      const old = entry && olds.get(entry.id);
      // The file as discovery finds it: by its cache key (`model:models/x.sql`), the rest not walked.
      const split = entry?.cacheKey.indexOf(':') ?? -1;
      const projectFile = entry && split > 0 ? sqlFile(base.config, entry.cacheKey.slice(0, split) as ProjectFileKind, entry.cacheKey.slice(split + 1)) : null;
      if (!entry || !old || !projectFile || projectFile.path !== old.original_file_path || projectFile.absPath !== file) return miss(`${file}'s node is not in partial_parse.bin as the index describes it`);
      const reparsed = reparseNode({ session: base.session.parsePhase, project: base.config, file: projectFile, old, target: base.buildTarget, naming });
      if (!reparsed) return miss(`${file} cannot be parsed again on its own`);
      if (!stillLinkedAsBefore(reparsed.node, old)) return miss(`${file}'s node changed how it links to the rest of the project (its refs, sources, name, relation, enabled, group or access)`);
      const node = reparsed.node;
      if (!reparsed.textOnly) {
        node.depends_on = { ...node.depends_on, nodes: old.depends_on.nodes, macros: nodeMacros(node, { macros: base.session.macros } as Manifest, base.session.scope) };
      }
      const skeleton = jinjaSkeleton(projectFile.content ?? '');
      if (skeleton === null) return miss(`${file}'s Jinja tags cannot be read`);
      edits.push({ file, entry, text: projectFile.content ?? '', reparsed: { node: node as unknown as CachedNode, json: JSON.stringify(nodeJson(node)), skeleton } });
    }
  } catch (err) {
    return miss(`parsing the edited files again failed (${err instanceof Error ? err.message : String(err)})`);
  }
  if (printed.length > 0) return miss(`parsing the edited files again printed something the last parse did not (${printed[0]})`);
  if (base.session.parsePhase.errors.length > 0) return miss('parsing the edited files again found an error');
  const warned = base.session.parsePhase.warnings[0];
  if (warned) return miss(`parsing the edited files again warned ${warned.event ?? ''} (${warned.message})`);
  // An env var the edited templates read that the last parse did not: the index must learn it.
  const newEnv = Object.keys(base.envReads).find((name) => !(name in index.envReads));
  if (newEnv !== undefined) return miss(`the edited files read env var ${newEnv}, which the last parse did not`);
  return patchEdits(targetDir, index, sqlFiles, edits, stamps, { invocationId: inv.invocationId, generatedAt: inv.now(), env: inv.env, startedAt: inv.startedAt }, miss, { cache, nodes: read.chunks });
}

/** Whether the parsed-again node links to the rest of the manifest as `old` did. */
function stillLinkedAsBefore(node: ManifestNode, old: ManifestNode): boolean {
  const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);
  return LINKED_FIELDS.every((key) => same(node[key], old[key])) && LINKED_CONFIGS.every((key) => same(node.config[key], old.config[key]));
}

/**
 * The nodes of partial_parse.bin that `entries` name, by id, and the node chunks they were read
 * from (by place: the patch changes those same arrays); null when the file cannot be read.
 */
function cachedNodes(cache: CacheChunks, entries: { id: string; chunk: number }[]): { byId: Map<string, ManifestNode>; chunks: Map<number, CachedNode[]> } | null {
  try {
    const byId = new Map<string, ManifestNode>();
    const chunks = new Map<number, CachedNode[]>();
    for (const chunk of new Set(entries.map((e) => e.chunk))) {
      const place = chunk + FIRST_NODE_CHUNK;
      if (place >= cache.count) return null;
      const nodes = deserializeNodes(cache.read(place));
      chunks.set(place, nodes);
      for (const node of nodes) byId.set(node.unique_id, node);
    }
    return { byId, chunks };
  } catch {
    return null;
  }
}
