// Markup as text, for drawings of many elements (the lineage graph: hundreds of boxes and edges)
// built with one innerHTML: building them with createElementNS and setAttribute took several times
// what the browser's parser takes for their text. Project text (names, ids) only goes in escaped,
// as text or a quoted attribute value, so it stays text whatever it holds. No DOM, so it is tested
// in Node.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `text` as markup's text or a quoted attribute value. */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

/** The markup of an element: attribute values and `text` escaped, `inner` (markup) as it is. */
export function markup(tag: string, attrs: Record<string, string | number>, text?: string, inner = ''): string {
  let out = `<${tag}`;
  for (const [k, v] of Object.entries(attrs)) out += ` ${k}="${escapeMarkup(String(v))}"`;
  return `${out}>${text === undefined ? '' : escapeMarkup(text)}${inner}</${tag}>`;
}
