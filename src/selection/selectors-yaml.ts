// selectors.yml: named selectors whose definitions are CLI strings, method dicts
// ({method, value, children, parents, childrens_parents, *_depth, indirect_selection}, or the one-key
// shorthand `{tag: nightly}`), or
// union / intersection lists (with `exclude` inside), and `{method: selector, value: other}`.
import { TsdbtError } from '../errors/tsdbt-error.js';
import { isPlainObject, parseYamlText, renderYamlStrings, type YamlFile } from '../config/yaml-file.js';
import type { SourceLocation } from '../errors/tsdbt-error.js';
import { parseCriterion, parseSelectionWords, type Criterion, type SelectionSpec } from './selection-spec.js';
import type { IndirectSelection } from './selectable-graph.js';

// The definitions' types live with the selection grammar (selection-spec.ts), so the selection code
// compiled for the docs page does not reach the YAML reader.
import type { SelectorDefinition, SelectorDefinitions } from './selection-spec.js';
export type { SelectorDefinition, SelectorDefinitions };

type Path = (string | number)[];

/** Renders a YAML string value (Jinja) where the file's `location` gives it. */
export type SelectorValueRenderer = (template: string, location: SourceLocation) => unknown;

export function parseSelectorsYaml(text: string, file: string, render?: SelectorValueRenderer): SelectorDefinitions {
  const parsed = parseYamlText(text, file);
  const yaml = render ? { ...parsed, value: renderYamlStrings(parsed, parsed.value, [], render) } : parsed;
  const out: SelectorDefinitions = new Map();
  const root = yaml.value;
  if (!isPlainObject(root) || !Array.isArray(root.selectors)) {
    throw new TsdbtError('selectors.yml must have a `selectors:` list', { code: 'selector-invalid', location: { file, line: 1 }, hint: 'selectors:\n  - name: nightly\n    definition: tag:nightly' });
  }
  root.selectors.forEach((entry, i) => {
    const path: Path = ['selectors', i];
    if (!isPlainObject(entry) || typeof entry.name !== 'string' || entry.definition === undefined) {
      throw fail(yaml, path, 'each selector needs a `name` and a `definition`');
    }
    out.set(entry.name, {
      name: entry.name,
      description: typeof entry.description === 'string' ? entry.description : '',
      default: entry.default === true,
      spec: definition(yaml, entry.definition, [...path, 'definition']),
    });
  });
  if ([...out.values()].filter((s) => s.default).length > 1) throw fail(yaml, ['selectors'], 'only one selector can be `default: true`');
  return out;
}

function fail(yaml: YamlFile, path: Path, message: string): TsdbtError {
  return new TsdbtError(message, { code: 'selector-invalid', location: yaml.locate(path), hint: 'see dbt\'s YAML selectors: union/intersection lists of method dicts or CLI strings' });
}

function definition(yaml: YamlFile, value: unknown, path: Path): SelectionSpec {
  if (typeof value === 'string') return parseSelectionWords([value]);
  if (!isPlainObject(value)) throw fail(yaml, path, 'a selector definition must be a string or a mapping');
  for (const op of ['union', 'intersection'] as const) {
    if (op in value) {
      const list = value[op];
      if (!Array.isArray(list)) throw fail(yaml, [...path, op], `\`${op}\` must be a list`);
      const include: SelectionSpec[] = [];
      const exclude: SelectionSpec[] = [];
      list.forEach((item, i) => {
        if (isPlainObject(item) && 'exclude' in item && Object.keys(item).length === 1) {
          const ex = item.exclude;
          (Array.isArray(ex) ? ex : [ex]).forEach((e, j) => exclude.push(definition(yaml, e, [...path, op, i, 'exclude', j])));
        } else include.push(definition(yaml, item, [...path, op, i]));
      });
      const combined: SelectionSpec = { kind: op, components: include };
      return exclude.length ? { kind: 'difference', components: [combined, { kind: 'union', components: exclude }] } : combined;
    }
  }
  if ('exclude' in value && Object.keys(value).length === 1) throw fail(yaml, path, '`exclude` must sit inside a union or intersection list');
  // dbt's key-value shorthand: a mapping of one key is `{method: key, value: value}` (`- tag: nightly`)
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] !== 'method') return definition(yaml, { method: keys[0], value: value[keys[0]!] }, path);
  if (typeof value.method !== 'string' || value.value === undefined) throw fail(yaml, path, 'a method selector needs `method` and `value` (or one `method: value` key)');
  let criterion: Criterion;
  try {
    criterion = parseCriterion(`${value.method}:${String(value.value)}`);
  } catch (err) {
    if (err instanceof TsdbtError) err.location = yaml.locate(path);
    throw err;
  }
  criterion.parents = value.parents === true || value.parents_depth !== undefined;
  criterion.parents_depth = typeof value.parents_depth === 'number' ? value.parents_depth : null;
  criterion.children = value.children === true || value.children_depth !== undefined;
  criterion.children_depth = typeof value.children_depth === 'number' ? value.children_depth : null;
  criterion.childrens_parents = value.childrens_parents === true;
  if (typeof value.indirect_selection === 'string') criterion.indirect_selection = value.indirect_selection as IndirectSelection;
  const spec: SelectionSpec = criterion;
  if (value.exclude !== undefined) {
    const ex = Array.isArray(value.exclude) ? value.exclude : [value.exclude];
    return { kind: 'difference', components: [spec, { kind: 'union', components: ex.map((e, j) => definition(yaml, e, [...path, 'exclude', j])) }] };
  }
  return spec;
}
