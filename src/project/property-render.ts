// Jinja in property files (schema.yml), rendered at parse time as dbt's SchemaYamlRenderer does:
// every value of a models / seeds / snapshots / analyses / sources / unit_tests entry renders
// natively with `target`, `var` and `env_var` (`config: {schema: "{{ var('s') }}"}`,
// `enabled: "{{ target.name == 'ci' }}"`, a unit test's `tags`), except descriptions (rendered
// later with `doc()`), data tests (their arguments render in the test's own context) and hooks
// (rendered when they run) and a source's loaded_at_query (rendered when `source freshness` runs it).
// Exposures, groups, semantic models, metrics and saved queries render alike (dbt's YamlReader
// renders every entry it reads), but for a metric's filters and a saved query's
// `query_params.where`, MetricFlow's `{{ Dimension('...') }}` templates that dbt keeps as written
// (SchemaYamlRenderer.should_render_keypath).
// A YAML date or datetime (a plain `begin: 2020-01-01`) renders to its isoformat() text, as dbt's
// BaseRenderer.render_value gives it, so a microbatch `begin` written so is valid there.
import { TsdbtError } from '../errors/tsdbt-error.js';
import { isPlainObject, type YamlFile } from '../config/yaml-file.js';
import type { SourceLocation } from '../errors/tsdbt-error.js';
import { isPyTimestamp } from '../jinja/pyyaml-timestamps.js';

/** Renders one value natively (strings with Jinja; anything else comes back as is). */
export type PropertyValueRenderer = (value: string, location: SourceLocation) => unknown;

/** The sections whose entries render (dbt's YamlReader keys). */
export const RENDERED_SECTIONS = ['models', 'seeds', 'snapshots', 'analyses', 'sources', 'unit_tests', 'exposures', 'groups', 'semantic_models', 'metrics', 'saved_queries'] as const;

type Section = (typeof RENDERED_SECTIONS)[number];

/** Whether a value at `keys` (inside one entry of `section`) stays as written. */
function keptAsWritten(section: Section, keys: (string | number)[]): boolean {
  const key = keys[keys.length - 1];
  if (typeof key === 'string' && UNRENDERED.has(key)) return true;
  if (section === 'metrics') return key === 'filter';
  if (section === 'saved_queries') return keys.length === 2 && keys[0] === 'query_params' && keys[1] === 'where';
  return false;
}

/** Keys whose values stay as written, at any depth of an entry. */
const UNRENDERED = new Set(['description', 'tests', 'data_tests', 'pre_hook', 'post_hook', 'pre-hook', 'post-hook', '+pre-hook', '+post-hook', 'loaded_at_query']);

function hasJinja(value: string): boolean {
  return value.includes('{{') || value.includes('{%');
}

/** Renders `value`, at `path` in the file (`[section, index, ...keys]`). */
function renderValue(value: unknown, path: (string | number)[], section: Section, render: PropertyValueRenderer, yaml: YamlFile, errors: TsdbtError[]): unknown {
  if (typeof value === 'string') {
    if (!hasJinja(value)) return value;
    try {
      return render(value, yaml.locate(path));
    } catch (err) {
      if (!(err instanceof TsdbtError)) throw err;
      errors.push(err);
      return value;
    }
  }
  if (isPyTimestamp(value)) return value.isoformat();
  if (Array.isArray(value)) return value.map((v, i) => renderValue(v, [...path, i], section, render, yaml, errors));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const at = [...path, key];
    // path[0] is the section, path[1] the entry's index: what follows is the keypath in the entry.
    out[key] = keptAsWritten(section, at.slice(2)) ? v : renderValue(v, at, section, render, yaml, errors);
  }
  return out;
}

/** The file's top-level mapping with its entries rendered; render errors are collected in `errors`. */
export function renderPropertyEntries(root: Record<string, unknown>, yaml: YamlFile, render: PropertyValueRenderer, errors: TsdbtError[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...root };
  for (const section of RENDERED_SECTIONS) {
    const entries = root[section];
    if (!Array.isArray(entries)) continue;
    out[section] = entries.map((entry, i) => renderValue(entry, [section, i], section, render, yaml, errors));
  }
  return out;
}
