// One `--log-format json` line as dbt 1.11 writes it (dbt_common's msg_from_base_event and
// _JsonLogger): `{"data": {<the event's fields>}, "info": {"category", "code", "extra",
// "invocation_id", "level", "msg", "name", "pid", "thread", "ts"}}`, serialised as Python's
// `json.dumps(..., sort_keys=True)` does (keys sorted at every depth, `", "` and `": "` between
// items, non-ASCII text as \u escapes), so a line reads the same byte for byte in key order and
// spacing as dbt's.
import { eventCode } from './event-names.js';

/** dbt's EventInfo: what every line carries besides its event's fields. */
export interface JsonLineInfo {
  name: string;
  level: string;
  msg: string;
  invocationId: string | undefined;
  /** dbt's `extra`: the DBT_ENV_CUSTOM_ENV_* variables, prefix removed. */
  extra: Record<string, string>;
  /** `MainThread`, or the worker a node runs on (`Thread-2 (worker)`, as run_results.json's thread_id). */
  thread: string;
  ts: Date;
  pid: number;
}

/** dbt's `Note` (Z050) for a line with no code of its own. */
const FALLBACK_CODE = 'Z050';

export function jsonLogLine(info: JsonLineInfo, data: Record<string, unknown>): string {
  return pythonJson({
    data,
    info: {
      category: '',
      code: eventCode(info.name) ?? FALLBACK_CODE,
      extra: info.extra,
      invocation_id: info.invocationId ?? '',
      level: info.level,
      msg: info.msg,
      name: info.name,
      pid: info.pid,
      thread: info.thread,
      ts: info.ts.toISOString(),
    },
  });
}

/** dbt_common's get_metadata_vars: each DBT_ENV_CUSTOM_ENV_<NAME> variable as `<NAME>: value`. */
export function metadataVars(env: NodeJS.ProcessEnv): Record<string, string> {
  const prefix = 'DBT_ENV_CUSTOM_ENV_';
  const vars: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (key.startsWith(prefix) && value !== undefined) vars[key.slice(prefix.length)] = value;
  return vars;
}

/** Python's `json.dumps(value, sort_keys=True)`; undefined members are left out, as JSON.stringify does. */
export function pythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return asciiJson(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => pythonJson(v)).join(', ')}]`;
      if (value instanceof Date) return asciiJson(value.toISOString());
      const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && typeof v !== 'function');
      entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${asciiJson(k)}: ${pythonJson(v)}`).join(', ')}}`;
    }
    default:
      return 'null';
  }
}

/** A JSON string with every character past ASCII escaped (Python's ensure_ascii). */
function asciiJson(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
