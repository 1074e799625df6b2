// Writes target/manifest.json in dbt's manifest v12 shape (nodes, sources, macros, docs,
// parent_map, child_map, ...; the content is manifest-shape.ts'), so tools that read dbt artifacts
// read ours: streamed node by node, copying what the previous file holds unchanged, or patched.
import { createHash, hash as digest, randomUUID } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { makeDir } from './make-dir.js';
import path from 'node:path';
import type { AdapterTargetConfig } from '../adapters/adapter.js';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import { ChunkedWriter } from './chunked-writer.js';
import { dbtConfigJson } from './config-defaults.js';
import { nodeJsonObject, unitTestJson } from './resource-json.js';
import { readManifestLayout, writeManifestLayout, type ManifestLayout } from './manifest-layout.js';
import { patchManifestCopy } from './manifest-patch.js';
import { PARSE_COPY, PARSE_PARTS, sameParseParts } from './manifest-parse-parts.js';
import { writeSemanticManifest } from './semantic-manifest.js';
import { recordKeys } from '../manifest/record-values.js';
import { knownMapJson } from '../manifest/map-json.js';
import { dbtAdapterType, manifestQuoting, manifestShape, sectionOf, type ManifestWriteInput, type NodeSection } from './manifest-shape.js';

export { manifestJson, manifestQuoting, type ManifestQuoting, type ManifestWriteInput } from './manifest-shape.js';

/** What writeProjectManifest needs of a loaded project. */
export interface ManifestProject {
  parsed: { manifest: Manifest; disabled?: readonly ManifestNode[] };
  targetDir: string;
  target: AdapterTargetConfig;
  config: { name: string; quoting?: Record<string, unknown> };
  /** Which parse the manifest came from (app/project-loader.ts ParseBasis). */
  basis?: { loadedFrom: string | null; generation: string; changed: string[] };
}

/**
 * A loaded project's manifest.json, for one invocation (`tsdbt` extras optional), with its
 * layout: when the manifest.json there was written from this parse (or the one it was loaded
 * from), only the nodes that changed since (parsed again, compiled by this command or by the
 * command that wrote it) and the metadata and maps are written; the rest is copied. A build of one
 * model of 10,000 so writes that model, not 58 MB of JSON, at its start and at its end.
 */
export async function writeProjectManifest(inv: ManifestInvocation, project: ManifestProject): Promise<{ file: string; layout: ManifestLayout }> {
  const layout = readManifestLayout(project.targetDir);
  const basis = project.basis;
  let reuse: ManifestReuse | undefined;
  if (layout && basis) {
    if (layout.basis === basis.generation) reuse = { layout, basis: basis.generation, changed: new Set() };
    else if (basis.loadedFrom !== null && layout.basis === basis.loadedFrom) reuse = { layout, basis: basis.loadedFrom, changed: new Set(basis.changed) };
  }
  const written = await writeManifest(
    {
      manifest: project.parsed.manifest,
      disabled: project.parsed.disabled,
      targetDir: project.targetDir,
      invocationId: inv.invocationId,
      generatedAt: inv.now(),
      env: inv.env,
      adapterType: dbtAdapterType(project.target),
      projectName: project.config.name,
      startedAt: inv.startedAt,
      quoting: manifestQuoting(project.target, project.config.quoting),
    },
    reuse,
    basis?.generation,
  );
  writeManifestLayout(project.targetDir, written.layout);
  // dbt writes semantic_manifest.json every time it writes manifest.json (write_manifest).
  await writeSemanticManifest(project.targetDir, { manifest: project.parsed.manifest, targetSchema: project.target.schema ?? '' });
  return written;
}

type ManifestInvocation = { invocationId: string; now(): Date; env: NodeJS.ProcessEnv; startedAt?: Date };

/** Where `nodes` and `unit_tests` go in the streamed manifest. */
const NODES = Symbol('nodes');
const UNIT_TESTS = Symbol('unit_tests');
const FUNCTIONS = Symbol('functions');

/**
 * Rewrite only these nodes of the manifest.json laid out as `layout` (and its metadata and maps),
 * besides the nodes compiled by the command writing it or by the one that wrote the layout.
 */
export interface ManifestReuse {
  layout: ManifestLayout;
  /** The parse the manifest being written was loaded from: must be the layout's basis. */
  basis: string;
  changed: ReadonlySet<string>;
}

/** The node ids in order, each followed by a NUL, hashed in one update (one per id was 60,000 calls). */
const nodeIdsDigest = (nodeIds: readonly string[]) => createHash('sha1').update(nodeIds.length ? `${nodeIds.join('\0')}\0` : '').digest('base64');

/**
 * The manifest's node ids by the section each is written to, in the manifest's order: its
 * 30,000 keys listed once (a `for...in` over a record of that size lists and sorts them again at
 * every walk, and the writer walked it four times).
 */
function sectionIds(manifest: Manifest): Record<NodeSection, string[]> {
  const ids: Record<NodeSection, string[]> = { nodes: [], unit_tests: [], functions: [] };
  for (const id of recordKeys(manifest.nodes)) ids[sectionOf(manifest.nodes[id] as ManifestNode)].push(id);
  return ids;
}

/** Whether the manifest.json there is the one `reuse` describes, which the write may copy from. */
function intact(file: string, input: ManifestWriteInput, reuse: ManifestReuse | undefined, ids: string): reuse is ManifestReuse {
  // parts.tsdbt: a manifest.json an older tsdbt's `docs generate` wrote with its column lineage.
  if (!reuse || reuse.layout.basis !== reuse.basis || reuse.layout.parts.tsdbt) return false;
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat || stat.size !== reuse.layout.stamp[0] || stat.mtimeMs !== reuse.layout.stamp[1]) return false;
  for (const id of reuse.changed) if (input.manifest.nodes[id] && sectionOf(input.manifest.nodes[id]) !== 'nodes') return false;
  return ids === reuse.layout.ids;
}

/** The previous manifest.json's bytes when `reuse` still describes it, else null. */
function reusable(file: string, reuse: ManifestReuse): Buffer | null {
  const data = readFileSync(file);
  return data.length === reuse.layout.stamp[0] ? data : null;
}

/**
 * When the previous manifest.json (intact, as `reuse` lays it out) differs from the one to write
 * only in the parts written afresh (FRESH_PARTS: the metadata, the maps...), and each of those
 * keeps its length, writes it as a copy of the previous with those parts overwritten and returns
 * its layout; else null, having written nothing. Every node must be one the writer would copy: none
 * parsed again, and the same nodes compiled, in the same order, to the same text as the previous
 * write had them (a `tsdbt compile` of an unchanged project), so the `nodes` part is the previous
 * one to the byte. The copy is the kernel's (no 60 MB read into memory and written out again).
 */
function patchUnchanged(file: string, input: ManifestWriteInput, reuse: ManifestReuse, basis: string): ManifestLayout | null {
  const old = reuse.layout;
  for (const id of reuse.changed) if (input.manifest.nodes[id]) return null;
  const before = old.compiled ?? [];
  const beforeHashes = old.compiledHashes ?? [];
  if (beforeHashes.length !== before.length) return null;
  const compiled: string[] = [];
  const compiledHashes: string[] = [];
  let count = 0;
  // One walk of the 30,000 nodes (a `for...in` lists and sorts the record's keys each time): the
  // unit tests' and functions' sections, written afresh, are gathered on the way.
  const others: Record<Exclude<NodeSection, 'nodes'>, [string, ManifestNode][]> = { unit_tests: [], functions: [] };
  for (const id of recordKeys(input.manifest.nodes)) {
    const node = input.manifest.nodes[id] as ManifestNode;
    const section = sectionOf(node);
    if (section !== 'nodes') {
      others[section].push([id, node]);
      continue;
    }
    count++;
    if (!node.compiled) continue;
    const hash = compiledCodeHash(node);
    if (before[compiled.length] !== id || beforeHashes[compiled.length] !== hash) return null;
    compiled.push(id);
    compiledHashes.push(hash);
  }
  if (compiled.length !== before.length || 2 * count !== old.nodes.length) return null;
  const shape = manifestShape(input, NODES, UNIT_TESTS, FUNCTIONS, sameParseParts(old.basis, basis, reuse.changed));
  const texts = new Map<string, string>();
  for (const [key, value] of Object.entries(shape)) {
    if (!FRESH_PARTS.has(key) || value === PARSE_COPY) continue; // `nodes` and the rest: the previous file's bytes, as the writer would copy them
    if (value === UNIT_TESTS) texts.set(key, sectionText(others.unit_tests, unitTestJson));
    else if (value === FUNCTIONS) texts.set(key, sectionText(others.functions, (node) => nodeJsonObject(node)));
    else texts.set(key, knownMapJson(value) ?? JSON.stringify(value) ?? 'null');
  }
  if (!patchManifestCopy(file, old, Object.keys(shape), texts)) return null;
  const stat = statSync(file);
  const layout: ManifestLayout = { stamp: [stat.size, stat.mtimeMs], basis, ids: old.ids, parts: old.parts, nodes: old.nodes };
  if (compiled.length > 0) {
    layout.compiled = compiled;
    layout.compiledHashes = compiledHashes;
  }
  return layout;
}

/** A section of nodes written afresh (unit tests, functions; by id, in the manifest's order) as the streamed writer writes it. */
function sectionText(nodes: readonly [string, ManifestNode][], json: (node: ManifestNode) => unknown): string {
  let text = '';
  for (const [id, node] of nodes) text += `${text ? ',' : ''}${JSON.stringify(id)}:${JSON.stringify(json(node))}`;
  return `{${text}}`;
}

/**
 * Writes manifest.json node by node (the same text JSON.stringify(manifestJson(...)) gives): no
 * second copy of every node and no 60 MB string for a 10,000-model project, which kept the peak
 * memory of a parse 100 MB higher. With `reuse` (tsdbt parse after a partial parse) the parts
 * that did not change are copied from the previous file. Written through a temporary file and a
 * rename: a killed command leaves the previous manifest.json whole. Returns the new layout.
 */
export async function writeManifest(input: ManifestWriteInput, reuse?: ManifestReuse, basis = ''): Promise<{ file: string; layout: ManifestLayout }> {
  const file = path.join(input.targetDir, 'manifest.json');
  await makeDir(input.targetDir);
  const sections = sectionIds(input.manifest);
  const ids = nodeIdsDigest(sections.nodes);
  const usable = intact(file, input, reuse, ids);
  const patched = usable ? patchUnchanged(file, input, reuse, basis) : null;
  if (patched) return { file, layout: patched };
  const previous = usable ? reusable(file, reuse) : null;
  const tmp = `${file}.${process.pid}.tmp`;
  const out = new ChunkedWriter(tmp);
  const layout: ManifestLayout = { stamp: [0, 0], basis, ids, parts: {}, nodes: [] };
  const compiled: string[] = [];
  const compiledHashes: string[] = [];
  const compiledBefore = previous ? compiledCodeHashes(reuse?.layout) : null;
  try {
    const nodeText = nodeTexts();
    const oldNodes = reuse?.layout.nodes ?? [];
    const entries = (section: NodeSection, text: (node: ManifestNode, out: ChunkedWriter) => void) => {
      // Only `nodes` are copied from the previous file; unit tests and functions are written afresh.
      const unit = section !== 'nodes';
      out.write('{');
      let first = true;
      let index = 0;
      // A run of copied nodes is copied in one piece, the `,"id":` between them included: the ids
      // are the previous file's, in its order (layout.ids), so its bytes between two nodes are the
      // ones this writer would write. `run` is the previous file's offset where the run starts.
      let run = -1;
      let runEnd = 0;
      let delta = 0;
      const endRun = () => {
        if (run < 0 || !previous) return; // (a run starts only with `previous`; the check narrows its type)
        out.write(previous.subarray(run, runEnd));
        run = -1;
      };
      for (const id of sections[section]) {
        const node = input.manifest.nodes[id] as ManifestNode;
        // A node compiled now is copied when the previous write had it compiled to the same text
        // (a compile of an unchanged project), any other when the previous write had it uncompiled.
        const hash = !unit && node.compiled ? compiledCodeHash(node) : undefined;
        if (hash !== undefined) {
          compiled.push(id);
          compiledHashes.push(hash);
        }
        const copied = !unit && previous !== null && 2 * index + 1 < oldNodes.length && !reuse?.changed.has(id) && compiledBefore?.get(id) === hash;
        if (copied && run >= 0) {
          runEnd = oldNodes[2 * index + 1] as number;
          layout.nodes.push((oldNodes[2 * index] as number) + delta, runEnd + delta);
          index++;
          continue;
        }
        endRun();
        out.write(`${first ? '' : ','}${JSON.stringify(id)}:`);
        first = false;
        const start = out.offset;
        if (copied) {
          run = oldNodes[2 * index] as number;
          runEnd = oldNodes[2 * index + 1] as number;
          delta = start - run;
          layout.nodes.push(start, runEnd + delta);
        } else {
          text(node, out);
          if (!unit) layout.nodes.push(start, out.offset);
        }
        if (!unit) index++;
      }
      endRun();
      out.write('}');
    };
    out.write('{');
    let first = true;
    const copyParseParts = previous !== null && reuse !== undefined && PARSE_KEYS.every((key) => reuse.layout.parts[key]) && sameParseParts(reuse.layout.basis, basis, reuse.changed);
    for (const [key, value] of Object.entries(manifestShape(input, NODES, UNIT_TESTS, FUNCTIONS, copyParseParts))) {
      out.write(`${first ? '' : ','}${JSON.stringify(key)}:`);
      first = false;
      const start = out.offset;
      const old = reuse?.layout.parts[key];
      if (value === NODES) entries('nodes', nodeText);
      else if (previous && old && (!FRESH_PARTS.has(key) || value === PARSE_COPY)) out.write(previous.subarray(old[0], old[1]));
      else if (value === UNIT_TESTS) entries('unit_tests', (node, to) => to.write(JSON.stringify(unitTestJson(node))));
      else if (value === FUNCTIONS) entries('functions', (node, to) => to.write(JSON.stringify(nodeJsonObject(node))));
      else out.write(knownMapJson(value) ?? JSON.stringify(value) ?? 'null');
      layout.parts[key] = [start, out.offset];
    }
    out.write('}');
    out.close();
    renameSync(tmp, file);
  } catch (err) {
    out.close();
    rmSync(tmp, { force: true });
    throw err;
  }
  const stat = statSync(file);
  layout.stamp = [stat.size, stat.mtimeMs];
  if (compiled.length > 0) {
    layout.compiled = compiled;
    layout.compiledHashes = compiledHashes;
  }
  return { file, layout };
}

/**
 * What identifies a compiled node's `compiled_code` in the layout (a digest of the text), and a
 * hook's `index`, which a run sets at its hooks' compile (project-hooks.ts) and a compile does not.
 */
function compiledCodeHash(node: ManifestNode): string {
  const foreignKeys = node.compiled_foreign_keys ? JSON.stringify(node.compiled_foreign_keys) : '';
  const code = foreignKeys === '' ? (node.compiled_code ?? '') : `${node.compiled_code ?? ''}\0${foreignKeys}`;
  return digest('sha1', node.resource_type === 'operation' ? `${code}\0${String(node.index)}` : code, 'base64');
}

/**
 * The nodes the layout's write had compiled, each with its compiled_code's digest (undefined where
 * the layout has none: a layout of before the digests, whose compiled nodes are written afresh).
 */
function compiledCodeHashes(layout: ManifestLayout | undefined): Map<string, string | undefined> {
  const ids = layout?.compiled ?? [];
  const hashes = layout?.compiledHashes?.length === ids.length ? layout.compiledHashes : undefined;
  return new Map(ids.map((id, i) => [id, hashes?.[i] ?? '']));
}

/**
 * Writes a node's manifest.json text (JSON.stringify(nodeJsonObject(node))), with the text of its
 * config made once per config object and resource type: the parse shares equal configs
 * (graph/shared-configs.ts), so 30,000 nodes need a few dozen config texts, not 30,000 config
 * objects of 30 keys each. The config goes in where a marker string stood, which no project text
 * holds (it carries a random id). The text is written in three pieces, the config's between the
 * two slices of the node's around the marker: one string spliced of the three was a new copy of
 * every node's text (58 MB for 30,000 nodes) made only to be encoded once.
 */
function nodeTexts(): (node: ManifestNode, out: ChunkedWriter) => void {
  const marker = `\u0000config:${randomUUID()}`;
  const markerText = `"config":${JSON.stringify(marker)}`;
  const configTexts = new Map<object, Partial<Record<string, string>>>();
  return (node, out) => {
    let byType = configTexts.get(node.config);
    if (!byType) configTexts.set(node.config, (byType = {}));
    const configText = (byType[node.resource_type] ??= `"config":${JSON.stringify(dbtConfigJson(node.resource_type, node.config))}`);
    const text = JSON.stringify(nodeJsonObject(node, marker));
    const at = text.indexOf(markerText);
    out.write(text.slice(0, at));
    out.write(configText);
    out.write(text.slice(at + markerText.length));
  };
}

/**
 * Parts written afresh even when the rest is copied: the metadata, the maps a changed ref changes,
 * and the unit tests (a few, and what a command did to them is not tracked).
 */
const PARSE_KEYS = [...PARSE_PARTS];
const FRESH_PARTS = new Set(['metadata', 'parent_map', 'child_map', 'group_map', 'unit_tests', 'functions', 'disabled']);

