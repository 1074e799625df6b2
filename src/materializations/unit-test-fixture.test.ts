// A unit test's csv fixture is read as dbt reads it (dbt-core parser/unit_tests.py: Python's csv.DictReader, not
// strict): a quote inside a field that does not start with one is kept, as in seeds.
import { describe, expect, it } from 'vitest';
import { tabular } from './unit-test.js';

describe('unit test csv fixtures', () => {
  it('keep quotes inside an unquoted field, and read quoted fields as CSV', () => {
    expect(tabular({ format: 'csv', rows: 'id,payload\n1,{ "a": 1 }\n2,"x, ""y"""\n3,\n' })).toEqual({
      columns: ['id', 'payload'],
      values: [
        { id: '1', payload: '{ "a": 1 }' },
        { id: '2', payload: 'x, "y"' },
        { id: '3', payload: null },
      ],
    });
  });
});
