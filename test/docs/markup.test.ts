// markup() and escapeMarkup() (dom.ts): the lineage graph is built as one piece of markup, so
// project text (names, ids, a source's name) must come out as text and attribute values, never as
// markup of its own, whatever it holds.
import { describe, expect, it } from 'vitest';
import { escapeMarkup, markup } from '../../src/docs/browser/markup.js';

describe('graph markup', () => {
  it('escapes text and attribute values', () => {
    expect(escapeMarkup(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&#39;');
    expect(markup('g', { 'data-id': 'model.p."x"<script>', transform: 'translate(1,2)' }, undefined, '<rect></rect>')).toBe(
      '<g data-id="model.p.&quot;x&quot;&lt;script&gt;" transform="translate(1,2)"><rect></rect></g>',
    );
    expect(markup('text', { x: 10, y: 19 }, 'a & </text><script>')).toBe('<text x="10" y="19">a &amp; &lt;/text&gt;&lt;script&gt;</text>');
  });
});
