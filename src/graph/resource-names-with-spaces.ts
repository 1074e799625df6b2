// dbt 1.11's check_for_spaces_in_resource_names (parser/manifest.py), run once every node is
// parsed: a node (model, seed, snapshot, test, analysis...) whose name holds a space, e.g. a file
// `models/model with spaces.sql`. With the behaviour flag `require_resource_names_without_spaces`
// (dbt_project.yml's `flags:`, true by default since dbt 1.10) dbt refuses the project with one
// error listing every such node; set to false, it warns once (ResourceNamesWithSpacesDeprecation,
// with the count), as dbt's "legacy behaviors" page describes, after SpacesInResourceNameDeprecation
// naming the first such node (dbt fires that one with fire_event, not warn_or_error: logger.ts).
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { YamlWarning } from '../config/yaml-file.js';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import { recordValues } from '../manifest/record-values.js';

const LEGACY_BEHAVIORS = 'https://docs.getdbt.com/reference/global-configs/legacy-behaviors';

/** The error (flag on) or the deprecation warning (flag off) for nodes named with a space; null when none is. */
export function checkResourceNamesWithSpaces(manifest: Manifest, requireWithoutSpaces: boolean): { error: TsdbtError | null; warnings: YamlWarning[] } {
  const spaced: ManifestNode[] = [];
  // dbt walks manifest.nodes, which holds no unit tests (tsdbt keeps them among its nodes).
  for (const node of recordValues(manifest.nodes)) if (node.resource_type !== 'unit_test' && node.name.includes(' ')) spaced.push(node);
  const first = spaced[0];
  if (!first) return { error: null, warnings: [] };
  const location = { file: first.original_file_path, line: first.line };
  if (!requireWithoutSpaces) {
    return {
      error: null,
      warnings: [
        { event: 'SpacesInResourceNameDeprecation', message: `Found spaces in the name of \`${first.unique_id}\``, location },
        // dbt's words, but for its "Run again with `--debug` to see them all": tsdbt names the first above, and --debug adds none.
        {
          event: 'ResourceNamesWithSpacesDeprecation',
          message: `Spaces found in ${spaced.length} resource name(s). This is deprecated, and may lead to errors when using dbt. For more information: ${LEGACY_BEHAVIORS}`,
          location,
        },
      ],
    };
  }
  const listed = spaced.map((node) => `  * '${node.unique_id}' (${node.original_file_path})`).join('\n');
  return {
    error: new TsdbtError(`Resource names cannot contain spaces:\n${listed}\nPlease rename the invalid model(s) so that their name(s) do not contain any spaces.`, {
      code: 'resource-name-spaces',
      location,
      hint: `rename the file (a node's name is its file name), or set \`flags: {require_resource_names_without_spaces: false}\` in dbt_project.yml to warn instead (${LEGACY_BEHAVIORS})`,
    }),
    warnings: [],
  };
}
