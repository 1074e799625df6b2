// Reads tsdbt's `--log-format json` lines, dbt's shape `{"data": {...}, "info": {"name", "code",
// "msg", "level", ...}}`, as one flat record: the info fields with the event's data beside them.

export interface JsonLogEvent {
  name: string;
  code: string;
  level: string;
  msg: string;
  invocation_id: string;
  thread: string;
  ts: string;
  pid: number;
  category: string;
  extra: Record<string, string>;
  data: Record<string, unknown>;
}

/** One JSON log line. */
export function readJsonLog(line: string): JsonLogEvent {
  const { info, data } = JSON.parse(line) as { info: Omit<JsonLogEvent, 'data'>; data: Record<string, unknown> };
  return { ...info, data };
}

/** The JSON log lines of some output (lines not starting with `{` are left out). */
export function jsonLogEvents(output: string): JsonLogEvent[] {
  return output.split('\n').filter((l) => l.startsWith('{')).map(readJsonLog);
}
