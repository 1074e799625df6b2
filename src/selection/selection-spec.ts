// The selection grammar as data: a criterion (`2+tag:nightly+`, `@model`, `config.materialized:view`)
// and set operations over criteria (union, intersection, difference), parsed from CLI words.
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { IndirectSelection } from './selectable-graph.js';

export interface Criterion {
  kind: 'criterion';
  method: string;
  /** For `config.x.y:` the key path after `config`. */
  methodArgs: string[];
  value: string;
  childrens_parents: boolean;
  parents: boolean;
  parents_depth: number | null;
  children: boolean;
  children_depth: number | null;
  indirect_selection?: IndirectSelection;
  raw: string;
}

export interface SetSpec {
  kind: 'union' | 'intersection' | 'difference';
  components: SelectionSpec[];
  indirect_selection?: IndirectSelection;
}

export type SelectionSpec = Criterion | SetSpec;

const KNOWN_METHODS = new Set([
  'fqn', 'tag', 'path', 'file', 'config', 'resource_type', 'source', 'package', 'test_type', 'test_name',
  'exposure', 'metric', 'state', 'result', 'source_status', 'group', 'access', 'version', 'unit_test',
  'saved_query', 'semantic_model', 'selector',
]);

const CRITERION = /^(@)?(?:(\d*)\+)?(.+?)(?:\+(\d*))?$/;

/** Parses one criterion word such as `2+tag:nightly+1`. */
export function parseCriterion(raw: string): Criterion {
  const match = CRITERION.exec(raw);
  if (!match || !match[3]) throw invalid(raw, 'not a selector');
  const [, at, parentsDepth, body, childrenDepth] = match as unknown as [string, string | undefined, string | undefined, string, string | undefined];
  if (at && (parentsDepth !== undefined || childrenDepth !== undefined)) throw invalid(raw, "'@' cannot be combined with '+'");
  let method = 'fqn';
  let methodArgs: string[] = [];
  let value = body;
  const methodMatch = /^([a-z_]+(?:\.[A-Za-z0-9_]+)*):(.*)$/s.exec(body);
  if (methodMatch) {
    const [m, ...args] = (methodMatch[1] as string).split('.');
    method = m as string;
    methodArgs = args;
    value = methodMatch[2] as string;
    if (!KNOWN_METHODS.has(method)) throw invalid(raw, `unknown selection method '${method}'`);
  } else if (/[/\\]/.test(body) || /\.(yml|yaml|md)$/.test(body)) {
    method = 'path';
  } else if (/\.(sql|csv|py)$/i.test(body)) {
    // dbt's SelectionCriteria.default_method: a bare file name is the `file:` method (`--select my_model.sql`).
    method = 'file';
  }
  if (value === '') throw invalid(raw, 'the value after the method is empty');
  return {
    kind: 'criterion',
    method,
    methodArgs,
    value,
    childrens_parents: Boolean(at),
    parents: parentsDepth !== undefined,
    parents_depth: parentsDepth ? Number(parentsDepth) : null,
    children: childrenDepth !== undefined,
    children_depth: childrenDepth ? Number(childrenDepth) : null,
    raw,
  };
}

/** `--select a b,c` words: spaces are unions, commas intersections. */
export function parseSelectionWords(words: string[]): SelectionSpec {
  const union: SelectionSpec[] = [];
  for (const word of words) {
    for (const part of word.split(/\s+/).filter(Boolean)) {
      const atoms = part.split(',').filter(Boolean).map(parseCriterion);
      union.push(atoms.length === 1 ? (atoms[0] as Criterion) : { kind: 'intersection', components: atoms });
    }
  }
  return { kind: 'union', components: union };
}

export function invalid(raw: string, why: string): TsdbtError {
  return new TsdbtError(`invalid selector '${raw}': ${why}`, {
    code: 'selector-invalid',
    hint: 'see dbt node selection syntax: name, +name, name+, @name, tag:x, path:models/x, config.materialized:view, source:raw.events',
  });
}

/** A named selector of selectors.yml (selectors-yaml.ts reads them). */
export interface SelectorDefinition {
  name: string;
  description: string;
  default: boolean;
  spec: SelectionSpec;
}

export type SelectorDefinitions = Map<string, SelectorDefinition>;
