import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lexer } from './nunjucks-internals.js';
import { parseTemplate } from './parse-template.js';
import './lexer-runs.js';

// The lexer's runs sliced in one piece (lexer-runs.ts) give nunjucks' own tokens, positions and
// cursor: compared with a fresh, unpatched copy of nunjucks' lexer on every built-in macro file
// and on texts with the cases the cursor must count (newlines in text, comments, strings, ends).
const require = createRequire(import.meta.url);
const lexerPath = require.resolve('nunjucks/src/lexer.js');

function unpatchedLexer(): { lex: (src: string, opts: object) => unknown } {
  const saved = require.cache[lexerPath];
  delete require.cache[lexerPath];
  try {
    return require(lexerPath) as { lex: (src: string, opts: object) => unknown };
  } finally {
    if (saved) require.cache[lexerPath] = saved;
  }
}

type Stream = { nextToken(): unknown; index: number; lineno: number; colno: number; in_code: boolean };

function tokensOf(stream: Stream): unknown[] {
  const out: unknown[] = [];
  for (;;) {
    let tok: unknown;
    try {
      tok = stream.nextToken();
    } catch (e) {
      out.push({ error: (e as Error).message, at: [stream.index, stream.lineno, stream.colno] });
      return out;
    }
    out.push({ tok, at: [stream.index, stream.lineno, stream.colno, stream.in_code] });
    if (tok === null) return out;
  }
}

function sqlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? sqlFiles(file) : name.endsWith('.sql') ? [file] : [];
  });
}

const src = fileURLToPath(new URL('../..', import.meta.url));
const texts = [
  '',
  'select 1',
  '{{ config(materialized="view") }}\nselect\n  p0.id\nfrom {{ ref(\'model_1\') }} as p0\n{% if is_incremental() %}\nwhere x > (select max(id) from {{ this }})\n{% endif %}\n',
  "{# a comment\nover lines #}\ntext # not a comment\n{%- set x = {'a': {'b': 1}} -%}\n{{ x['a'] }}",
  "{{ 'it\\'s' ~ \"a\\nb\" ~ '\\x41' }} {{ 'line\nbreak' }} {{ 12 }} {{ 1.5 }} {{ none }} {{ true }}",
  '{{ unterminated',
  "{{ 'no end",
  'data {{ a }} more data { not a tag } # hash\n\n\nend',
];

describe('lexer runs', () => {
  const fresh = unpatchedLexer();

  it('the patched lexer is in use, and the copy compared with is not', () => {
    expect(Object.getPrototypeOf(lexer.lex('', {}))).not.toBe(Object.getPrototypeOf(fresh.lex('', {})));
  });

  it("gives nunjucks' own tokens and cursor on every built-in macro file and on edge texts", () => {
    const files = [...sqlFiles(path.join(src, 'global_project')), ...sqlFiles(path.join(src, 'adapters'))];
    expect(files.length).toBeGreaterThan(30);
    for (const text of [...texts, ...files.map((f) => readFileSync(f, 'utf8'))]) {
      expect(tokensOf(lexer.lex(text, {}) as unknown as Stream)).toEqual(tokensOf(fresh.lex(text, {}) as Stream));
    }
  });

  it('string literals without a backslash read as written, with one as Python reads them, on the right lines', () => {
    const tree = parseTemplate("{{ f('plain', 'a\\tb', 'two\nlines') }}\n{{ g(\"x\") }}", 't.sql');
    const json = JSON.stringify(tree);
    expect(json).toContain('"value":"plain"');
    expect(json).toContain('"value":"a\\tb"');
    expect(json).toContain('"value":"two\\nlines"');
    expect(() => parseTemplate("{{ f('a') }}\n{{ 'b' }}\n{{ g('c' }}", 't.sql')).toThrow(expect.objectContaining({ location: { file: 't.sql', line: 3 } }));
  });
});
