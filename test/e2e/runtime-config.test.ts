// `builtins.ref.config` is dbt's RuntimeConfig (dbt's ref resolver keeps it as `config`): Elementary's
// and the Tuva project's `get_runtime_config()` return it and read the packages' versions from
// `dependencies`, the project's name, the command's arguments and the vars. Before, the attribute
// was undefined, and both projects stopped at parse.
import { afterAll, describe, expect, it } from 'vitest';
import { offlineProject, type OfflineProject } from '../support/offline-project.js';
import { removeDir } from '../support/testdir.js';

describe('ref.config (dbt RuntimeConfig)', () => {
  let p: OfflineProject | undefined;
  afterAll(() => p && removeDir(p.dir));

  it('gives the projects by name with their versions, the project and profile names, args, and vars', async () => {
    p = await offlineProject({
      'dbt_project.yml': "name: demo\nversion: '2.3.0'\nprofile: demo\nvars:\n  color: blue\nflags:\n  require_explicit_package_overrides_for_builtin_materializations: false\n",
      'macros/get_runtime_config.sql': '{% macro get_runtime_config() %}{{ return(builtins.ref.config) }}{% endmacro %}',
      'dbt_packages/elem/dbt_project.yml': "name: elem\nversion: '0.18.3'\n",
      'dbt_packages/elem/macros/version.sql': "{% macro package_version() %}{% set conf = builtins.ref.config %}{% do return(conf.dependencies['elem'].version) %}{% endmacro %}",
      'models/facts.sql': [
        '{% set conf = get_runtime_config() %}',
        "select '{{ elem.package_version() }}' as elem_version,",
        "  '{{ conf.dependencies['demo'].version }}' as demo_version,",
        "  '{{ conf.project_name }}' as project_name,",
        "  '{{ conf.profile_name }}/{{ conf.target_name }}' as profile_target,",
        "  '{{ conf.args.require_explicit_package_overrides_for_builtin_materializations }}' as override_flag,",
        "  '{{ conf.args.which }}' as which,",
        "  '{{ conf.vars.to_dict()['color'] }}' as color,",
        "  '{{ conf.cli_vars | length }}' as cli_vars,",
        "  '{{ ref.config.project_name }}' as through_ref",
      ].join('\n'),
    });
    const sql = p.compiled('facts');
    expect(sql).toContain("'0.18.3' as elem_version");
    expect(sql).toContain("'2.3.0' as demo_version");
    expect(sql).toContain("'demo' as project_name");
    expect(sql).toContain("'demo/dev' as profile_target");
    expect(sql).toContain("'False' as override_flag");
    expect(sql).toContain("'compile' as which");
    expect(sql).toContain("'blue' as color");
    expect(sql).toContain("'0' as cli_vars");
    expect(sql).toContain("'demo' as through_ref");
  });
});

// dbt's `adapter.config` is the same RuntimeConfig; its `quoting` is dbt_project.yml's block.
// Elementary 0.19's create_elementary_test_table reads `adapter.config.quoting.get("identifier", ...)`.
describe('adapter.config (dbt RuntimeConfig)', () => {
  let p: OfflineProject | undefined;
  afterAll(() => p && removeDir(p.dir));

  it("is ref.config, with the project's quoting", async () => {
    p = await offlineProject({
      'dbt_project.yml': 'name: demo\nprofile: demo\nquoting:\n  identifier: false\n',
      'models/q.sql': [
        "{% if execute %}select '{{ adapter.config.quoting.get('identifier', true) }}' as identifier,",
        "  '{{ adapter.config.quoting.get('schema', 'unset') }}' as schema_quoting, '{{ adapter.config.project_name }}' as project{% endif %}",
      ].join('\n'),
    });
    expect(p.compiled('q')).toContain("'False' as identifier,\n  'unset' as schema_quoting, 'demo' as project");
  });
});
