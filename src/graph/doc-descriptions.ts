// Descriptions rendered as dbt renders them after parsing (ManifestLoader.process_docs): every
// description of a node and its columns, of a source, its table and columns, and of exposures and
// the other declared resources (a semantic model's dimensions, measures and entities too), of
// macros and their documented arguments, goes through Jinja in dbt's docs context, whose `doc('name')` (or
// `doc('package', 'name')`) is a `{% docs %}` block's text. So manifest.json, persist_docs' comments
// and the docs site all see the block's text, not `{{ doc(...) }}`. A doc no package defines is
// dbt's DocTargetNotFoundError, at the description's file and line.
import type { ParsePhase } from '../compile/parse-phase.js';
import { TsdbtError, type SourceLocation } from '../errors/tsdbt-error.js';
import type { ColumnDef, DocNode, Manifest, ManifestNode } from '../manifest/types.js';
import type { PatchEntry } from './patch-entry.js';
import { recordValues } from '../manifest/record-values.js';
import { nodePatch } from '../manifest/node-patch.js';

const NO_BLOCKS: string[] = [];

interface Described {
  unique_id: string;
  package_name: string;
}

/** dbt's Manifest.resolve_doc: the named package, else the root project, the node's package, then any. */
function docResolver(manifest: Manifest, rootProject: string): (name: string, pkg: string | null, nodePackage: string) => DocNode | undefined {
  const byName = new Map<string, DocNode[]>();
  for (const doc of Object.values(manifest.docs)) byName.set(doc.name, [...(byName.get(doc.name) ?? []), doc]);
  return (name, pkg, nodePackage) => {
    const docs = byName.get(name) ?? [];
    const order: (string | null)[] = pkg !== null ? [pkg] : rootProject === nodePackage ? [rootProject, null] : [rootProject, nodePackage, null];
    for (const p of order) {
      const found = docs.find((d) => p === null || d.package_name === p);
      if (found) return found;
    }
    return undefined;
  };
}

const hasJinja = (text: string) => text.includes('{{') || text.includes('{%');

/** `{{ doc('name') }}` or `{{ doc('package', 'name') }}`: an output that is the call and nothing more. */
const DOC_OUTPUT = /\{\{-?\s*doc\(\s*(['"])((?:(?!\1).)*)\1\s*(?:,\s*(['"])((?:(?!\3).)*)\3\s*)?\)\s*-?\}\}/g;

/**
 * dbt's _get_doc_blocks: the doc blocks of the outputs that are a doc() call of constant names,
 * read from the text, not from rendering it (`{{ doc('x').format(...) }}` or a doc() inside other
 * Jinja gives none), each resolved as doc() resolves it; names that resolve to nothing are left out.
 */
function docBlocksOf(text: string, resolve: (name: string, pkg: string | null) => DocNode | undefined): string[] {
  const blocks: string[] = [];
  for (const m of text.matchAll(DOC_OUTPUT)) {
    const [pkg, name] = m[3] !== undefined ? [m[2] ?? '', m[4] ?? ''] : [null, m[2] ?? ''];
    const found = resolve(name, pkg);
    if (found) blocks.push(found.unique_id);
  }
  return blocks.length > 0 ? blocks : NO_BLOCKS;
}

/** Renders descriptions in place: all of the manifest's, or (partial parsing) those of the given nodes. */
export function renderDescriptions(manifest: Manifest, session: ParsePhase, rootProject: string, only?: ManifestNode[]): void {
  const resolve = docResolver(manifest, rootProject);
  // The text renders the same for every resource of a package (doc(), var() and env_var() resolve by package).
  const rendered = new Map<string, { text: string; blocks: string[] }>();
  /** The rendered text and (dbt's doc_blocks) the unique_ids of the doc blocks it read. */
  const describe = (text: string, owner: Described, location: SourceLocation): { text: string; blocks: string[] } => {
    if (!text || !hasJinja(text)) return { text, blocks: NO_BLOCKS };
    const key = `${owner.package_name}\u0000${text}`;
    const known = rendered.get(key);
    if (known !== undefined) return known;
    const doc = (...args: unknown[]): string => {
      if (args.length < 1 || args.length > 2) throw new TsdbtError(`doc() takes at most two arguments (${args.length} given)`, { code: 'doc-args', location, hint: "call doc('name') or doc('package', 'name')" });
      const [pkg, name] = args.length === 2 ? [String(args[0]), String(args[1])] : [null, String(args[0])];
      const found = resolve(name, pkg, owner.package_name);
      if (found) return found.block_contents;
      throw new TsdbtError(`Documentation for '${owner.unique_id}' depends on doc '${name}' ${pkg !== null ? `in package '${pkg}' ` : ''}which was not found`, {
        code: 'doc-not-found',
        location,
        hint: `define it in a .md file of the project: {% docs ${name} %}...{% enddocs %}, or correct the name`,
      });
    };
    try {
      const result = { text: session.renderPropertyValue(text, location, owner.package_name, { doc }), blocks: docBlocksOf(text, (name, pkg) => resolve(name, pkg, owner.package_name)) };
      rendered.set(key, result);
      return result;
    } catch (err) {
      session.fail(err);
      return { text, blocks: NO_BLOCKS };
    }
  };
  const render = (text: string, owner: Described, location: SourceLocation): string => describe(text, owner, location).text;
  /**
   * Renders a resource's or column's description and sets its doc_blocks (left unset when none):
   * read from the description only, so a `doc_blocks:` written in a column's entry (kept with its
   * other keys) is dropped, as dbt 1.10+ drops it (its back-compat for the old list of names).
   */
  const document = (target: { description: string; doc_blocks?: string[] }, owner: Described, location: SourceLocation) => {
    const { text, blocks } = describe(target.description, owner, location);
    target.description = text;
    if (blocks.length > 0) target.doc_blocks = blocks;
    else if (target.doc_blocks !== undefined) delete target.doc_blocks;
  };
  const columns = (cols: Record<string, ColumnDef>, owner: Described, at: (c: ColumnDef) => SourceLocation) => {
    for (const column of Object.values(cols)) document(column, owner, at(column));
  };

  for (const node of only ?? recordValues(manifest.nodes)) {
    const patch = nodePatch<PatchEntry>(node);
    const where: SourceLocation = patch?.location ?? { file: node.original_file_path };
    document(node, node, where);
    columns(node.columns, node, (c) => (patch?.columns?.find((p) => p.name === c.name) as { location?: SourceLocation } | undefined)?.location ?? where);
  }
  if (only) return;
  for (const table of recordValues(manifest.sources)) {
    const where = { file: table.original_file_path, line: table.line };
    document(table, table, where);
    table.source_description = render(table.source_description, table, where);
    columns(table.columns, table, () => where);
  }
  for (const resource of Object.values(manifest.declared ?? {})) {
    const where = { file: resource.original_file_path, line: resource.line };
    resource.description = render(resource.description, resource, where);
    if (resource.resource_type !== 'semantic_model') continue;
    // dbt's _process_docs_for_semantic_model: its dimensions', measures' and entities' too.
    for (const key of ['dimensions', 'measures', 'entities']) {
      const parts = resource.properties[key];
      if (!Array.isArray(parts)) continue;
      for (const part of parts as unknown[]) {
        if (typeof part === 'object' && part !== null && typeof (part as { description?: unknown }).description === 'string') {
          const described = part as { description: string };
          described.description = render(described.description, resource, where);
        }
      }
    }
  }
  for (const macro of Object.values(manifest.macros)) {
    const where = macro.patch?.location ?? { file: macro.original_file_path, line: macro.line };
    macro.description = render(macro.description, macro, where);
    for (const argument of macro.patch?.arguments ?? []) argument.description = render(argument.description, macro, where);
  }
}
