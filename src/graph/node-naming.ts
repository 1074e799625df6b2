// Schema, alias and database names of nodes, through generate_schema_name / generate_alias_name /
// generate_database_name exactly as dbt calls them. When the project does not override a macro,
// the built-in rule is computed directly (no template render per node: parsing stays fast).
import type { ManifestNode } from '../manifest/types.js';

export interface NamingMacros {
  /**
   * True when a node of `packageName` is named by a macro other than dbt's built-in rule: the root
   * project overrides the macro (or its default__ implementation), or the node's own package
   * brings the macro (dbt's RelationUpdate gives a package's nodes the package's own).
   */
  overridden(name: 'generate_schema_name' | 'generate_alias_name' | 'generate_database_name', packageName: string): boolean;
  /** Calls the macro in the node's context and returns its result as a trimmed string. */
  call(name: string, args: unknown[], node: ManifestNode): string;
}

export interface TargetNames {
  schema: string;
  database: string;
}

export function nodeSchema(node: ManifestNode, target: TargetNames, macros: NamingMacros): string {
  // Snapshots' legacy `target_schema` is used as written (dbt < 1.9 semantics, still honoured).
  if (node.resource_type === 'snapshot' && typeof node.config.target_schema === 'string') return node.config.target_schema;
  const custom = node.config.schema ?? null;
  if (!macros.overridden('generate_schema_name', node.package_name)) return custom === null ? target.schema : `${target.schema}_${custom.trim()}`;
  return macros.call('generate_schema_name', [custom, node], node);
}

export function nodeAlias(node: ManifestNode, macros: NamingMacros): string {
  const custom = node.config.alias ?? null;
  // dbt's default__generate_alias_name: a version's relation is `<name>_v<v>` ('.' in v becomes '_').
  if (!macros.overridden('generate_alias_name', node.package_name)) return custom ? custom.trim() : node.version ? `${node.name}_v${String(node.version).replaceAll('.', '_')}` : node.name;
  return macros.call('generate_alias_name', [custom, node], node);
}

export function nodeDatabase(node: ManifestNode, target: TargetNames, macros: NamingMacros): string {
  if (node.resource_type === 'snapshot' && typeof node.config.target_database === 'string') return node.config.target_database;
  const custom = node.config.database ?? null;
  if (!macros.overridden('generate_database_name', node.package_name)) return custom ?? target.database;
  return macros.call('generate_database_name', [custom, node], node);
}
