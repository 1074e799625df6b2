import { describe, expect, it } from 'vitest';
import { dbtRenderedText } from './rendered-text.js';

// dbt-core's get_rendered (core/dbt/clients/jinja.py): no Jinja marks -> the text as it is; else Jinja2's render.
describe("dbtRenderedText, dbt's compiled text of a template", () => {
  it('returns a template without Jinja marks as it is: trailing newline and \\r\\n kept', () => {
    expect(dbtRenderedText('select 1\r\n', 'select 1', 1)).toBe('select 1\r\n');
  });

  it("keeps the render's whitespace when the template has Jinja", () => {
    expect(dbtRenderedText("{{ config(materialized='table') }}\n\nselect 1\n", '\n\nselect 1', 1)).toBe('\n\nselect 1');
  });

  it('takes off the newlines tsdbt puts before a block body (a snapshot at line 3), and no others', () => {
    expect(dbtRenderedText('\n{{ config() }}\nselect 1', '\n\n\n\nselect 1', 3)).toBe('\n\nselect 1');
  });

  it('takes off none when the body opens with whitespace control, which ate them', () => {
    expect(dbtRenderedText('{{- config() }}\nselect 1', '\nselect 1', 3)).toBe('\nselect 1');
  });
});
