// Normalises pre-hook / post-hook config values (a string, a list, `{sql, transaction}` dicts) to
// HookConfig[], the shape manifest.json uses.
import type { HookConfig } from '../manifest/types.js';

export function normalizeHooks(value: unknown): HookConfig[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  const hooks: HookConfig[] = [];
  for (const item of list) {
    if (typeof item === 'string') hooks.push({ sql: item, transaction: true });
    else if (item && typeof item === 'object' && 'sql' in item) {
      const h = item as { sql: unknown; transaction?: unknown };
      hooks.push({ sql: String(h.sql), transaction: h.transaction !== false });
    }
  }
  return hooks.map((h, index) => ({ ...h, index }));
}
