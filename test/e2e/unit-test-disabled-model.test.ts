// A unit test whose model is disabled is disabled with it (dbt's process_models_for_unit_test;
// dbt-core's tests/functional/partial_parsing/test_pp_unit_tests.py): the parse goes on, and
// manifest.json lists the unit test under `disabled`, not under `unit_tests`.
import { describe, expect, it } from 'vitest';
import { offlineProject } from '../support/offline-project.js';

describe('a unit test of a disabled model', () => {
  it('is disabled with its model, and the parse succeeds', async () => {
    const p = await offlineProject(
      {
        'dbt_project.yml': 'name: demo\nprofile: demo\n',
        'models/model_one.sql': 'select 1 as fun\n',
        'models/other.sql': 'select 2 as fun\n',
        'models/schema.yml': `models:
  - name: model_one
    config:
      enabled: false
unit_tests:
  - name: test_model_one
    model: model_one
    given: []
    expect:
      rows:
        - {fun: 1}
`,
      },
      'parse',
    );
    const m = p.manifest<{ unit_tests: Record<string, unknown>; disabled: Record<string, { config: { enabled: boolean } }[]>; nodes: Record<string, unknown> }>();
    expect(Object.keys(m.unit_tests)).toEqual([]);
    expect(m.disabled['unit_test.demo.model_one.test_model_one']?.map((n) => n.config.enabled)).toEqual([false]);
    expect(Object.keys(m.nodes)).toEqual(['model.demo.other']);
  });
});
