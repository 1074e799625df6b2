// Reads YAML files keeping positions, so every error can name the file and line: parse errors,
// and validation errors on any key path (`locate(['models', 0, 'columns'])`).
//
// Read as dbt reads YAML (PyYAML's SafeLoader): merge keys (`<<: *anchor`) are applied, and a
// key given twice in one mapping keeps its last value. dbt 1.10 warns about such keys
// (DuplicateYAMLKeysDeprecation); so do we, through `warnings`.
import { readFileSync } from 'node:fs';
import YAML, { LineCounter, isMap, isScalar, isSeq, visit, type Document, type Node } from 'yaml';
import { TsdbtError, type SourceLocation } from '../errors/tsdbt-error.js';

export interface YamlWarning {
  message: string;
  location: SourceLocation;
  /** dbt's event name (DuplicateYAMLKeysDeprecation, CustomKeyInObjectDeprecation...), what --warn-error-options lists. */
  event?: string;
}

export interface YamlFile {
  /** Project-relative path used in messages. */
  file: string;
  /** The parsed value (plain JS). */
  value: unknown;
  /** Line of the node at a key path (falls back to the nearest existing parent). */
  locate(path: (string | number)[]): SourceLocation;
  /** What dbt warns about while reading the file (keys given twice). */
  warnings: YamlWarning[];
}

function keyOf(node: unknown): unknown {
  return isScalar(node) ? node.value : node;
}

/** Keys given twice in one mapping: the later one wins (as in PyYAML), with a warning. */
function duplicateKeys(doc: Document, file: string, lineCounter: LineCounter): YamlWarning[] {
  const warnings: YamlWarning[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = keyOf(pair.key);
        if (key === '<<' || (typeof key === 'object' && key !== null)) continue;
        if (seen.has(key)) {
          const range = (pair.key as Node | null)?.range;
          const line = range ? lineCounter.linePos(range[0]).line : undefined;
          warnings.push({
            message: `the key '${String(key)}' is given twice in one mapping: the later value wins (dbt warns the same: DuplicateYAMLKeysDeprecation); remove one of them`,
            location: { file, line },
            event: 'DuplicateYAMLKeysDeprecation',
          });
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

export function parseYamlText(text: string, file: string): YamlFile {
  const lineCounter = new LineCounter();
  const doc: Document = YAML.parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, merge: true });
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
  return { file, value, locate, warnings: duplicateKeys(doc, file, lineCounter) };
}

export function readYamlFile(absPath: string, file: string): YamlFile {
  return parseYamlText(readFileSync(absPath, 'utf8'), file);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
