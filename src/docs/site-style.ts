// The docs site's style sheet (tsdbt-docs.css, inlined in static_index.html). Resource-type colours
// are CSS variables (--c-model...), which the graph, its legend and the page badges share.

/** Each resource type's colour (the variable --c-<type>; a graph's box takes its type's by its class). */
const TYPE_COLOURS: Record<string, string> = {
  model: '#0a6e99', source: '#2f7d12', seed: '#8a6d00', snapshot: '#7b3aa0', analysis: '#5f6b76',
  exposure: '#d4481f', semantic_model: '#a3334f', metric: '#c2237a', saved_query: '#2458b3',
  test: '#57606a', unit_test: '#57606a', group: '#444c56', macro: '#444c56',
};

export const SITE_CSS = `
:root {
  ${Object.entries(TYPE_COLOURS).map(([t, colour]) => `--c-${t}: ${colour};`).join(' ')}
  --line: #d0d7de; --muted: #57606a; --accent: #0969da;
}
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, sans-serif; color: #1f2328; display: flex; height: 100vh; overflow: hidden; }
/* Out of the way, not display: none: the list (up to 2,000 buttons) keeps its boxes, so a graph
   opens without tearing them down (a few of a graph's ~40 ms of main-thread CPU) nor the page after
   it rebuilding them; content-visibility skips its style, layout and paint meanwhile. */
body.graph-mode:not(.show-list) #side { position: absolute; visibility: hidden; content-visibility: hidden; }
#side { width: 300px; flex: none; border-right: 1px solid var(--line); display: flex; flex-direction: column; }
#side header { padding: 12px; border-bottom: 1px solid var(--line); }
#side h1 { font-size: 16px; margin: 0 0 8px; cursor: pointer; }
#tabs { display: flex; gap: 4px; margin-bottom: 8px; }
#tabs button { flex: 1; border: 1px solid var(--line); background: #f6f8fa; border-radius: 6px; padding: 4px; cursor: pointer; font: inherit; }
#tabs button[aria-selected="true"] { background: var(--accent); color: #fff; border-color: var(--accent); }
#search { width: 100%; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; }
#list { overflow: auto; flex: 1; padding: 4px 0 16px; }
#list h2 { font-size: 12px; text-transform: uppercase; color: var(--muted); margin: 12px 12px 2px; }
#list h3 { font-size: 12px; color: var(--muted); margin: 6px 12px 2px 20px; font-weight: normal; overflow-wrap: anywhere; }
#list > * { content-visibility: auto; contain-intrinsic-size: auto 22px; }
#list button { display: block; width: 100%; text-align: left; border: 0; background: none; padding: 2px 12px 2px 28px; cursor: pointer; font: inherit; overflow-wrap: anywhere; }
#list button:hover, #list button.active { background: #ddf4ff; }
#list button[data-kind]::after { content: " " attr(data-kind); color: var(--muted); font-size: 12px; }
#list p.more { color: var(--muted); margin: 6px 12px; }
main { flex: 1; min-width: 0; overflow: auto; padding: 16px 24px; }
main.wide { display: flex; flex-direction: column; }
main.wide > * { flex: none; }
main.wide > .frame { flex: 1 1 auto; }
nav.links a { margin-right: 14px; }
p.kind-line { margin: 8px 0 0; }
.kind { font-size: 12px; color: #fff; border-radius: 10px; padding: 2px 8px; }
h1 { margin: 4px 0 12px; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: 8px 0; }
td, th { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
td p { margin: 0; }
table.details th { background: #f6f8fa; font-weight: 600; white-space: nowrap; }
pre { background: #f6f8fa; padding: 10px; overflow: auto; border-radius: 6px; margin: 4px 0 12px; }
.tag { background: #eaeef2; border-radius: 10px; padding: 1px 8px; margin-right: 4px; font-size: 12px; }
.status { border-radius: 10px; padding: 1px 8px; font-size: 12px; color: #fff; background: #57606a; white-space: nowrap; }
.status.pass, .status.success { background: #1a7f37; } .status.fail, .status.error, .status.runtime-error { background: #cf222e; }
.status.warn { background: #9a6700; } .status.skipped, .status.none { background: #8c959f; }
.muted { color: var(--muted); }
.error { color: #cf222e; white-space: pre-wrap; }
.counts td:first-child { text-transform: capitalize; }
/* Lineage graph and column lineage */
.toolbar { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: center; margin: 0 0 8px; }
.toolbar label { display: flex; gap: 4px; align-items: center; font-family: ui-monospace, monospace; font-size: 13px; }
.toolbar input[type="text"] { width: 260px; padding: 5px 6px; line-height: 1.4; border: 1px solid var(--line); border-radius: 6px; font-family: ui-monospace, monospace; }
.toolbar select { padding: 3px; }
.toolbar button, .zoom button { border: 1px solid var(--line); background: #f6f8fa; border-radius: 6px; padding: 4px 10px; cursor: pointer; font: inherit; }
.toolbar button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
.frame { position: relative; flex: 1 1 auto; min-height: 320px; border: 1px solid var(--line); border-radius: 6px; overflow: hidden; background: #fff; }
.frame svg { position: absolute; inset: 0; width: 100%; height: 100%; cursor: grab; user-select: none; }
.frame .zoom { position: absolute; top: 8px; right: 8px; display: flex; flex-direction: column; gap: 4px; }
.frame .zoom button { width: 36px; padding: 4px 0; background: #fff; }
.frame .legend { position: absolute; left: 8px; bottom: 8px; background: rgba(255,255,255,0.92); border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; font-size: 12px; }
.frame .legend span { display: inline-flex; align-items: center; margin-right: 10px; }
.frame .legend i { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 4px; }
.frame .notice { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center; color: var(--muted); padding: 24px; text-align: center; }
.graph-status { color: var(--muted); font-size: 12px; margin: 4px 0 0; min-height: 1.4em; }
svg g.node rect { stroke: rgba(0,0,0,0.25); stroke-width: 1; }
${Object.keys(TYPE_COLOURS).map((t) => `svg g.node.${t} rect { fill: var(--c-${t}); }`).join('\n')}
/* geometricPrecision: in Chromium, laying out a graph's labels (most of its layout) took about 30%
   less CPU than with the default text-rendering (a 317-node graph, traced). */
svg g.node text { fill: #fff; font: 12px system-ui, sans-serif; pointer-events: none; text-rendering: geometricPrecision; }
/* Fitted so small that the labels would be unreadable (viewport.ts LABEL_SCALE): boxes only, a tooltip names each. */
svg.far g.node text { display: none; }
svg g.node.focus rect { stroke: #111; stroke-width: 3; }
svg g.node { cursor: pointer; }
svg g.node:hover rect { filter: brightness(1.12); }
svg path.edge { fill: none; stroke: #8c959f; stroke-width: 1.4; }
svg path.edge.hot { stroke: #0969da; stroke-width: 2; marker-end: url(#arrow); }
svg marker path, svg path.arrows { fill: #8c959f; }
svg path.arrows { pointer-events: none; }
svg g.table rect.box { fill: #fff; stroke: #8c959f; }
svg g.table rect.head { stroke: none; }
svg g.table text { font: 12px system-ui, sans-serif; fill: #1f2328; text-rendering: geometricPrecision; }
svg g.table text.title { fill: #fff; font-weight: 600; }
svg g.table g.row.focus rect { fill: #ddf4ff; }
svg g.table g.row rect { fill: transparent; }
`;
