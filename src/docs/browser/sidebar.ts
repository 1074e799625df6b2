// The sidebar: the Project view (resources by type, package and folder, as dbt docs lists them)
// and the Database view (relations by database and schema), filtered by the search box. Data tests
// are listed only when searching (each node's page lists its own). A long list is appended a chunk
// at a time after its first rows; one click listener serves all its buttons.
import type { SiteEntry } from '../site-types.js';
import { el } from './dom.js';
import { RESOURCE_TYPES, type Site } from './site.js';

/** Above this many matches only the first are listed. */
const LIST_LIMIT = 2000;
/** Rows appended at once: more than a window shows. */
const FIRST_ROWS = 100;
/** Rows appended a task after them. */
const CHUNK_ROWS = 500;

export type SidebarView = 'project' | 'database';

export class Sidebar {
  view: SidebarView = 'project';
  private active: string | null = null;

  constructor(
    private readonly site: Site,
    private readonly list: HTMLElement,
    private readonly search: HTMLInputElement,
    private readonly go: (route: string) => void,
  ) {
    search.addEventListener('input', () => this.render());
    // One listener for the list's thousands of buttons.
    list.addEventListener('click', (event) => {
      const id = event.target instanceof Element ? event.target.closest('button[data-id]')?.getAttribute('data-id') : null;
      if (id) this.go(`node/${encodeURIComponent(id)}`);
    });
  }

  setView(view: SidebarView): void {
    this.view = view;
    for (const v of ['project', 'database'] as const) document.getElementById(`tab-${v}`)?.setAttribute('aria-selected', String(v === view));
    this.render();
  }

  /** Marks the button of the page shown (touching two buttons, not the whole list: a large project lists thousands). */
  setActive(id: string | null): void {
    if (id === this.active) return;
    this.buttons.get(this.active ?? '')?.classList.remove('active');
    this.buttons.get(id ?? '')?.classList.add('active');
    this.active = id;
  }

  private buttons = new Map<string, HTMLButtonElement>();

  private item(n: SiteEntry, text: string, kind?: string): HTMLButtonElement {
    // The kind, when shown, comes from the style sheet (not part of the name's text).
    const b = el('button', text, { 'data-id': n.id, title: n.id, type: 'button', ...(kind ? { 'data-kind': kind } : {}) });
    if (n.id === this.active) b.classList.add('active');
    this.buttons.set(n.id, b);
    return b;
  }

  /** Lists the search's matches again (the data tests came in after it was typed); the list without a search shows no test. */
  refreshSearch(): void {
    if (this.search.value.trim() !== '') this.render();
  }

  /** Counts the renders: rows still to append for an earlier one are dropped. */
  private renders = 0;

  render(): void {
    const token = ++this.renders;
    const q = this.search.value.trim().toLowerCase();
    const matches = (n: SiteEntry) => !q || `${n.name} ${n.id} ${n.path} ${n.relation ?? ''}`.toLowerCase().includes(q);
    this.list.textContent = '';
    this.buttons.clear();
    const rows: (() => HTMLElement)[] = [];
    let shown = 0;
    let hidden = 0;
    const add = (n: SiteEntry, text: string, kind?: string) => {
      if (shown >= LIST_LIMIT) return void hidden++;
      shown++;
      rows.push(() => this.item(n, text, kind));
    };
    const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
      const list = map.get(key);
      if (list) list.push(value);
      else map.set(key, [value]);
    };
    if (this.view === 'database') {
      const relations = this.site.data.nodes.filter((n) => n.schema !== null && n.identifier && ['model', 'seed', 'snapshot', 'source'].includes(n.resourceType) && n.config.materialized !== 'ephemeral' && matches(n));
      const byDb = new Map<string, Map<string, SiteEntry[]>>();
      for (const n of relations) {
        const db = n.database ?? '(default database)';
        if (!byDb.has(db)) byDb.set(db, new Map());
        push(byDb.get(db) as Map<string, SiteEntry[]>, n.schema as string, n);
      }
      for (const db of [...byDb.keys()].sort()) {
        rows.push(() => el('h2', db, { class: 'database' }));
        const schemas = byDb.get(db) as Map<string, SiteEntry[]>;
        for (const schema of [...schemas.keys()].sort()) {
          rows.push(() => el('h3', schema, { class: 'schema' }));
          for (const n of (schemas.get(schema) as SiteEntry[]).sort((a, b) => ((a.identifier ?? '') < (b.identifier ?? '') ? -1 : 1))) add(n, n.identifier ?? n.name, n.resourceType === 'model' ? undefined : n.resourceType);
        }
      }
    } else {
      const groups = new Map<string, Map<string, SiteEntry[]>>();
      for (const n of this.site.data.nodes) {
        if (n.resourceType === 'test' && !q) continue;
        if (!matches(n)) continue;
        if (!groups.has(n.resourceType)) groups.set(n.resourceType, new Map());
        push(groups.get(n.resourceType) as Map<string, SiteEntry[]>, n.resourceType === 'source' ? `${n.package} / ${n.sourceName ?? ''}` : `${n.package} / ${n.folder}`, n);
      }
      for (const [type, label] of RESOURCE_TYPES) {
        const byFolder = groups.get(type);
        if (!byFolder) continue;
        rows.push(() => el('h2', label, { 'data-type': type }));
        for (const folder of [...byFolder.keys()].sort()) {
          rows.push(() => el('h3', folder));
          for (const n of (byFolder.get(folder) as SiteEntry[]).sort((a, b) => (a.name < b.name ? -1 : 1))) add(n, n.name);
        }
      }
    }
    if (hidden) rows.push(() => el('p', `${hidden} more: refine the search`, { class: 'more' }));
    if (!shown) rows.push(() => el('p', 'Nothing matches.', { class: 'more' }));
    this.draw(rows, token, 0);
  }

  /**
   * Appends the rows: as many as a window shows at once, the rest a chunk a task after it, so the
   * first ones are on screen without waiting for thousands; the list is aria-busy until the last.
   */
  private draw(rows: (() => HTMLElement)[], token: number, from: number): void {
    const to = Math.min(rows.length, from + (from === 0 ? FIRST_ROWS : CHUNK_ROWS));
    const out = document.createDocumentFragment();
    for (let i = from; i < to; i++) out.append((rows[i] as () => HTMLElement)());
    this.list.append(out);
    const done = to === rows.length;
    this.list.setAttribute('aria-busy', String(!done));
    if (!done) setTimeout(() => token === this.renders && this.draw(rows, token, to), 0);
  }
}
