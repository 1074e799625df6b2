// Snapshots: `{% snapshot name %} ... {% endsnapshot %}` blocks in snapshot files, and the dbt 1.9
// YAML form (`snapshots: - name, relation: ref('x'), config: {...}`). Each becomes a node whose SQL
// is the block's body (or `select * from <relation>`), parsed like a model. A block's fqn names its
// file (`demo.snap_file.my_snapshot`, so dbt_project.yml's `snapshots: demo: snap_file:` reaches
// it), a YAML snapshot's does not, as dbt's parsers give them.
import path from 'node:path';
import type { ProjectConfig } from '../config/types.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { ProjectFile, SchemaFile } from '../project/types.js';
import { snapshotBlocks, type ParsePhase } from '../compile/parse-phase.js';
import { parseSqlNode } from './parse-sql-nodes.js';
import type { ManifestNode } from '../manifest/types.js';
import type { Unparsed } from './unparsed.js';

interface PatchLike {
  config?: Record<string, unknown>;
  writtenConfig?: Record<string, unknown>;
}

export function parseSnapshotFile(
  session: ParsePhase,
  project: ProjectConfig,
  file: ProjectFile,
  patches: Map<string, PatchLike>,
  packageName: string,
  unparsed: Unparsed,
): ManifestNode[] {
  let blocks;
  try {
    blocks = snapshotBlocks(session, file);
  } catch (err) {
    session.fail(err, file.path);
    unparsed.snapshotFile(file.content ?? '');
    return [];
  }
  const nodes: ManifestNode[] = [];
  for (const block of blocks) {
    const node = parseSqlNode(
      session,
      project,
      // The node's checksum is its file's (dbt: `block.file.checksum`, the stripped file's sha256), every block of a file sharing it.
      { resourceType: 'snapshot', path: file.path, absPath: file.absPath, content: block.body ?? '', resourceDir: file.resourceDir, packageName, name: block.name, line: block.line, fqnIncludesFile: true, checksumOf: file.content ?? '' },
      patches.get(`snapshot:${block.name}`)?.config,
      patches.get(`snapshot:${block.name}`)?.writtenConfig,
    );
    if (node) nodes.push(node);
    else unparsed.node(block.name);
  }
  return nodes;
}

export function parseYamlSnapshots(session: ParsePhase, project: ProjectConfig, schemaFile: SchemaFile, packageName: string, unparsed: Unparsed): ManifestNode[] {
  const nodes: ManifestNode[] = [];
  for (const entry of schemaFile.snapshots) {
    const relation = entry.relation ?? (entry.config as { relation?: unknown }).relation;
    if (relation === undefined) continue; // a property entry for a block snapshot
    if (typeof relation !== 'string') {
      session.fail(new TsdbtError(`snapshot '${entry.name}': relation must be a ref() or source() call`, { code: 'snapshot-invalid', location: entry.location, hint: "write relation: ref('my_model')" }));
      continue;
    }
    const expr = relation.replace(/^\s*\{\{|\}\}\s*$/g, '').trim();
    const node = parseSqlNode(
      session,
      project,
      {
        resourceType: 'snapshot',
        path: entry.location.file,
        absPath: path.join(project.projectDir, entry.location.file),
        content: `select * from {{ ${expr} }}`,
        resourceDir: entry.location.file.split('/')[0] ?? '',
        packageName,
        name: entry.name,
        line: entry.location.line,
      },
      entry.config,
      entry.writtenConfig,
    );
    if (node) {
      // dbt's _add_yaml_snapshot_nodes_to_manifest: the node's path is `<property file>/<name>.sql`,
      // so its compiled and run files sit in a folder named after the property file.
      node.path = path.posix.join(node.path, `${entry.name}.sql`);
      nodes.push(node);
    } else unparsed.node(entry.name);
  }
  return nodes;
}
