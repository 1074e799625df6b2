// A node's unrendered config in one shape, whichever engine wrote it, for state:modified's config
// comparison. dbt writes what the project wrote: `pre_hook: "select 1"` (a text, under the key as
// spelled), `tags: tag`, and, with `state_modified_compare_more_unrendered_values`, a config()
// call's arguments as their Jinja syntax tree (`Keyword(key='materialized', value=Const(value=
// 'table'))`) unless its static parser read the file (then `'table'`); a patch's hooks and tags can
// appear twice in it. tsdbt writes hooks as dbt's Hook dicts under `pre-hook`. Both sides are read
// into one shape before they are compared, so a state dbt wrote is no change where nothing changed.

const HOOK_KEYS: Record<string, string> = { 'pre-hook': 'pre_hook', pre_hook: 'pre_hook', 'post-hook': 'post_hook', post_hook: 'post_hook' };

/** The comparable form of an unrendered config. */
export function comparableConfig(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [rawKey, rawValue] of Object.entries(config)) {
    const bare = rawKey.startsWith('+') ? rawKey.slice(1) : rawKey;
    const value = typeof rawValue === 'string' ? (keywordValue(rawValue) ?? rawValue) : rawValue;
    const hookKey = HOOK_KEYS[bare];
    if (hookKey) out[hookKey] = distinct([...asList(out[hookKey]), ...asList(value).map(hookSql)]);
    else if (bare === 'tags') out.tags = distinct([...asList(out.tags), ...asList(value)].map(String));
    else out[bare] = withoutRepeats(value);
  }
  return out;
}

function asList(value: unknown): unknown[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}

function hookSql(hook: unknown): unknown {
  return hook !== null && typeof hook === 'object' && 'sql' in hook ? hook.sql : hook;
}

/** A list of plain values without repeats, also one level into a mapping (dbt doubles a patch's `check_cols`, a grant's grantees). */
function withoutRepeats(value: unknown): unknown {
  if (Array.isArray(value)) return value.every((v) => v === null || typeof v !== 'object') ? distinct(value) : value;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object') ? distinct(v) : v]));
  return value;
}

/** A list without repeats, in order (dbt's doubled patch hooks and tags). */
function distinct<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** The literal a `Keyword(key=..., value=<literal>)` text stands for; undefined when it holds anything else (a call, a name). */
function keywordValue(text: string): unknown {
  const match = /^Keyword\(key='[^']*', value=([\s\S]*)\)$/.exec(text);
  if (!match) return undefined;
  const reader = { text: match[1] as string, at: 0 };
  try {
    const value = readNode(reader);
    return reader.at === reader.text.length ? value : undefined;
  } catch {
    return undefined;
  }
}

interface Reader { text: string; at: number }

const NOT_LITERAL = new Error('not a literal');

function expect(r: Reader, token: string): void {
  if (!r.text.startsWith(token, r.at)) throw NOT_LITERAL;
  r.at += token.length;
}

/** jinja2's Const, List, Tuple and Dict nodes of constants, as str() writes them. */
function readNode(r: Reader): unknown {
  if (r.text.startsWith('Const(value=', r.at)) {
    r.at += 'Const(value='.length;
    const value = readPython(r);
    expect(r, ')');
    return value;
  }
  for (const kind of ['List', 'Tuple']) {
    if (r.text.startsWith(`${kind}(items=[`, r.at)) {
      r.at += `${kind}(items=[`.length;
      const items: unknown[] = [];
      while (!r.text.startsWith(']', r.at)) {
        items.push(readNode(r));
        if (r.text.startsWith(', ', r.at)) r.at += 2;
      }
      expect(r, kind === 'Tuple' ? '], ctx=' : ']');
      if (kind === 'Tuple') {
        while (r.text[r.at] !== ')' && r.at < r.text.length) r.at++;
      }
      expect(r, ')');
      return items;
    }
  }
  if (r.text.startsWith('Dict(items=[', r.at)) {
    r.at += 'Dict(items=['.length;
    const out: Record<string, unknown> = {};
    while (!r.text.startsWith(']', r.at)) {
      expect(r, 'Pair(key=');
      const key = readNode(r);
      expect(r, ', value=');
      out[String(key)] = readNode(r);
      expect(r, ')');
      if (r.text.startsWith(', ', r.at)) r.at += 2;
    }
    expect(r, '])');
    return out;
  }
  throw NOT_LITERAL;
}

/** A Python literal as repr() writes it: a string, a number, True, False or None. */
function readPython(r: Reader): unknown {
  const rest = r.text.slice(r.at);
  const word = /^(True|False|None|-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)/.exec(rest);
  if (word) {
    r.at += (word[1] as string).length;
    const w = word[1] as string;
    return w === 'True' ? true : w === 'False' ? false : w === 'None' ? null : Number(w);
  }
  const quote = rest[0];
  if (quote !== "'" && quote !== '"') throw NOT_LITERAL;
  let out = '';
  let i = 1;
  for (; i < rest.length && rest[i] !== quote; i++) {
    if (rest[i] === '\\') {
      const next = rest[++i];
      out += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : (next ?? '');
    } else out += rest[i];
  }
  if (i >= rest.length) throw NOT_LITERAL;
  r.at += i + 1;
  return out;
}

/**
 * A semantic model's entities, dimensions or measures without the fields dbt writes at their
 * defaults (null, false, empty) or not at all (a measure's create_metric) and with `expr` as text
 * (dbt's type: YAML's `expr: 1` is "1", `expr: true` "True"), so
 * the two engines' manifests compare by what was written.
 */
export function withoutDefaults(value: unknown, key?: string): unknown {
  if (key === 'expr' && typeof value === 'number') return String(value);
  if (key === 'expr' && typeof value === 'boolean') return value ? 'True' : 'False';
  if (Array.isArray(value)) return value.map((v) => withoutDefaults(v));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // dbt's parsed Measure has no create_metric (its default, false, is what its manifest says)
    if (k === 'create_metric') continue;
    const kept = withoutDefaults(v, k);
    const empty = kept === null || kept === undefined || kept === false || kept === '' || (typeof kept === 'object' && Object.keys(kept).length === 0);
    if (!empty) out[k] = kept;
  }
  return out;
}
