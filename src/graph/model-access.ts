// dbt's model governance checks at parse (parser/base.py, parser/manifest.py): a model's `access`
// is private, protected or public (InvalidAccessTypeError), an ephemeral model cannot be public
// (check_valid_access_property), and every `group` a node, metric, semantic model or saved query
// names is declared (check_valid_group_config). Which nodes may ref a private model is RefIndex's.
// A generic test takes its attached node's group (inheritAttachedGroups).
import { TsdbtError } from '../errors/tsdbt-error.js';
import { propertyLocation } from '../manifest/property-location.js';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import { recordValues } from '../manifest/record-values.js';

const ACCESS = new Set(['private', 'protected', 'public']);

export function checkAccessAndGroups(manifest: Manifest, fail: (err: TsdbtError) => void): void {
  const declared = Object.values(manifest.declared ?? {});
  const groups = new Set(declared.filter((r) => r.resource_type === 'group').map((r) => r.name));
  for (const node of recordValues(manifest.nodes)) {
    const access = node.config.access;
    if (node.resource_type === 'model' && access !== undefined && access !== null) {
      if (typeof access !== 'string' || !ACCESS.has(access)) {
        fail(new TsdbtError(`Node ${node.unique_id} has an invalid value (${String(access)}) for the access field`, { code: 'invalid-access', location: propertyLocation(node), hint: 'access is private, protected (the default) or public' }));
      } else if (access === 'public' && node.config.materialized === 'ephemeral') {
        fail(new TsdbtError(`Node ${node.unique_id} with 'ephemeral' materialization has an invalid value (public) for the access field`, { code: 'invalid-access', location: propertyLocation(node), hint: 'an ephemeral model is no relation others can read: make it protected, or materialize it as a view or table' }));
      }
    }
    checkGroup(node.config.group, node.unique_id, propertyLocation(node), groups, fail);
  }
  for (const resource of declared) {
    if (resource.resource_type === 'group' || resource.resource_type === 'exposure') continue;
    checkGroup(resource.config.group, resource.unique_id, { file: resource.original_file_path, line: resource.line }, groups, fail);
  }
}

/**
 * dbt's schema test parser: "Generic test node inherits attached node's group config value", so
 * manifest.json's `group` of a test on a model of group `finance` is `finance` whatever the test's
 * own config says (its config.group stays its own).
 */
export function inheritAttachedGroups(manifest: Manifest): void {
  for (const node of recordValues(manifest.nodes)) {
    if (node.resource_type !== 'test' || !node.attached_node) continue;
    const group = manifest.nodes[node.attached_node]?.config.group;
    node.group = typeof group === 'string' && group !== '' ? group : null;
  }
}

/** The group manifest.json gives a node: a generic test's attached node's (inheritAttachedGroups), else its config's. */
export function nodeGroup(node: ManifestNode): string | null {
  if (node.group !== undefined) return node.group;
  return typeof node.config.group === 'string' ? node.config.group : null;
}

function checkGroup(group: unknown, uniqueId: string, location: { file: string; line?: number }, groups: Set<string>, fail: (err: TsdbtError) => void): void {
  if (group === undefined || group === null || group === '' || (typeof group === 'string' && groups.has(group))) return;
  const known = [...groups].sort();
  fail(
    new TsdbtError(`Invalid group '${String(group)}', expected one of [${known.map((g) => `'${g}'`).join(', ')}]`, {
      code: 'invalid-group',
      location,
      hint: known.length ? `${uniqueId}: name one of the declared groups, or declare '${String(group)}' under \`groups:\` in a property file` : `${uniqueId}: declare '${String(group)}' under \`groups:\` in a property file (with an owner)`,
    }),
  );
}
