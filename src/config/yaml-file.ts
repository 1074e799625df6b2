// Reads YAML files keeping positions, so every error can name the file and line: parse errors,
// and validation errors on any key path (`locate(['models', 0, 'columns'])`).
//
// Read as dbt reads YAML (PyYAML's SafeLoader): merge keys (`<<: *anchor`) are applied, and a
// key given twice in one mapping keeps its last value. dbt 1.10 warns about such keys
// (DuplicateYAMLKeysDeprecation); so do we, through `warnings`.
import { readFileSync } from 'node:fs';
import YAML, { LineCounter, isMap, isScalar, isSeq, visit, type Document, type Node } from 'yaml';
import { CORE_SCHEMA, EVENT_ID, NOT_RESOLVED, SCALAR_STYLE, constructFromEvents, defineScalarTag, getScalarValue, mergeTag, parseEvents, type Event } from 'js-yaml';
import { TsdbtError, type SourceLocation } from '../errors/tsdbt-error.js';
import { PY_FALSE, PY_TRUE } from '../jinja/pyyaml-booleans.js';
import { PY_FLOAT, PY_INT, pyFloat, pyInt } from '../jinja/pyyaml-numbers.js';
import { PY_TIMESTAMP, isPyTimestamp, pyTimestamp } from '../jinja/pyyaml-timestamps.js';
import { PYYAML_CLI_LOAD, PYYAML_LOAD } from './pyyaml-load.js';
import { indentFlowCollectionEnds } from './pyyaml-flow-indent.js';
import { indentQuotedContinuations } from './pyyaml-quoted-indent.js';

export interface YamlWarning {
  message: string;
  location: SourceLocation;
  /** dbt's event name (DuplicateYAMLKeysDeprecation, CustomKeyInObjectDeprecation...), what --warn-error-options lists. */
  event?: string;
  /** The event's fields, as dbt's JSON log line has them. */
  data?: Record<string, unknown>;
  /**
   * One of dbt's JSON-schema deprecations that dbt shows only on the adapters it validates on
   * (app/jsonschema-gate.ts); tsdbt's own choice of them (a key dbt ignores) has none.
   */
  dbtValidationOnly?: true;
  /** dbt's "preview" deprecation (GenericJSONSchemaValidationDeprecation): an info-level Note, not counted, never an error. */
  preview?: true;
}

/** How a file is read. */
export interface YamlReadOptions {
  /**
   * PyYAML's implicit timestamps: a plain `2024-01-31` is a datetime.date (PyDate), as dbt reads
   * every file: dbt_project.yml and property files take it; packages.yml, selectors.yml and
   * profiles.yml keep such values as text (tsdbt reads no date from them).
   */
  timestamps?: boolean;
}

export interface YamlFile {
  /** Project-relative path used in messages. */
  file: string;
  /** The parsed value (plain JS). */
  value: unknown;
  /** Line of the node at a key path (falls back to the nearest existing parent). */
  locate: (path: (string | number)[]) => SourceLocation;
  /** What dbt warns about while reading the file (keys given twice). */
  warnings: YamlWarning[];
}

function keyOf(node: unknown): unknown {
  return isScalar(node) ? node.value : node;
}

/** Keys given twice in one mapping: the later one wins (as in PyYAML), with a warning. */
function duplicateKeys(doc: Document, file: string, lineCounter: LineCounter, text: string): YamlWarning[] {
  const warnings: YamlWarning[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = keyOf(pair.key);
        if (key === '<<' || (typeof key === 'object' && key !== null)) continue;
        if (seen.has(key)) {
          const offset = (pair.key as Node | null)?.range?.[0] ?? 0;
          warnings.push(duplicateKeyWarning(typeof key === 'boolean' ? (key ? 'True' : 'False') : String(key), { file, line: lineCounter.linePos(offset).line }, text, offset));
        }
        seen.add(key);
      }
    },
  });
  return warnings;
}

/** The line of the first alias that resolves to nothing, or else of the first merge key. */
function resolutionFailureLine(doc: Document, lineCounter: LineCounter): number | undefined {
  let line: number | undefined;
  let mergeLine: number | undefined;
  visit(doc, {
    Alias(_, alias) {
      if (line === undefined && alias.range && alias.resolve(doc) === undefined) line = lineCounter.linePos(alias.range[0]).line;
    },
    Pair(_, pair) {
      const key = pair.key as Node | null;
      if (mergeLine === undefined && isScalar(key) && key.source === '<<' && key.range) mergeLine = lineCounter.linePos(key.range[0]).line;
    },
  });
  return line ?? mergeLine;
}

/**
 * Reads YAML text. Most files take the fast path (js-yaml's event parser: about eight times
 * quicker than the `yaml` library's document model, which a 10,000-model project's property
 * files spent half a second in); anything it cannot vouch for (an error, a tag, many aliases,
 * several documents) is read by the `yaml` library as before, so errors and their lines are
 * the same.
 */
export function parseYamlText(text: string, file: string, options: YamlReadOptions = {}): YamlFile {
  const fast = fastYaml(text, file, options);
  if (fast) return fast;
  // A quoted value whose lines are indented as PyYAML accepts and YAML 1.2 does not: read it
  // indented (same lines); if that fails too, the error is the file's own.
  // Likewise a flow collection's closing bracket at (or left of) its block entry's column.
  for (const lenient of [indentQuotedContinuations, indentFlowCollectionEnds]) {
    const indented = lenient(text);
    if (indented === text) continue;
    try {
      return fastYaml(indented, file, options) ?? parseYamlDocument(indented, file, options);
    } catch {
      // reported from the text as written, below
    }
  }
  return parseYamlDocument(text, file, options);
}

/** PyYAML's booleans (jinja/pyyaml-booleans.ts) as a js-yaml tag. */
const pyBoolTag = defineScalarTag('tag:yaml.org,2002:bool', {
  implicit: true,
  implicitFirstChars: ['t', 'T', 'f', 'F', 'y', 'Y', 'n', 'N', 'o', 'O'],
  resolve: (source: string) => (PY_TRUE.test(source) ? true : PY_FALSE.test(source) ? false : NOT_RESOLVED),
  identify: (object: unknown) => typeof object === 'boolean',
  represent: (object: unknown) => (object ? 'true' : 'false'),
});
/** PyYAML's ints and floats (jinja/pyyaml-numbers.ts) as js-yaml tags. */
const pyIntTag = defineScalarTag('tag:yaml.org,2002:int', {
  implicit: true,
  implicitFirstChars: ['-', '+', ...'0123456789'],
  resolve: (source: string) => (PY_INT.test(source) ? pyInt(source) : NOT_RESOLVED),
  identify: (object: unknown) => Number.isInteger(object),
  represent: (object: unknown) => String(object),
});
const pyFloatTag = defineScalarTag('tag:yaml.org,2002:float', {
  implicit: true,
  implicitFirstChars: ['-', '+', '.', ...'0123456789'],
  resolve: (source: string) => (PY_FLOAT.test(source) ? pyFloat(source) : NOT_RESOLVED),
  identify: (object: unknown) => typeof object === 'number' && !Number.isInteger(object),
  represent: (object: unknown) => String(object),
});
/** The schema the `yaml` library resolves with (PYYAML_LOAD): merge keys (`<<`), PyYAML's booleans, ints and floats. */
const FAST_SCHEMA = CORE_SCHEMA.withTags(mergeTag, pyBoolTag, pyIntTag, pyFloatTag);
/** PyYAML's implicit timestamps (jinja/pyyaml-timestamps.ts) as a js-yaml tag. */
const pyTimestampTag = defineScalarTag('tag:yaml.org,2002:timestamp', {
  implicit: true,
  implicitFirstChars: [...'0123456789'],
  resolve: (source: string) => (PY_TIMESTAMP.test(source) ? pyTimestamp(source) : NOT_RESOLVED),
  identify: isPyTimestamp,
  represent: (object: unknown) => String(object),
});
const FAST_SCHEMA_TIMESTAMPS = FAST_SCHEMA.withTags(pyTimestampTag);
/** More aliases than this: the `yaml` library judges the file (it refuses alias bombs). */
const FAST_MAX_ALIASES = 100;

/** A node of the fast path's position tree: where it starts, and its children (a mapping's alternate key, value). */
interface PositionNode {
  kind: 'map' | 'seq' | 'scalar' | 'alias';
  start: number;
  /** A mapping's key scalars: the key identity (plain text resolved to a non-string is kept apart from the same text quoted). */
  key?: string;
  children?: PositionNode[];
}

/** The fast path alone: null where it leaves the file to the `yaml` library (exported for the test comparing the two). */
export function fastYaml(text: string, file: string, options: YamlReadOptions = {}): YamlFile | null {
  // A document end marker (`...`), a byte-order mark, a tab in a line's indentation: the `yaml`
  // library reads (or refuses) them its own way.
  if (/^\.\.\.(?:[ \t]|$)/m.test(text) || text.includes('\uFEFF') || /^ *\t/m.test(text)) return null;
  let events: Event[];
  let documents: unknown[];
  try {
    events = parseEvents(text, {});
    documents = constructFromEvents(events, { source: text, schema: options.timestamps ? FAST_SCHEMA_TIMESTAMPS : FAST_SCHEMA, json: true, maxAliases: FAST_MAX_ALIASES });
  } catch {
    return null;
  }
  if (documents.length > 1) return null;
  const root: PositionNode = { kind: 'seq', start: 0, children: [] };
  const stack: PositionNode[] = [root];
  let documentCount = 0;
  for (const event of events) {
    const parent = stack[stack.length - 1] as PositionNode;
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        // One document, not closed by `...` (the `yaml` library counts what follows as another).
        if (++documentCount > 1 || event.explicitEnd) return null;
        stack.push(parent); // the document's POP closes it
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        // A tag on a collection (`!!omap`, `!custom`): left to the `yaml` library.
        if (event.tagStart !== -1) return null;
        const node: PositionNode = { kind: event.type === EVENT_ID.MAPPING ? 'map' : 'seq', start: event.start, children: [] };
        parent.children?.push(node);
        stack.push(node);
        break;
      }
      case EVENT_ID.SCALAR: {
        if (event.tagStart !== -1) return null;
        // An empty node (`-` alone, an empty document) has no place of its own: the `yaml`
        // library gives it one, which a sequence item's or the document's line would read.
        if (event.valueStart === -1 && parent.kind !== 'map') return null;
        // A block scalar starts at its `|` / `>` indicator, the line before its text.
        const block = event.style === SCALAR_STYLE.LITERAL_BLOCK || event.style === SCALAR_STYLE.FOLDED_BLOCK;
        const start = block ? Math.max(text.lastIndexOf('|', event.valueStart - 1), text.lastIndexOf('>', event.valueStart - 1), 0) : event.valueStart;
        const children = parent.children as PositionNode[];
        // Only a mapping's keys are looked up by their text: a value's text is not kept.
        if (parent.kind !== 'map' || children.length % 2 === 1) {
          children.push({ kind: 'scalar', start });
          break;
        }
        const value = getScalarValue(text, event);
        const plainNonString = event.style === SCALAR_STYLE.PLAIN && !isCoreString(value);
        children.push({ kind: 'scalar', start, key: `${plainNonString ? 'p' : 's'}:${value}` });
        break;
      }
      case EVENT_ID.ALIAS:
        parent.children?.push({ kind: 'alias', start: Math.max(0, event.anchorStart - 1) });
        break;
      case EVENT_ID.POP:
        stack.pop();
        break;
      default:
        return null;
    }
  }
  const top = root.children?.[0];
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let [lo, hi] = [0, lineStarts.length - 1];
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const keyText = (node: PositionNode | undefined) => node?.key;
  const locate = (path: (string | number)[]): SourceLocation => {
    let node = top;
    let line = node ? lineOf(node.start) : 1;
    for (const key of path) {
      const children = node?.children ?? [];
      if (node?.kind === 'map') {
        // The last pair with the key: the one whose value was kept.
        const [plain, quoted] = [`p:${key}`, `s:${key}`];
        let found = -1;
        for (let i = 0; i + 1 < children.length; i += 2) {
          const text = keyText(children[i]);
          if (text === plain || text === quoted) found = i;
        }
        if (found === -1) break;
        line = lineOf((children[found] as PositionNode).start);
        node = children[found + 1];
      } else if (node?.kind === 'seq' && typeof key === 'number') {
        const item = children[key];
        if (!item) break;
        line = lineOf(item.start);
        node = item;
      } else break;
    }
    return { file, line };
  };
  const warnings: YamlWarning[] = [];
  /** Collects duplicate keys; false where a key is one the two libraries turn into text differently. */
  const visitMaps = (node: PositionNode | undefined): boolean => {
    if (!node?.children) return true;
    if (node.kind === 'map') {
      const seen = new Set<string>();
      for (let i = 0; i + 1 < node.children.length; i += 2) {
        const key = keyText(node.children[i]);
        // A collection, alias, null or float key: left to the `yaml` library.
        if (key === undefined || (key.startsWith('p:') && !PLAIN_KEY.test(key.slice(2)))) return false;
        if (key === 'p:<<') continue;
        if (seen.has(key)) {
          const start = (node.children[i] as PositionNode).start;
          warnings.push(duplicateKeyWarning(key.slice(2), { file, line: lineOf(start) }, text, start));
        }
        seen.add(key);
      }
    }
    return node.children.every(visitMaps);
  };
  if (!visitMaps(top)) return null;
  return { file, value: documents.length === 0 ? null : documents[0], locate, warnings };
}

/** Plain non-string keys both libraries turn into the same text: booleans (PyYAML's), decimal integers, `<<`. */
const PLAIN_KEY = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE|[Yy]es|YES|[Nn]o|NO|[Oo]n|ON|[Oo]ff|OFF|[-+]?[0-9]+|<<)$/;

/** A plain scalar YAML 1.2's core schema (with PyYAML's booleans) reads as a string (not null, a boolean or a number). */
function isCoreString(text: string): boolean {
  return !/^(?:~|[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|[Yy]es|YES|[Nn]o|NO|[Oo]n|ON|[Oo]ff|OFF|0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)?$/.test(text);
}

/**
 * dbt's DuplicateYAMLKeysDeprecation (clients/checked_load.py): "Duplicate key 'k' " and the key's
 * PyYAML mark, `in "<unicode string>", line L, column C`, counted in the text dbt loads, which
 * dbt's load_file_contents strips of leading and trailing whitespace (so L is the file's line less
 * the blank lines above the first content; the warning's location has the file's own line).
 */
function duplicateKeyWarning(key: string, location: SourceLocation, text: string, offset: number): YamlWarning {
  const lead = text.length - text.trimStart().length;
  const at = Math.max(offset, lead);
  let line = 1;
  for (let i = text.indexOf('\n', lead); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
  const column = at - Math.max(lead, text.lastIndexOf('\n', at - 1) + 1) + 1;
  return {
    message: `Duplicate key '${key}' in "<unicode string>", line ${line}, column ${column} in file \`${location.file}\``,
    location,
    event: 'DuplicateYAMLKeysDeprecation',
  };
}

/** The `yaml` library's reading (the document model, with every position). */
export function parseYamlDocument(text: string, file: string, options: YamlReadOptions = {}): YamlFile {
  const lineCounter = new LineCounter();
  const doc: Document = YAML.parseDocument(text, { lineCounter, prettyErrors: false, ...(options.timestamps ? PYYAML_CLI_LOAD : PYYAML_LOAD) });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line ?? (first.pos ? lineCounter.linePos(first.pos[0]).line : undefined);
    const reason = first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'invalid YAML';
    throw new TsdbtError(`invalid YAML: ${reason}`, {
      code: 'yaml-invalid',
      location: { file, line },
      hint: /tab/i.test(first.message) ? 'indent with spaces, not tabs' : 'check the indentation and quoting on this line',
    });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  } catch (err) {
    // Resolving the document failed: an alias before (or without) its anchor, a merge key (`<<`)
    // over something that is not a mapping, too many aliases (a "billion laughs").
    const reason = (err as Error).message.split('\n')[0] ?? 'invalid YAML';
    throw new TsdbtError(`invalid YAML: ${reason}`, {
      code: 'yaml-invalid',
      location: { file, line: resolutionFailureLine(doc, lineCounter) },
      hint: 'define each anchor (`&name`) before its alias (`*name`), merge (`<<:`) only mappings, and use fewer aliases',
      cause: err,
    });
  }
  const locate = (path: (string | number)[]): SourceLocation => {
    let node: unknown = doc.contents;
    let line: number | undefined = node && (node as Node).range ? lineCounter.linePos((node as Node).range![0]).line : 1;
    for (const key of path) {
      if (isMap(node)) {
        // The last pair with the key: the one whose value was kept.
        const pair = node.items.findLast((p) => keyOf(p.key) === key);
        if (!pair) break;
        const keyNode = pair.key as Node | null;
        if (keyNode?.range) line = lineCounter.linePos(keyNode.range[0]).line;
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number') {
        const item = node.items[key] as Node | undefined;
        if (!item) break;
        if (item.range) line = lineCounter.linePos(item.range[0]).line;
        node = item;
      } else break;
    }
    return { file, line };
  };
  return { file, value, locate, warnings: duplicateKeys(doc, file, lineCounter, text) };
}

export function readYamlFile(absPath: string, file: string, options: YamlReadOptions = {}): YamlFile {
  return parseYamlText(readFileSync(absPath, 'utf8'), file, options);
}

/**
 * A YAML mapping: `{...}` or `Object.create(null)`, not an array nor a value of a class (PyYAML's
 * datetime.date read from `2024-01-31` is a value, not a mapping to walk or merge).
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Every string of a YAML value rendered where the file locates it (dbt renders selectors.yml and each
 * catalog of catalogs.yml whole before reading them).
 */
export function renderYamlStrings(yaml: YamlFile, value: unknown, at: (string | number)[], render: (template: string, location: SourceLocation) => unknown): unknown {
  if (typeof value === 'string') return render(value, yaml.locate(at));
  if (Array.isArray(value)) return value.map((v, i) => renderYamlStrings(yaml, v, [...at, i], render));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderYamlStrings(yaml, v, [...at, k], render)]));
  return value;
}
