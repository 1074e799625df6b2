import { describe, expect, it } from 'vitest';
import { dbtRenderedText } from './rendered-text.js';

// dbt-core reads a file stripped (dbt_common load_file_contents(strip=True)), then get_rendered
// (core/dbt/clients/jinja.py): no Jinja marks -> the text as it is; else Jinja2's render. Each
// `rendered` below is what Jinja2 gives for the unstripped text tsdbt renders.
describe("dbtRenderedText, dbt's compiled text of a node's template", () => {
  it('returns a file without Jinja marks stripped, as dbt read it', () => {
    expect(dbtRenderedText('\nselect 1\r\n', '\nselect 1', 1, true)).toBe('select 1');
  });

  it("keeps the config() line's newline, and takes off what the file's own whitespace gave", () => {
    expect(dbtRenderedText("{{ config(materialized='table') }}\n\nselect 1\n", '\n\nselect 1', 1, true)).toBe('\n\nselect 1');
    expect(dbtRenderedText("\n-- c\n{{ config() }}\n\nselect 1\n\n\n", '\n-- c\n\n\nselect 1\n\n', 1, true)).toBe('-- c\n\n\nselect 1');
  });

  it('keeps what a whitespace-controlled tag already ate', () => {
    expect(dbtRenderedText('\n{{- config() }}\nselect 1 {{ x -}}\n\n', '\nselect 1 x', 1, true)).toBe('\nselect 1 x');
  });

  it("takes off the newlines aligning a snapshot's block body (line 3), which dbt does not strip", () => {
    expect(dbtRenderedText('\n{{ config() }}\nselect 1\n', '\n\n\n\nselect 1', 3, false)).toBe('\n\nselect 1');
  });

  it('strips any whitespace at the end, Unicode spaces too (a no-break space, an ideographic space)', () => {
    expect(dbtRenderedText('select 1 \t\n\u00a0\u3000\n', 'select 1 \t\n\u00a0\u3000', 1, true)).toBe('select 1');
    expect(dbtRenderedText('select {{ 1 }}\u00a0\n', 'select 1\u00a0', 1, true)).toBe('select 1');
    expect(dbtRenderedText('select {{ 1 }}\u00e9\n', 'select 1\u00e9', 1, true)).toBe('select 1\u00e9');
  });
});
