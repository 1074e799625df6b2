// JSON text as Python's json.dumps writes it with its defaults (what pydantic's `.json()` gives):
// ", " between items and ": " after keys, every character outside printable ASCII escaped as
// \uXXXX (ensure_ascii), and floats with their decimal point. dbt writes semantic_manifest.json
// this way, so tools that compare the files byte for byte see the same text.

/** A number Python holds as a float (pydantic's `float` fields): `1` is written `1.0`. */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** `value` as Python's json.dumps(value) writes it; keys in insertion order, undefined members left out. */
export function pythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof PyFloat) return Number.isInteger(value.value) ? `${value.value}.0` : String(value.value);
  if (typeof value === 'string') return asciiOnly(JSON.stringify(value));
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  // A datetime.date or datetime (PyYAML's `2024-01-31` in a meta): pydantic writes its isoformat().
  if (typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') return pythonJson((value as { toJSON: () => unknown }).toJSON());
  if (typeof value === 'object') {
    const members: string[] = [];
    for (const [key, member] of Object.entries(value)) if (member !== undefined) members.push(`${asciiOnly(JSON.stringify(key))}: ${pythonJson(member)}`);
    return `{${members.join(', ')}}`;
  }
  return 'null';
}

/** JSON.stringify's string text with what Python escapes and it does not (non-ASCII, DEL) as \uXXXX. */
function asciiOnly(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
