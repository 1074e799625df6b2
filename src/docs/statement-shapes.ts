// Statements of one shape, parsed once: compiled models made from one pattern (a staging model
// per source table, `select * from {{ ref(...) }}` pass-throughs, generated layers) differ only in
// the relations their refs and sources rendered. Each quoted identifier of a parent's relation
// name is replaced by a numbered placeholder, quoted the same way (`"db"."schema"."orders"` ->
// `"\u0001t0"."\u0001t1"."\u0001t2"`), so statements of one shape have one text; its syntax tree
// is parsed once and each statement gets it with its own identifiers put back. A quoted
// identifier is opaque to the parser, so that is the tree parsing the statement itself gives
// (a relation name with an unquoted or escaped part is left as it is). Column lineage parses with
// node-sql-parser, a millisecond or two per statement: most of `docs generate` where it parses.

/** A statement's text with its parents' relation names replaced, and the identifiers they stood for. */
export interface StatementShape {
  text: string;
  /** Placeholder -> the identifier it replaced (without its quotes). */
  identifiers: Map<string, string>;
}

const PLACEHOLDER = '\u0001t';

/** The parts of a relation name made only of quoted identifiers (`"a"."b"` or `` `a`.`b` ``), or null. */
function quotedParts(relation: string): { quote: string; parts: string[] } | null {
  const quote = relation[0];
  if (quote !== '"' && quote !== '`') return null;
  const parts: string[] = [];
  let at = 0;
  while (at < relation.length) {
    if (relation[at] !== quote) return null;
    const end = relation.indexOf(quote, at + 1);
    if (end < 0 || relation[end + 1] === quote) return null;
    const part = relation.slice(at + 1, end);
    if (part.includes(PLACEHOLDER[0] as string)) return null;
    parts.push(part);
    at = end + 1;
    if (at < relation.length) {
      if (relation[at] !== '.') return null;
      at++;
    }
  }
  return parts.length > 0 ? { quote, parts } : null;
}

/**
 * The shape of `sql`: each occurrence of one of `relations` (its parents' rendered relation names)
 * replaced, identifier by identifier, by placeholders numbered in order of first appearance.
 */
export function statementShape(sql: string, relations: Iterable<string>): StatementShape {
  if (sql.includes(PLACEHOLDER)) return { text: sql, identifiers: new Map() };
  const found: { at: number; relation: string; quote: string; parts: string[] }[] = [];
  for (const relation of new Set(relations)) {
    const quoted = quotedParts(relation);
    if (!quoted) continue;
    for (let at = sql.indexOf(relation); at >= 0; at = sql.indexOf(relation, at + relation.length)) {
      // Not the start of a longer name (`"a"."b"` inside `"a"."b"."c"`).
      if (sql[at - 1] === '.' || sql[at + relation.length] === '.') continue;
      found.push({ at, relation, ...quoted });
    }
  }
  found.sort((a, b) => a.at - b.at);
  const numbers = new Map<string, string>();
  const identifiers = new Map<string, string>();
  let text = '';
  let from = 0;
  for (const f of found) {
    if (f.at < from) continue;
    const replaced = f.parts.map((part) => {
      let placeholder = numbers.get(part);
      if (!placeholder) {
        placeholder = `${PLACEHOLDER}${numbers.size}`;
        numbers.set(part, placeholder);
        identifiers.set(placeholder, part);
      }
      return `${f.quote}${placeholder}${f.quote}`;
    });
    text += sql.slice(from, f.at) + replaced.join('.');
    from = f.at + f.relation.length;
  }
  return { text: text + sql.slice(from), identifiers };
}

/** Where a tree parsed from a shape holds a placeholder: the object, its key, the placeholder. */
type Slot = [holder: Record<string, unknown> | unknown[], key: string | number, placeholder: string];

/** The slots of `tree` whose value is a placeholder. */
function slotsOf(tree: unknown, slots: Slot[] = []): Slot[] {
  if (!tree || typeof tree !== 'object') return slots;
  const entries: [string | number, unknown][] = Array.isArray(tree) ? tree.map((v, i) => [i, v]) : Object.entries(tree);
  for (const [k, v] of entries) {
    if (typeof v === 'string' && v.startsWith(PLACEHOLDER)) slots.push([tree as Record<string, unknown>, k, v]);
    else slotsOf(v, slots);
  }
  return slots;
}

/** A tree parsed from a shape, with the placeholders of `slots` set to `identifiers` (in place). */
function instantiate(tree: unknown, slots: Slot[], identifiers: Map<string, string>): unknown {
  for (const [holder, k, placeholder] of slots) (holder as Record<string | number, unknown>)[k] = identifiers.get(placeholder) ?? placeholder;
  return tree;
}

/**
 * Parsed shapes kept while statements of that shape remain: `expect` counts each statement's
 * shape beforehand, `take` returns its tree (parsing the first) and forgets it after the last.
 * The statements of a shape share one tree, its identifiers set for each in turn: a tree taken is
 * read before the next `take`, never kept.
 */
export class ShapeMemo {
  private readonly remaining = new Map<string, number>();
  private readonly trees = new Map<string, { tree: unknown; slots: Slot[] } | { error: unknown }>();

  expect(shape: StatementShape): void {
    this.remaining.set(shape.text, (this.remaining.get(shape.text) ?? 0) + 1);
  }

  /** A statement of `shape` that needs no tree (its lineage was cached). */
  skip(shape: StatementShape): void {
    this.release(shape.text, (this.remaining.get(shape.text) ?? 1) - 1);
  }

  private release(text: string, left: number): void {
    if (left > 0) this.remaining.set(text, left);
    else {
      this.remaining.delete(text);
      this.trees.delete(text);
    }
  }

  /** The tree of `shape`'s statement; throws what parsing threw. */
  take(shape: StatementShape, parse: (text: string) => unknown): unknown {
    const left = (this.remaining.get(shape.text) ?? 1) - 1;
    let parsed = this.trees.get(shape.text);
    if (!parsed) {
      try {
        const tree = parse(shape.text);
        parsed = { tree, slots: slotsOf(tree) };
      } catch (error) {
        parsed = { error };
      }
      if (left > 0) this.trees.set(shape.text, parsed);
    }
    this.release(shape.text, left);
    if ('error' in parsed) throw parsed.error;
    return instantiate(parsed.tree, parsed.slots, shape.identifiers);
  }
}
