import { describe, expect, it } from 'vitest';
import { PyDate, PyDatetime } from '../jinja/pylib/datetime/index.js';
import { PyFloat, pythonJson } from './python-json.js';

describe("pythonJson (Python's json.dumps text)", () => {
  it("writes a datetime.date or datetime (PyYAML's `2024-01-31` in a meta) as its isoformat, as pydantic does", () => {
    expect(pythonJson({ meta: { since: new PyDate(2024, 1, 31), at: PyDatetime.create(2024, 1, 31, 10, 0, 0, 0, null) }, n: new PyFloat(1) })).toBe(
      '{"meta": {"since": "2024-01-31", "at": "2024-01-31T10:00:00"}, "n": 1.0}',
    );
  });
});
