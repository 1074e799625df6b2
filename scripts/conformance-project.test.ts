import { describe, expect, it } from 'vitest';
import { projectFileFields } from './conformance-project.js';

describe('projectFileFields (the conformance harness reading dbt_project.yml)', () => {
  it('accepts a key given twice, as dbt does (snowplow-mobile integration_tests)', () => {
    const text = 'name: p\nprofile: it\nmodels:\n  p:\n    source:\n      snowflake: {+enabled: false}\n      snowflake: {+enabled: false}\n';
    expect(projectFileFields(text)).toEqual({ profile: 'it' });
  });

  it('falls back to the name, reads target-path, and refuses a file without either name', () => {
    expect(projectFileFields('name: shop\ntarget-path: out\n')).toEqual({ profile: 'shop', targetPath: 'out' });
    expect(() => projectFileFields('version: 1\n')).toThrow(/neither `profile:` nor `name:`/);
  });
});
