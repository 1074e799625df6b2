// DOM helpers. Project text only ever goes in as text (textContent, attribute values); the one
// exception, descriptions, arrives as HTML markdown-it rendered with raw HTML off (html()).

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string | number | null, attrs?: Record<string, string>): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (attrs) for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

/** An element holding children (nodes or text). */
export function box<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> | null, ...children: (Node | string | null | undefined | false)[]): HTMLElementTagNameMap[K] {
  const e = el(tag, null, attrs ?? undefined);
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

/** A description: HTML rendered at generate time by markdown-it with raw HTML disabled. */
export function html(rendered: string, attrs?: Record<string, string>): HTMLDivElement {
  const d = el('div', null, attrs);
  d.innerHTML = rendered;
  return d;
}

const SVG = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs?: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  if (attrs) for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A link to a route of the page (`#!/node/<id>`...). */
export function link(text: string, route: string, attrs?: Record<string, string>): HTMLAnchorElement {
  return el('a', text, { href: `#!/${route}`, ...attrs });
}

/** A URL written in the project, linked only when it is http(s) (never javascript: and the like). */
export function safeUrl(url: unknown): HTMLElement {
  const text = typeof url === 'string' ? url : '';
  if (/^https?:\/\//i.test(text)) return el('a', text, { href: text, target: '_blank', rel: 'noopener noreferrer' });
  return el('span', text);
}

let measure: CanvasRenderingContext2D | null = null;
let measureFont = '';
/** Widths measured, by font and text: a graph measures each of its labels, and the next graph draws most of them again. */
const widths = new Map<string, Map<string, number>>();

/** The width of `text` in the graph's font (12px system-ui), to size boxes so no label is cut. */
export function textWidth(text: string, font = '12px system-ui, sans-serif'): number {
  let known = widths.get(font);
  if (!known) widths.set(font, (known = new Map<string, number>()));
  let width = known.get(text);
  if (width === undefined) {
    measure ??= document.createElement('canvas').getContext('2d');
    if (!measure) return text.length * 7.5;
    // Setting the font parses it: only when it changes.
    if (measureFont !== font) measure.font = measureFont = font;
    width = measure.measureText(text).width;
    known.set(text, width);
  }
  return width;
}
