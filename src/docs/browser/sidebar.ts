// The sidebar: the Project view (resources by type, package and folder, as dbt docs lists them)
// and the Database view (relations by database and schema), filtered by the search box. Data tests
// are listed only when searching (each node's page lists its own).
import type { SiteEntry } from '../site-types.js';
import { el } from './dom.js';
import { RESOURCE_TYPES, type Site } from './site.js';

/** Above this many matches only the first are listed. */
const LIST_LIMIT = 2000;

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

  render(): void {
    const q = this.search.value.trim().toLowerCase();
    const matches = (n: SiteEntry) => !q || `${n.name} ${n.id} ${n.path} ${n.relation ?? ''}`.toLowerCase().includes(q);
    this.list.textContent = '';
    this.buttons.clear();
    const out = document.createDocumentFragment();
    let shown = 0;
    let hidden = 0;
    const add = (n: SiteEntry, text: string, kind?: string) => {
      if (shown >= LIST_LIMIT) return void hidden++;
      shown++;
      out.append(this.item(n, text, kind));
    };
    if (this.view === 'database') {
      const relations = this.site.data.nodes.filter((n) => n.schema !== null && n.identifier && ['model', 'seed', 'snapshot', 'source'].includes(n.resourceType) && n.config.materialized !== 'ephemeral' && matches(n));
      const byDb = new Map<string, Map<string, SiteEntry[]>>();
      for (const n of relations) {
        const db = n.database ?? '(default database)';
        const schemas = byDb.get(db) ?? new Map<string, SiteEntry[]>();
        schemas.set(n.schema as string, [...(schemas.get(n.schema as string) ?? []), n]);
        byDb.set(db, schemas);
      }
      for (const db of [...byDb.keys()].sort()) {
        out.append(el('h2', db, { class: 'database' }));
        const schemas = byDb.get(db) as Map<string, SiteEntry[]>;
        for (const schema of [...schemas.keys()].sort()) {
          out.append(el('h3', schema, { class: 'schema' }));
          for (const n of (schemas.get(schema) as SiteEntry[]).sort((a, b) => ((a.identifier ?? '') < (b.identifier ?? '') ? -1 : 1))) add(n, n.identifier ?? n.name, n.resourceType === 'model' ? undefined : n.resourceType);
        }
      }
    } else {
      const groups = new Map<string, Map<string, SiteEntry[]>>();
      for (const n of this.site.data.nodes) {
        if (n.resourceType === 'test' && !q) continue;
        if (!matches(n)) continue;
        const byFolder = groups.get(n.resourceType) ?? new Map<string, SiteEntry[]>();
        const folder = n.resourceType === 'source' ? `${n.package} / ${n.sourceName ?? ''}` : `${n.package} / ${n.folder}`;
        byFolder.set(folder, [...(byFolder.get(folder) ?? []), n]);
        groups.set(n.resourceType, byFolder);
      }
      for (const [type, label] of RESOURCE_TYPES) {
        const byFolder = groups.get(type);
        if (!byFolder) continue;
        out.append(el('h2', label, { 'data-type': type }));
        for (const folder of [...byFolder.keys()].sort()) {
          out.append(el('h3', folder));
          for (const n of (byFolder.get(folder) as SiteEntry[]).sort((a, b) => (a.name < b.name ? -1 : 1))) add(n, n.name);
        }
      }
    }
    if (hidden) out.append(el('p', `${hidden} more: refine the search`, { class: 'more' }));
    if (!shown) out.append(el('p', 'Nothing matches.', { class: 'more' }));
    this.list.append(out);
  }
}
