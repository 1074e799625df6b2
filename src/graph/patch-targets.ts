// Property-file entries that describe nothing, warned about as dbt does: an entry under models /
// seeds / snapshots / analyses / data_tests naming no such node is NoNodeForYamlKey, one naming a
// node of another kind (a seed under `models:`) WrongResourceSchemaFile, and a macro entry naming
// no macro of its package MacroNotFoundForPatch. Their descriptions and tests would otherwise be
// dropped without a word. A disabled node is not missing. An entry enabling one of several
// disabled nodes of one name is an error (ambiguousEnableError).
import type { SchemaFile } from '../project/types.js';
import type { Manifest, ManifestNode, Warning } from '../manifest/types.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { recordValues } from '../manifest/record-values.js';

const SECTION_TYPE: Record<string, string> = { models: 'model', seeds: 'seed', snapshots: 'snapshot', analyses: 'analysis', functions: 'function', data_tests: 'test', tests: 'test' };
const PLURAL: Record<string, string> = { model: 'models', seed: 'seeds', snapshot: 'snapshots', analysis: 'analyses', function: 'functions', test: 'data_tests' };
const REFERABLE = new Set(['model', 'seed', 'snapshot']);

export function patchTargetWarnings(files: { packageName: string; schemaFile: SchemaFile }[], manifest: Manifest, disabled: ManifestNode[]): Warning[] {
  const byName = new Map<string, ManifestNode[]>();
  for (const node of [...recordValues(manifest.nodes), ...disabled]) {
    if (node.resource_type === 'test' && node.test_metadata) continue; // generic tests are not described by name
    const list = byName.get(node.name) ?? [];
    list.push(node);
    byName.set(node.name, list);
  }
  const out: Warning[] = [];
  for (const { packageName, schemaFile } of files) {
    const entries: { section: string; name: string; location: Warning['location']; yamlSnapshot?: boolean }[] = [
      ...schemaFile.models.map((e) => ({ section: 'models', name: e.name, location: e.location })),
      ...schemaFile.seeds.map((e) => ({ section: 'seeds', name: e.name, location: e.location })),
      // A snapshot with `relation:` is defined by its entry (dbt 1.9), not described by it.
      ...schemaFile.snapshots.map((e) => ({ section: 'snapshots', name: e.name, location: e.location, yamlSnapshot: e.relation !== undefined || (e.config as { relation?: unknown }).relation !== undefined })),
      ...schemaFile.analyses.map((e) => ({ section: 'analyses', name: e.name, location: e.location })),
      ...(schemaFile.functions ?? []).map((e) => ({ section: 'functions', name: e.name, location: e.location })),
      ...(schemaFile.namedPatches ?? []).filter((p) => p.section !== 'macros'),
    ];
    for (const entry of entries) {
      if (entry.yamlSnapshot) continue;
      const wanted = SECTION_TYPE[entry.section] as string;
      const named = byName.get(entry.name) ?? [];
      if (named.some((n) => n.resource_type === wanted)) continue;
      // dbt's ref lookup: a model, seed or snapshot of that name under the wrong section.
      const other = REFERABLE.has(wanted) ? named.find((n) => REFERABLE.has(n.resource_type)) : undefined;
      if (other) {
        const plural = PLURAL[other.resource_type] as string;
        out.push({
          event: 'WrongResourceSchemaFile',
          message: `'${entry.name}' is a ${other.resource_type} node, but it is specified in the ${entry.section} section of ${schemaFile.path}. To fix this error, place the \`${entry.name}\` specification under the ${plural} key instead.`,
          location: entry.location,
        });
        continue;
      }
      out.push({
        event: 'NoNodeForYamlKey',
        message: `Did not find matching node for patch with name '${entry.name}' in the '${entry.section}' section of file '${schemaFile.path}'`,
        location: entry.location,
      });
    }
    for (const patch of (schemaFile.namedPatches ?? []).filter((p) => p.section === 'macros')) {
      if (manifest.macros[`macro.${packageName}.${patch.name}`]) continue;
      out.push({ event: 'MacroNotFoundForPatch', message: `Found patch for macro "${patch.name}" which was not found`, location: patch.location });
    }
  }
  return out;
}

/**
 * dbt's refusal to enable one of several disabled nodes of one name from a property file: an entry
 * whose `config.enabled` is true and that matches no enabled node, but more than one disabled node
 * of its kind in its package, cannot say which to enable.
 */
export function ambiguousEnableError(files: { packageName: string; schemaFile: SchemaFile }[], manifest: Manifest, disabled: ManifestNode[]): TsdbtError | null {
  for (const { packageName, schemaFile } of files) {
    const entries = [...schemaFile.models.map((e) => ({ e, type: 'model' })), ...schemaFile.seeds.map((e) => ({ e, type: 'seed' })), ...schemaFile.snapshots.map((e) => ({ e, type: 'snapshot' })), ...schemaFile.analyses.map((e) => ({ e, type: 'analysis' }))];
    for (const { e, type } of entries) {
      if (!e.config.enabled || manifest.nodes[`${type}.${packageName}.${e.name}`]) continue;
      const found = disabled.filter((n) => n.resource_type === type && n.package_name === packageName && n.name === e.name);
      if (found.length < 2) continue;
      return new TsdbtError(
        `Found ${found.length} matching disabled nodes for ${type} '${e.name}'. Multiple nodes for the same unique id cannot be enabled in the schema file. They must be enabled in \`dbt_project.yml\` or in the sql files.`,
        { code: 'project-invalid', location: e.location, hint: `the disabled ones are ${found.map((n) => n.original_file_path).join(', ')}: enable one of them in its file, or remove \`enabled\` from the entry` },
      );
    }
  }
  return null;
}
