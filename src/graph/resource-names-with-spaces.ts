// dbt 1.11's check_for_spaces_in_resource_names (parser/manifest.py), run once every node is
// parsed: a node (model, seed, snapshot, test, analysis...) whose name holds a space, e.g. a file
// `models/model with spaces.sql`. With the behaviour flag `require_resource_names_without_spaces`
// (dbt_project.yml's `flags:`, true by default since dbt 1.10) dbt refuses the project with one
// error listing every such node; set to false, it warns once (ResourceNamesWithSpacesDeprecation,
// with the count), as dbt's "legacy behaviors" page describes, after SpacesInResourceNameDeprecation
// naming the first such node (every one under --debug; dbt fires that one with fire_event, not
// warn_or_error: logger.ts).
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { YamlWarning } from '../config/yaml-file.js';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import { recordValues } from '../manifest/record-values.js';

const LEGACY_BEHAVIORS = 'https://docs.getdbt.com/reference/global-configs/legacy-behaviors';

/**
 * Whether nodes named with a space only warn: the behaviour flag set to false. Those warnings
 * depend on --debug (resourceNamesWithSpacesWarnings), so a parse's replay records it then.
 */
export function spacedNamesOnlyWarn(flags: Readonly<Record<string, unknown>> | undefined): boolean {
  return flags?.require_resource_names_without_spaces === false;
}

function spacedNodes(manifest: Manifest): ManifestNode[] {
  // dbt walks manifest.nodes, which holds no unit tests (tsdbt keeps them among its nodes).
  return recordValues(manifest.nodes).filter((node) => node.resource_type !== 'unit_test' && node.name.includes(' '));
}

/** The error for nodes named with a space while the flag is on (its default); null when none is. */
export function resourceNamesWithSpacesError(manifest: Manifest): TsdbtError | null {
  const spaced = spacedNodes(manifest);
  const first = spaced[0];
  if (!first) return null;
  const listed = spaced.map((node) => `  * '${node.unique_id}' (${node.original_file_path})`).join('\n');
  return new TsdbtError(`Resource names cannot contain spaces:\n${listed}\nPlease rename the invalid model(s) so that their name(s) do not contain any spaces.`, {
    code: 'resource-name-spaces',
    location: { file: first.original_file_path, line: first.line },
    hint: `rename the file (a node's name is its file name), or set \`flags: {require_resource_names_without_spaces: false}\` in dbt_project.yml to warn instead (${LEGACY_BEHAVIORS})`,
  });
}

/**
 * The warnings with the flag off, made on every load (they depend on --debug, which a cached parse
 * does not know): SpacesInResourceNameDeprecation for the first such node, for every one under
 * --debug, then ResourceNamesWithSpacesDeprecation with the count, which says "Run again with
 * `--debug` to see them all." without --debug.
 */
export function resourceNamesWithSpacesWarnings(manifest: Manifest, debug: boolean): YamlWarning[] {
  const spaced = spacedNodes(manifest);
  const first = spaced[0];
  if (!first) return [];
  const named = (debug ? spaced : [first]).map((node): YamlWarning => ({
    event: 'SpacesInResourceNameDeprecation',
    message: `Found spaces in the name of \`${node.unique_id}\``,
    location: { file: node.original_file_path, line: node.line },
  }));
  const hint = debug ? '' : ' Run again with `--debug` to see them all.';
  return [
    ...named,
    {
      event: 'ResourceNamesWithSpacesDeprecation',
      message: `Spaces found in ${spaced.length} resource name(s). This is deprecated, and may lead to errors when using dbt.${hint} For more information: ${LEGACY_BEHAVIORS}`,
      location: { file: first.original_file_path, line: first.line },
    },
  ];
}
