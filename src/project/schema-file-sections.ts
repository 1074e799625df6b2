// dbt's validate_yaml (parser/read_files.py), run on a property file as it is read, before any
// entry is parsed: each resource section (schema_file_keys, parser/common.py) is a list of
// mappings that each have a `name`; the first that is not stops the parse with dbt's words.
import { TsdbtError } from '../errors/tsdbt-error.js';
import { isPlainObject, type YamlFile } from '../config/yaml-file.js';

/** dbt's schema_file_keys, in its order (the first problem found is the one reported). */
const SECTIONS = ['models', 'seeds', 'snapshots', 'sources', 'macros', 'analyses', 'exposures', 'metrics', 'semantic_models', 'saved_queries', 'functions'] as const;

export function checkSchemaFileSections(doc: Record<string, unknown>, file: string, locate: YamlFile['locate']): void {
  const invalid = (why: string, path: (string | number)[], hint: string) =>
    new TsdbtError(`The schema file at ${file} is invalid because ${why}`, { code: 'schema-invalid', location: locate(path), hint });
  for (const key of SECTIONS) {
    if (!(key in doc)) continue;
    const section = doc[key];
    if (!Array.isArray(section)) throw invalid(`the value of '${key}' is not a list`, [key], `start each entry under \`${key}:\` with '- '`);
    section.forEach((element: unknown, i) => {
      if (!isPlainObject(element)) throw invalid(`a list element for '${key}' is not a dictionary`, [key, i], 'write each entry as a mapping, e.g. `- name: my_model`');
      if (!('name' in element)) throw invalid(`a list element for '${key}' does not have a name attribute.`, [key, i], 'give the entry a `name:`');
    });
  }
}
