// The docs site's page script and style, shipped as strings so `tsdbt docs generate` writes a
// self-contained site that opens from file:// with no server and no network. Every project text
// is put on the page with textContent (descriptions arrive as HTML that markdown-it rendered with
// raw HTML disabled), so nothing from the project can run as script.

export const SITE_CSS = `
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, sans-serif; color: #1f2328; display: flex; height: 100vh; }
#side { width: 300px; border-right: 1px solid #d0d7de; display: flex; flex-direction: column; }
#side header { padding: 12px; border-bottom: 1px solid #d0d7de; }
#side h1 { font-size: 16px; margin: 0 0 8px; }
#search { width: 100%; padding: 6px 8px; border: 1px solid #d0d7de; border-radius: 6px; }
#list { overflow: auto; flex: 1; padding: 4px 0; }
#list h2 { font-size: 12px; text-transform: uppercase; color: #57606a; margin: 10px 12px 2px; }
#list h3 { font-size: 12px; color: #57606a; margin: 6px 12px 2px 20px; font-weight: normal; }
#list button { display: block; width: 100%; text-align: left; border: 0; background: none; padding: 2px 12px 2px 28px; cursor: pointer; font: inherit; }
#list button:hover, #list button.active { background: #ddf4ff; }
main { flex: 1; overflow: auto; padding: 16px 24px; }
nav a { margin-right: 12px; }
table { border-collapse: collapse; margin: 8px 0; }
td, th { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
td p { margin: 0; }
pre { background: #f6f8fa; padding: 10px; overflow: auto; border-radius: 6px; }
.tag { background: #eaeef2; border-radius: 10px; padding: 1px 8px; margin-right: 4px; font-size: 12px; }
#graph { width: 100%; height: calc(100vh - 120px); border: 1px solid #d0d7de; border-radius: 6px; cursor: grab; }
#graph rect { fill: #fff; stroke: #57606a; rx: 4; }
#graph g.source rect { fill: #dafbe1; } #graph g.seed rect { fill: #fff8c5; } #graph g.snapshot rect { fill: #fbefff; }
#graph g.focus rect { stroke: #0969da; stroke-width: 3; }
#graph path { fill: none; stroke: #8c959f; }
#graph text { font-size: 12px; pointer-events: none; }
#graph g { cursor: pointer; }
`;

export const SITE_JS = String.raw`
(function () {
  var data = window.TSDBT_DOCS;
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var list = document.getElementById('list');
  var main = document.getElementById('main');
  var search = document.getElementById('search');
  document.getElementById('title').textContent = data.project + ' docs';

  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  function link(id) {
    var n = byId[id];
    var a = el('a', n ? n.name : id, { href: '#!/node/' + encodeURIComponent(id) });
    return a;
  }

  var ORDER = ['model', 'source', 'seed', 'snapshot', 'test', 'analysis', 'macro'];
  function renderList() {
    var q = search.value.trim().toLowerCase();
    list.textContent = '';
    var groups = {};
    data.nodes.forEach(function (n) {
      if (q && (n.name + ' ' + n.id + ' ' + n.path).toLowerCase().indexOf(q) < 0) return;
      var g = groups[n.resourceType] = groups[n.resourceType] || {};
      var folder = n.package + ' / ' + n.folder;
      (g[folder] = g[folder] || []).push(n);
    });
    Object.keys(groups).sort(function (a, b) { return ORDER.indexOf(a) - ORDER.indexOf(b); }).forEach(function (type) {
      list.appendChild(el('h2', type + 's'));
      Object.keys(groups[type]).sort().forEach(function (folder) {
        list.appendChild(el('h3', folder));
        groups[type][folder].sort(function (a, b) { return a.name < b.name ? -1 : 1; }).forEach(function (n) {
          var b = el('button', n.name, { 'data-id': n.id, title: n.id });
          b.onclick = function () { location.hash = '#!/node/' + encodeURIComponent(n.id); };
          list.appendChild(b);
        });
      });
    });
  }

  function section(title) { main.appendChild(el('h2', title)); }
  function renderNode(id) {
    var n = byId[id];
    main.textContent = '';
    if (!n) { main.appendChild(el('p', 'No such node: ' + id)); return; }
    var nav = el('nav');
    if (n.x >= 0) nav.appendChild(el('a', 'Lineage graph', { href: '#!/graph/' + encodeURIComponent('+' + n.name + '+') }));
    main.appendChild(nav);
    main.appendChild(el('h1', n.name));
    var meta = el('p');
    meta.appendChild(el('span', n.resourceType + (n.relation ? ' · ' + n.relation : '') + ' · ' + n.path));
    main.appendChild(meta);
    if (n.tags.length) { var t = el('p'); n.tags.forEach(function (tag) { t.appendChild(el('span', tag, { 'class': 'tag' })); }); main.appendChild(t); }
    var d = el('div', null, { 'class': 'description' });
    d.innerHTML = n.descriptionHtml; // rendered by markdown-it with raw HTML disabled
    main.appendChild(d);
    if (n.lastRun) main.appendChild(el('p', 'Last run: ' + n.lastRun.status + ' in ' + n.lastRun.seconds.toFixed(2) + 's' + (n.lastRun.message ? ' (' + n.lastRun.message + ')' : '')));
    if (n.rowCount !== null) main.appendChild(el('p', 'Rows: ' + n.rowCount));
    if (n.columns.length) {
      section('Columns');
      var table = el('table', null, { id: 'columns' });
      var head = el('tr');
      ['Column', 'Type', 'Description', 'Tests'].forEach(function (h) { head.appendChild(el('th', h)); });
      table.appendChild(head);
      n.columns.forEach(function (c) {
        var tr = el('tr');
        tr.appendChild(el('td', c.name));
        tr.appendChild(el('td', c.type || ''));
        var td = el('td');
        td.innerHTML = c.descriptionHtml; // markdown-it, raw HTML disabled
        tr.appendChild(td);
        tr.appendChild(el('td', c.tests.join(', ')));
        table.appendChild(tr);
      });
      main.appendChild(table);
    }
    if (n.columnLineage) {
      section('Column lineage');
      if (n.columnLineage.error) main.appendChild(el('p', 'Not available: ' + n.columnLineage.error, { id: 'lineage-error' }));
      else {
        var lt = el('table', null, { id: 'column-lineage' });
        Object.keys(n.columnLineage.columns).forEach(function (col) {
          var tr = el('tr');
          var first = el('td');
          first.appendChild(el('a', col, { href: '#!/graph/' + encodeURIComponent(n.name + '.' + col), title: 'show in the lineage graph' }));
          tr.appendChild(first);
          var td = el('td');
          n.columnLineage.columns[col].forEach(function (u, i) {
            if (i) td.appendChild(document.createTextNode(', '));
            td.appendChild(link(u.node));
            td.appendChild(document.createTextNode('.' + u.column));
          });
          tr.appendChild(td);
          lt.appendChild(tr);
        });
        main.appendChild(lt);
      }
    }
    [['Depends on', n.parents], ['Referenced by', n.children]].forEach(function (pair) {
      if (!pair[1].length) return;
      section(pair[0]);
      var ul = el('ul');
      pair[1].forEach(function (id) { var li = el('li'); li.appendChild(link(id)); ul.appendChild(li); });
      main.appendChild(ul);
    });
    if (n.rawSql !== null) { section('Source'); main.appendChild(el('pre', n.rawSql, { id: 'raw-sql' })); }
    if (n.compiledSql !== null) { section('Compiled SQL'); main.appendChild(el('pre', n.compiledSql, { id: 'compiled-sql' })); }
    section('Config');
    main.appendChild(el('pre', JSON.stringify(n.config, null, 2)));
    Array.prototype.forEach.call(list.querySelectorAll('button'), function (b) { b.classList.toggle('active', b.getAttribute('data-id') === id); });
  }

  // Lineage: ELK's layout, drawn as SVG; wheel zooms, drag pans, a click opens the node.
  // "+name+" shows the node with its ancestors (+ before) and descendants (+ after).
  function focusSet(selector) {
    var m = /^(\+?)([^+]+?)(\+?)$/.exec(selector || '');
    if (!m) return null;
    var start = data.nodes.filter(function (n) { return n.name === m[2] || n.id === m[2]; })[0];
    if (!start) return null;
    var keep = {}; keep[start.id] = true;
    function walk(id, key) { (byId[id] ? byId[id][key] : []).forEach(function (next) { if (!keep[next]) { keep[next] = true; walk(next, key); } }); }
    if (m[1]) walk(start.id, 'parents');
    if (m[3]) walk(start.id, 'children');
    return { keep: keep, focus: start.id };
  }
  // "model.column": the nodes a column comes from, each labelled with the columns on the way.
  function columnTrace(selector) {
    var dot = selector.lastIndexOf('.');
    if (dot < 0) return null;
    var start = data.nodes.filter(function (n) { return n.name === selector.slice(0, dot) && n.x >= 0; })[0];
    if (!start) return null;
    var keep = {}, labels = {};
    function walk(id, column) {
      var seen = labels[id] = labels[id] || [];
      if (seen.indexOf(column) >= 0) return;
      seen.push(column);
      keep[id] = true;
      var l = byId[id] && byId[id].columnLineage;
      if (!l || !l.columns) return;
      (l.columns[column.toLowerCase()] || []).forEach(function (u) { walk(u.node, u.column); });
    }
    walk(start.id, selector.slice(dot + 1));
    return { keep: keep, focus: start.id, labels: labels };
  }
  function renderGraph(selector) {
    main.textContent = '';
    var bar = el('p');
    var input = el('input', null, { id: 'focus', placeholder: '+model+ to focus, model.column for its lineage', value: selector || '', size: 50 });
    input.onchange = function () { location.hash = '#!/graph/' + encodeURIComponent(input.value); };
    bar.appendChild(input);
    main.appendChild(bar);
    var NS = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('id', 'graph');
    var view = { x: 0, y: 0, w: Math.max(data.width, 400), h: Math.max(data.height, 300) };
    function apply() { svg.setAttribute('viewBox', view.x + ' ' + view.y + ' ' + view.w + ' ' + view.h); }
    apply();
    var sel = (selector && selector.indexOf('+') < 0 && columnTrace(selector)) || focusSet(selector);
    var shown = data.nodes.filter(function (n) { return n.x >= 0 && (!sel || sel.keep[n.id]); });
    var on = {}; shown.forEach(function (n) { on[n.id] = n; });
    shown.forEach(function (n) {
      n.children.forEach(function (c) {
        var to = on[c]; if (!to) return;
        var p = document.createElementNS(NS, 'path');
        var mx = (n.x + to.x) / 2;
        p.setAttribute('d', 'M' + n.x + ',' + n.y + ' C' + mx + ',' + n.y + ' ' + mx + ',' + to.y + ' ' + to.x + ',' + to.y);
        svg.appendChild(p);
      });
    });
    shown.forEach(function (n) {
      var g = document.createElementNS(NS, 'g');
      g.setAttribute('class', n.resourceType + (sel && sel.focus === n.id ? ' focus' : ''));
      g.setAttribute('data-id', n.id);
      var label = n.name + (sel && sel.labels && sel.labels[n.id] ? ' · ' + sel.labels[n.id].join(', ') : '');
      var w = sel && sel.labels ? Math.max(40 + label.length * 6.5, 60) : Math.min(240, 40 + n.name.length * 7);
      var r = document.createElementNS(NS, 'rect');
      r.setAttribute('x', n.x - w / 2); r.setAttribute('y', n.y - 14); r.setAttribute('width', w); r.setAttribute('height', 28);
      var t = document.createElementNS(NS, 'text');
      t.setAttribute('x', n.x - w / 2 + 8); t.setAttribute('y', n.y + 4);
      t.textContent = label;
      g.appendChild(r); g.appendChild(t);
      g.addEventListener('click', function () { location.hash = '#!/node/' + encodeURIComponent(n.id); });
      svg.appendChild(g);
    });
    var drag = null;
    svg.addEventListener('mousedown', function (e) { drag = { x: e.clientX, y: e.clientY }; });
    window.addEventListener('mouseup', function () { drag = null; });
    svg.addEventListener('mousemove', function (e) {
      if (!drag) return;
      var k = view.w / svg.clientWidth;
      view.x -= (e.clientX - drag.x) * k; view.y -= (e.clientY - drag.y) * k;
      drag = { x: e.clientX, y: e.clientY }; apply();
    });
    svg.addEventListener('wheel', function (e) {
      e.preventDefault();
      var f = e.deltaY > 0 ? 1.15 : 1 / 1.15;
      view.x += view.w * (1 - f) / 2; view.y += view.h * (1 - f) / 2; view.w *= f; view.h *= f; apply();
    }, { passive: false });
    main.appendChild(svg);
  }

  function route() {
    var h = decodeURIComponent(location.hash.replace(/^#!?\/?/, ''));
    if (h.indexOf('node/') === 0) renderNode(h.slice(5));
    else if (h.indexOf('graph') === 0) renderGraph(h.slice(6));
    else renderGraph('');
  }
  search.addEventListener('input', renderList);
  window.addEventListener('hashchange', route);
  renderList();
  route();
})();
`;
