// Normalises pre-hook / post-hook config values (a string, a list, `{sql, transaction}` dicts) to
// HookConfig[], the shape manifest.json uses.
import type { HookConfig } from '../manifest/types.js';

export function normalizeHooks(value: unknown): HookConfig[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  const hooks: HookConfig[] = [];
  for (const item of list) {
    // dbt's Hook: `index` is None unless the hook's dict gives one (get_hook_dict keeps a dict as written).
    if (typeof item === 'string') hooks.push({ sql: item, transaction: true, index: null });
    else if (item && typeof item === 'object' && 'sql' in item) {
      const h = item as { sql: unknown; transaction?: unknown; index?: unknown };
      hooks.push({ sql: String(h.sql), transaction: h.transaction !== false, index: typeof h.index === 'number' ? h.index : null });
    }
  }
  return hooks;
}
