// dbt 1.11's _check_resource_uniqueness (parser/manifest.py): two unversioned refable resources of
// one package (model, seed, snapshot) with the same name, e.g. `models/a.sql` and `seeds/a.csv`,
// which `ref('a')` cannot tell apart. By default dbt warns (DuplicateNameDistinctNodeTypesDeprecation);
// with the behaviour flag `require_unique_project_resource_names: true` in dbt_project.yml's
// `flags:`, it raises its DuplicateResourceNameError. Two relational nodes naming one relation
// (database, schema and alias) are its AmbiguousAliasError, always.
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { YamlWarning } from '../config/yaml-file.js';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import { recordValues } from '../manifest/record-values.js';

const REFABLE = new Set(['model', 'seed', 'snapshot']);

export function checkResourceNameUniqueness(manifest: Manifest, requireUnique: boolean, fail: (err: TsdbtError) => void): YamlWarning[] {
  const warnings: YamlWarning[] = [];
  const unversioned = new Map<string, ManifestNode>();
  const relations = new Map<string, ManifestNode>();
  for (const node of recordValues(manifest.nodes)) {
    if (node.resource_type === 'test' && node.relation_name) sameRelation(relations, node, fail); // a test storing its failures
    if (!REFABLE.has(node.resource_type)) continue;
    const versioned = node.version !== undefined && node.version !== null;
    const key = `${node.package_name}\u0000${node.name}`;
    const existing = unversioned.get(key);
    if (existing && !versioned) {
      if (requireUnique) {
        fail(
          new TsdbtError(
            `dbt found two ${existing.resource_type === node.resource_type ? `${node.resource_type}s` : 'resources'} with the name "${node.name}".\n\n` +
              `Since these resources have the same name, dbt will be unable to find the correct resource\nwhen looking for ref("${node.name}").\n\n` +
              `To fix this, change the name of one of these resources:\n- ${existing.unique_id} (${existing.original_file_path})\n- ${node.unique_id} (${node.original_file_path})`,
            { code: 'duplicate-node', location: { file: node.original_file_path, line: node.line }, hint: 'rename one of them (names of models, seeds and snapshots must be unique within a package)' },
          ),
        );
      } else {
        warnings.push({
          event: 'DuplicateNameDistinctNodeTypesDeprecation',
          message: `Found resources with the same name '${node.name}' in package '${node.package_name}': '${existing.unique_id}' and '${node.unique_id}'. Please update one of the resources to have a unique name.`,
          location: { file: node.original_file_path, line: node.line },
        });
      }
    }
    if (!versioned) unversioned.set(key, node);
    if (sameRelation(relations, node, fail)) break;
  }
  return warnings;
}

/**
 * dbt's AmbiguousAliasError, in the same walk: two relational nodes (models, ephemeral ones too,
 * seeds, snapshots, tests storing failures) whose database, schema and alias name one relation,
 * e.g. a model of the root project and one of a package with the same name. True when refused.
 */
function sameRelation(relations: Map<string, ManifestNode>, node: ManifestNode, fail: (err: TsdbtError) => void): boolean {
  const name = node.relation_name ?? [node.database, node.schema, node.alias].filter((part) => part !== null && part !== undefined && part !== '').map((part) => `"${String(part)}"`).join('.');
  const existing = relations.get(name);
  if (!existing) {
    relations.set(name, node);
    return false;
  }
  fail(
    new TsdbtError(
      `dbt found two resources with the database representation "${name}".\ndbt cannot create two resources with identical database representations. To fix this,\nchange the configuration of one of these resources:\n- ${existing.unique_id} (${existing.original_file_path})\n- ${node.unique_id} (${node.original_file_path})`,
      { code: 'ambiguous-alias', location: { file: node.original_file_path, line: node.line }, hint: 'give one of them another alias or schema (config alias=... / schema=...), or disable one' },
    ),
  );
  return true;
}
