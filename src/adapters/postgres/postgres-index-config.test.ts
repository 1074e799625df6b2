// dbt-postgres's PostgresIndexConfig: the shapes it accepts, and its jsonschema messages for the rest.
import { describe, expect, it } from 'vitest';
import { parsePostgresIndex } from './postgres-index-config.js';

const message = (raw: unknown) => {
  try {
    parsePostgresIndex(raw);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
};

describe('parsePostgresIndex', () => {
  it('reads columns, unique (default false) and type (default none)', () => {
    expect(parsePostgresIndex({ columns: ['a', 'b'] })).toEqual({ columns: ['a', 'b'], unique: false, type: null });
    expect(parsePostgresIndex({ columns: ['a'], unique: true, type: 'hash' })).toEqual({ columns: ['a'], unique: true, type: 'hash' });
    expect(parsePostgresIndex({ columns: ['a'], type: null })).toEqual({ columns: ['a'], unique: false, type: null });
  });

  it("refuses every other shape with dbt's message", () => {
    expect(message({ columns: 'a, b' })).toBe("Could not parse index config: at path ['columns']: 'a, b' is not of type 'array'");
    expect(message({ unique: true })).toBe("Could not parse index config: at path []: 'columns' is a required property");
    expect(message({ columns: ['a'], unique: 'yes' })).toBe("Could not parse index config: at path ['unique']: 'yes' is not of type 'boolean'");
    expect(message({ columns: ['a', 2] })).toBe("Could not parse index config: at path ['columns'][1]: 2 is not of type 'string'");
    expect(message({ columns: ['a'], type: 3 })).toBe("Could not parse index config: at path ['type']: 3 is not of type 'string', 'null'");
    expect(message({ columns: ['a'], name: 'x' })).toBe("Could not parse index config: at path []: Additional properties are not allowed ('name' was unexpected)");
    expect(message('a')).toBe('Invalid index config:\n  Got: \'a\'\n  Expected a dictionary with at minimum a "columns" key');
  });
});
