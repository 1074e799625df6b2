// dbt's toyaml and fromyaml are PyYAML's `yaml.safe_dump(value, sort_keys=...)` and
// `yaml.safe_load(text)`. Where the `yaml` package differs from PyYAML, this module makes it
// agree: PyYAML's YAML 1.1 booleans are yes/no/on/off/true/false in their three spellings but
// not y/n (the `yaml` package's 1.1 schema reads `y` as true, so it would quote a `y` key), and
// safe_dump's default `allow_unicode=False` writes a string holding any character outside
// printable ASCII double-quoted, with that character escaped (`"\xE9"`, `"\u20AC"`, `"\U0001F600"`).
import YAML, { Scalar, isScalar } from 'yaml';
import { PyFloat } from '../../engine/index.js';
import { pyBooleans } from '../../pyyaml-booleans.js';
import { pyNumbers } from '../../pyyaml-numbers.js';
import { pyTimestamps } from '../../pyyaml-timestamps.js';

/** safe_dump's layout: YAML 1.1, single quotes, a list under a key not indented, block style. */
const SAFE_DUMP = { version: '1.1', customTags: (tags: Parameters<typeof pyBooleans>[0]) => pyTimestamps(pyBooleans(tags)) } as const;
const SAFE_DUMP_TEXT = { indentSeq: false, singleQuote: true } as const;

/** A Python float keeps its fraction when dumped (`1.0`, as PyYAML writes it). */
function pyYamlScalars(_key: unknown, value: unknown): unknown {
  if (!(value instanceof PyFloat)) return value;
  const scalar = new Scalar(Number(value));
  scalar.minFractionDigits = 1;
  return scalar;
}

/** What PyYAML's emitter writes for a character outside printable ASCII in a double-quoted scalar. */
const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\x85': '\\N', '\xa0': '\\_', '\u2028': '\\L', '\u2029': '\\P' };

function pyEscape(ch: string): string {
  const named = NAMED_ESCAPES[ch];
  if (named) return named;
  const code = ch.codePointAt(0) ?? 0;
  const hex = code.toString(16).toUpperCase();
  if (code <= 0xff) return `\\x${hex.padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${hex.padStart(4, '0')}`;
  return `\\U${hex.padStart(8, '0')}`;
}

// Characters other than printable ASCII and line break: PyYAML double-quotes the string, escaping them.
const NOT_ASCII = /[^\x20-\x7e\n]/u;
const NOT_ASCII_ALL = /[^\x00-\x7f]/gu;

/** `yaml.safe_dump(value, sort_keys=sortKeys)` as dbt's toyaml calls it. */
export function pyYamlDump(value: unknown, sortKeys: boolean): string {
  const doc = new YAML.Document(value, pyYamlScalars, { ...SAFE_DUMP, sortMapEntries: sortKeys });
  let escaped = false;
  YAML.visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string') return;
      if (NOT_ASCII.test(node.value)) {
        node.type = 'QUOTE_DOUBLE';
        escaped = true;
      } else if (node.value.includes('\n')) {
        // PyYAML's emitter picks a block scalar only when asked: a value of several lines is single-quoted.
        node.type = 'QUOTE_SINGLE';
      }
    },
    Pair(_key, pair) {
      if (typeof pair.key === 'string' && NOT_ASCII.test(pair.key)) {
        const key = new Scalar(pair.key);
        key.type = 'QUOTE_DOUBLE';
        pair.key = key;
        escaped = true;
      }
      if (isScalar(pair.key) && typeof pair.key.value === 'string' && NOT_ASCII.test(pair.key.value)) {
        pair.key.type = 'QUOTE_DOUBLE';
        escaped = true;
      }
    },
  });
  const text = doc.toString(SAFE_DUMP_TEXT);
  // Only double-quoted scalars hold characters outside ASCII now, where these escapes read back.
  return escaped ? text.replace(NOT_ASCII_ALL, pyEscape) : text;
}

/**
 * `yaml.safe_load(text)` as dbt's fromyaml calls it (a key given twice keeps its last value, `<<`
 * merges, PyYAML's booleans and numbers; `1.0` stays a float; a plain `2024-01-31` is a date and
 * `2024-01-31 10:00:00` a datetime, as `--vars` are read: pyyaml-timestamps.ts).
 */
export function pyYamlLoad(text: string): unknown {
  return YAML.parse(text, { uniqueKeys: false, merge: true, customTags: (tags) => pyTimestamps(pyNumbers(pyBooleans(tags), (n) => new PyFloat(n))) });
}
