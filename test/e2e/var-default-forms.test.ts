// dbt's `var(var_name, default=...)`: a default given in any form counts, even one that is an
// undefined name (`var('x', FALSE)`: Jinja knows `false`/`False`, not `FALSE`) or None, and the
// default may be passed by keyword (env_var's too, and in YAML values). Data Vault packages
// (datavault4dbt) read their settings so.
import { describe, expect, it } from 'vitest';
import { offlineProject } from '../support/offline-project.js';

describe('var() defaults', () => {
  it('takes an undefined, a none or a keyword default instead of failing on a missing var', async () => {
    const project = await offlineProject({
      'dbt_project.yml': 'name: demo\nprofile: demo\nvars:\n  set_one: 7\n',
      'models/m.sql':
        "{%- set a = var('missing_a', FALSE) -%}\n" +
        "undefined_default: [{{ a }}] {{ 'falsy' if not a else 'truthy' }}\n" +
        "none_default: {{ var('missing_b', none) is none }}\n" +
        "keyword_default: {{ var('missing_c', default='kw') }}\n" +
        "keyword_name: {{ var(var_name='set_one') }}\n" +
        "env_keyword_default: {{ env_var('TSDBT_SURELY_UNSET_VAR', default='env-kw') }}\n" +
        'select 1 as id\n',
    });
    const lines = project.compiled('m').split('\n');
    expect(lines).toContain('undefined_default: [] falsy');
    expect(lines).toContain('none_default: True');
    expect(lines).toContain('keyword_default: kw');
    expect(lines).toContain('keyword_name: 7');
    expect(lines).toContain('env_keyword_default: env-kw');
  });

  it('takes keyword defaults in YAML values too', async () => {
    const project = await offlineProject({
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'models/m.sql': 'select 1 as id\n',
      'models/schema.yml':
        'version: 2\nmodels:\n  - name: m\n    config:\n      tags:\n' +
        "        - \"{{ var('missing', default='v-kw') }}\"\n        - \"{{ env_var('TSDBT_SURELY_UNSET_VAR', default='e-kw') }}\"\n",
    }, 'parse');
    expect(project.manifest<{ nodes: Record<string, { config: { tags: string[] } }> }>().nodes['model.demo.m']?.config.tags).toEqual(['v-kw', 'e-kw']);
  });
});
