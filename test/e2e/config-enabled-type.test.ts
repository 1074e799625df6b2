// `enabled` is a boolean config (dbt's docs, resource-configs/enabled: "enabled: true | false"):
// a value that is neither, such as `enabled: True and False` in a property file, is refused as
// dbt's config schema refuses it ("'True and False' is not of type 'boolean'"), for a model as for
// a source table; `"false"` from a var rendered in YAML still reads as false, but a string in a
// model's config() call is refused, as dbt's ConfigUpdateError refuses `config(enabled='false')`.
import { describe, expect, it } from 'vitest';
import { offlineParseError, offlineProject } from '../support/offline-project.js';
import { MINIMAL_PROJECT_YML, removeDir } from '../support/testdir.js';

describe('enabled must be a boolean', () => {
  it('refuses a model whose property entry sets enabled to another value', async () => {
    const error = await offlineParseError({
      'dbt_project.yml': MINIMAL_PROJECT_YML,
      'models/my_model.sql': 'select 1 as id\n',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: my_model\n    config:\n      enabled: True and False\n',
    });
    expect(error).toMatch(/model 'my_model': invalid config enabled: 'True and False' is not of type 'boolean'.* at models\/my_model\.sql$/);
  });

  it('refuses such a source table', async () => {
    const error = await offlineParseError({
      'dbt_project.yml': MINIMAL_PROJECT_YML,
      'models/sources.yml': 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: events\n        config:\n          enabled: True and False\n',
    });
    expect(error).toMatch(/source 'raw.events': invalid config enabled: 'True and False' is not of type 'boolean'.* at models\/sources\.yml$/);
  });

  it('reads "false" (a var rendered in a property file) as false', async () => {
    const project = await offlineProject(
      {
        'dbt_project.yml': `${MINIMAL_PROJECT_YML}vars:\n  use_b: 'false'\n`,
        'models/a.sql': 'select 1 as id\n',
        'models/b.sql': 'select 1 as id\n',
        'models/schema.yml': 'version: 2\nmodels:\n  - name: b\n    config:\n      enabled: "{{ var(\'use_b\') }}"\n',
      },
      'parse',
    );
    expect(Object.keys(project.manifest<{ nodes: Record<string, unknown> }>().nodes)).toEqual(['model.demo.a']);
    removeDir(project.dir);
  });

  it("refuses a string in a config() call, a Python value there (dbt's ConfigUpdateError), whether literal or a var's", async () => {
    const literal = await offlineParseError({
      'dbt_project.yml': MINIMAL_PROJECT_YML,
      'models/b.sql': "{{ config(enabled = 'false') }}\nselect 1 as id\n",
    });
    expect(literal).toMatch(/model 'b': invalid config enabled: 'false' is not of type 'boolean'.* at models\/b\.sql/);
    const fromVar = await offlineParseError({
      'dbt_project.yml': `${MINIMAL_PROJECT_YML}vars:\n  use_b: 'false'\n`,
      'models/b.sql': "{{ config(enabled=var('use_b')) }}\nselect 1 as id\n",
    });
    expect(fromVar).toMatch(/model 'b': invalid config enabled: 'false' is not of type 'boolean'/);
  });
});
