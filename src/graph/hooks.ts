// Normalises pre-hook / post-hook config values (a string, a list, `{sql, transaction}` dicts) to
// HookConfig[], the shape manifest.json uses.
import type { HookConfig } from '../manifest/types.js';

export function normalizeHooks(value: unknown): HookConfig[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  const hooks: HookConfig[] = [];
  for (const item of list) {
    // dbt's Hook: `index` is None unless the hook's dict gives one (get_hook_dict keeps a dict as written).
    if (typeof item === 'string') hooks.push(hookFromText(item) ?? { sql: item, transaction: true, index: null });
    else if (item && typeof item === 'object' && 'sql' in item) {
      const h = item as HookDict;
      hooks.push(hookOfDict(h, String(h.sql)));
    }
  }
  return hooks;
}

/**
 * A hook written as JSON text, `'{"sql": "grant ...", "transaction": false}'`, as dbt's
 * get_hook_dict reads every hook string (json.loads before taking it as SQL): the config's hooks
 * at parse and each on-run-start / on-run-end hook's compiled code when it runs. Null for text
 * that is no JSON object with a string `sql` (dbt would fail on one without; tsdbt runs the text
 * as SQL, which is what its author meant).
 */
export function hookFromText(text: string): HookConfig | null {
  const start = text.trimStart()[0];
  if (start !== '{') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const h = value as HookDict;
  return typeof h.sql === 'string' ? hookOfDict(h, h.sql) : null;
}

type HookDict = { sql?: unknown; transaction?: unknown; index?: unknown };

/** dbt's Hook from its dict: in a transaction unless it says `transaction: false`, its index when it gives one. */
function hookOfDict(h: HookDict, sql: string): HookConfig {
  return { sql, transaction: h.transaction !== false, index: typeof h.index === 'number' ? h.index : null };
}
