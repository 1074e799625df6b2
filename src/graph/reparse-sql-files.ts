// Partial parsing of edited SQL files: when the only files changed since the cached parse are the
// root project's model, singular-test or analysis files that already had a node, each is parsed
// again on its own and its node replaced in the cached manifest, as dbt's partial parsing
// re-parses a changed file and keeps the rest of the manifest. Whatever this does not know how
// to patch in place answers null, and the loader parses the whole project instead. A file edited
// only outside its Jinja tags records what it recorded before: its node takes the new text
// without a render.
import type { ProjectConfig } from '../config/types.js';
import type { ProjectFile } from '../project/types.js';
import type { ParsePhase } from '../compile/parse-phase.js';
import { nodeMacros } from './macro-dependencies.js';
import { buildParentChildMaps } from './dag.js';
import { relinkManifest, type BuildManifestInput, type ParsedManifest } from './manifest-builder.js';
import { nameNode, namingMacros } from './name-nodes.js';
import { parseSqlFile } from './patched-nodes.js';
import type { PatchEntry } from './patch-entry.js';
import type { NamingMacros } from './node-naming.js';
import { RefIndex } from './ref-index.js';
import { sha256 } from './node-factory.js';
import { jinjaSkeleton } from '../jinja/tag-skeleton.js';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import { recordValues } from '../manifest/record-values.js';
import { nodePatch } from '../manifest/node-patch.js';
import { pythonStrip } from '../manifest/raw-code.js';

const REPARSED_KINDS = new Set<ProjectFile['kind']>(['model', 'test', 'analysis']);

export interface ReparseInput {
  manifest: Manifest;
  disabled: ManifestNode[];
  /** The changed files: all of the root project (the caller checks). */
  files: ProjectFile[];
  project: ProjectConfig;
  session: ParsePhase;
  target: BuildManifestInput['target'];
}

/** What reparseNode needs: the session, the file, the node it made before and how nodes are named. */
export interface NodeReparse {
  session: ParsePhase;
  project: ProjectConfig;
  file: ProjectFile;
  old: ManifestNode;
  target: BuildManifestInput['target'];
  naming: NamingMacros;
}

/**
 * The node of one edited SQL file of the root project, parsed again on its own and named; its
 * depends_on and the dependency maps are the caller's to set. A file edited only outside its
 * Jinja tags records what it recorded before: the old node with the new text (`textOnly`, its
 * depends_on already right). Null when the file needs a whole parse: a versioned or now disabled node,
 * a renamed one, a new group or access, contract foreign keys (rendered against the whole manifest), or an error
 * (session.errors then holds it; the caller decides whether to keep it).
 */
export function reparseNode({ session, project, file, old, target, naming }: NodeReparse): { node: ManifestNode; textOnly: boolean } | null {
  if (old.version !== undefined && old.version !== null) return null;
  const text = file.content ?? '';
  const skeleton = jinjaSkeleton(text);
  if (skeleton !== null && skeleton === jinjaSkeleton(old.raw_code)) return { node: { ...old, raw_code: text, checksum: { name: 'sha256', checksum: sha256(pythonStrip(text)) } }, textOnly: true };
  const errorsBefore = session.errors.length;
  const failed = () => session.errors.length > errorsBefore;
  const patch = nodePatch<PatchEntry>(old);
  const node = parseSqlFile(session, project, file, patch);
  if (!node || failed() || !node.config.enabled || node.unique_id !== old.unique_id) return null;
  // A new group or access changes which refs to it are allowed and its tests' group: checked whole.
  if (node.config.group !== old.config.group || node.config.access !== old.config.access) return null;
  if ([...(node.constraints ?? []), ...Object.values(node.columns).flatMap((c) => c.constraints ?? [])].some((c) => c.type === 'foreign_key')) return null;
  nameNode(node, target, naming, session);
  if (failed()) return null;
  // Its descriptions come from its property entry and doc blocks, which did not change: rendered before.
  node.description = old.description;
  if (old.doc_blocks) node.doc_blocks = old.doc_blocks;
  for (const [name, column] of Object.entries(node.columns)) {
    const before = old.columns[name];
    column.description = before?.description ?? column.description;
    if (before?.doc_blocks) column.doc_blocks = before.doc_blocks;
  }
  // Its primary key comes from its property entry's constraints and tests, which did not change.
  if (old.primary_key) node.primary_key = old.primary_key;
  return { node, textOnly: false };
}

/** The cached manifest with the nodes of `files` parsed again (their ids in `reparsed`), or null when a whole parse is needed. */
export function reparseSqlFiles(input: ReparseInput): (ParsedManifest & { reparsed: string[] }) | null {
  const { manifest, disabled, project, session } = input;
  if (!input.files.every((f) => REPARSED_KINDS.has(f.kind))) return null;
  const byFile = new Map<string, ManifestNode>();
  for (const node of recordValues(manifest.nodes)) {
    if (node.package_name === project.name && !node.test_metadata && node.resource_type !== 'unit_test') byFile.set(node.original_file_path, node);
  }
  // Giving up leaves the session as it was: the whole parse then reports each problem once.
  const errorsBefore = session.errors.length;
  const warningsBefore = session.warnings.length;
  const giveUp = () => {
    session.errors.length = errorsBefore;
    session.warnings.length = warningsBefore;
    return null;
  };
  const naming = namingMacros(session);
  const replaced: ManifestNode[] = [];
  const textEdits: ManifestNode[] = [];
  for (const file of input.files) {
    const old = byFile.get(file.path);
    // New files, versions, disabled nodes: their neighbours change too; parsed as a whole.
    if (!old) return giveUp();
    const reparsed = reparseNode({ session, project, file, old, target: input.target, naming });
    if (!reparsed) return giveUp();
    (reparsed.textOnly ? textEdits : replaced).push(reparsed.node);
  }
  for (const node of textEdits) manifest.nodes[node.unique_id] = node;
  // A file parsed again brings its config() warnings anew (config-call-keys.ts); a text edit kept its calls.
  const reparsedFiles = new Set(replaced.map((n) => n.original_file_path));
  manifest.warnings = [...manifest.warnings.filter((w) => !(w.event === 'CustomKeyInConfigDeprecation' && reparsedFiles.has(w.location?.file ?? ''))), ...session.warnings.splice(0)];
  if (replaced.length === 0) return { ...relinkManifest(manifest, disabled), reparsed: textEdits.map((n) => n.unique_id) };
  for (const node of replaced) manifest.nodes[node.unique_id] = node;
  const refs = new RefIndex(project.name, recordValues(manifest.nodes), disabled, recordValues(manifest.sources)).restrict(manifest.restrictedPackages).searchNodePackageFirst(manifest.refSearchesNodePackageFirst);
  try {
    for (const node of replaced) {
      const parents = new Set<string>();
      for (const [s, t] of node.sources) parents.add(refs.resolveSource(s, t, node).unique_id);
      for (const call of node.refs) parents.add(refs.resolveRef(call, node).unique_id);
      for (const call of node.functions ?? []) parents.add(refs.resolveFunction(call, node).unique_id);
      node.depends_on.nodes = [...parents];
    }
  } catch {
    return giveUp(); // a ref that no longer resolves: the whole parse reports it as it always does
  }
  buildParentChildMaps(manifest);
  // Macros did not change (a changed macro file parses the whole project): only these nodes' calls did.
  for (const node of replaced) node.depends_on.macros = nodeMacros(node, manifest, session.scope);
  return { ...relinkManifest(manifest, disabled), reparsed: [...textEdits, ...replaced].map((n) => n.unique_id) };
}
