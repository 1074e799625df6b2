// YAML that parses but cannot be resolved (found by test/fuzz/yaml-files.test.ts): an alias without
// its anchor, a merge key over a list. Each is a project error at its file and line, not a tsdbt bug.
import { describe, expect, it } from 'vitest';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { parseYamlText } from './yaml-file.js';

function failure(text: string): TsdbtError {
  try {
    parseYamlText(text, 'models/schema.yml');
  } catch (err) {
    if (err instanceof TsdbtError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('YAML that cannot be resolved', () => {
  it('an alias used before (or without) its anchor', () => {
    const err = failure('version: 2\nmodels: *nope\n');
    expect(err).toMatchObject({ code: 'yaml-invalid', category: 'user', location: { file: 'models/schema.yml', line: 2 } });
    expect(err.message).toBe('invalid YAML: Unresolved alias (the anchor must be set before the alias): nope');
  });

  it('a merge key over something that is not a mapping', () => {
    const err = failure('version: 2\nmodels:\n  <<: [1, 2]\n');
    expect(err).toMatchObject({ code: 'yaml-invalid', category: 'user', location: { file: 'models/schema.yml', line: 3 } });
    expect(err.message).toBe('invalid YAML: Merge sources must be maps or map aliases');
  });
});
