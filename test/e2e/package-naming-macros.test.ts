// A package's own generate_schema_name / generate_alias_name / generate_database_name name that
// package's nodes, as dbt-core's RelationUpdate does (find_generate_macro_by_name with the imported
// package): the root project's nodes keep the root's macro or dbt's default, never another
// package's, and a root override does not reach a package that brings its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineProject, type OfflineProject } from '../support/offline-project.js';
import { removeDir } from '../support/testdir.js';

const PROJECT = "name: demo\nversion: '1.0.0'\nconfig-version: 2\nprofile: demo\n";
const pkg = (name: string) => `name: ${name}\nversion: '1.0.0'\nconfig-version: 2\n`;

function files(rootOverride: boolean): Record<string, string> {
  return {
    'dbt_project.yml': PROJECT,
    'packages.yml': 'packages:\n  - local: vendor/named\n  - local: vendor/bystander\n',
    'models/root_model.sql': "{{ config(schema='extra') }}select 1 as id\n",
    ...(rootOverride ? { 'macros/names.sql': "{% macro generate_schema_name(custom_schema_name, node) -%}root_{{ custom_schema_name or 'none' }}{%- endmacro %}\n" } : {}),
    // A package with models and its own naming macros.
    'dbt_packages/named/dbt_project.yml': pkg('named'),
    'dbt_packages/named/models/pkg_model.sql': "{{ config(schema='extra') }}select 2 as id\n",
    'dbt_packages/named/seeds/pkg_seed.csv': 'id\n1\n',
    'dbt_packages/named/macros/names.sql':
      "{% macro generate_alias_name(custom_alias_name=none, node=none) -%}{{ node.name ~ '_named' }}{%- endmacro %}\n" +
      "{% macro generate_schema_name(custom_schema_name=none, node=none) -%}named_{{ custom_schema_name or 'none' }}{%- endmacro %}\n",
    // A package whose naming macro must reach no one else's nodes.
    'dbt_packages/bystander/dbt_project.yml': pkg('bystander'),
    'dbt_packages/bystander/macros/names.sql': "{% macro generate_alias_name(custom_alias_name=none, node=none) -%}bystander_{{ node.name }}{%- endmacro %}\n",
  };
}

type Nodes = Record<string, { schema: string; alias: string; relation_name: string }>;

describe("a package's own naming macros", () => {
  const projects: OfflineProject[] = [];
  let plain: Nodes;
  let overridden: Nodes;
  beforeAll(async () => {
    for (const rootOverride of [false, true]) projects.push(await offlineProject(files(rootOverride), 'parse'));
    plain = projects[0]!.manifest<{ nodes: Nodes }>().nodes;
    overridden = projects[1]!.manifest<{ nodes: Nodes }>().nodes;
  });
  afterAll(() => projects.forEach((p) => removeDir(p.dir)));

  it("name the package's models and seeds when the root project overrides nothing", () => {
    expect(plain['model.named.pkg_model']).toMatchObject({ schema: 'named_extra', alias: 'pkg_model_named', relation_name: '"postgres"."named_extra"."pkg_model_named"' });
    expect(plain['seed.named.pkg_seed']).toMatchObject({ schema: 'named_none', alias: 'pkg_seed_named' });
  });

  it("leave the root project's nodes to dbt's defaults", () => {
    expect(plain['model.demo.root_model']).toMatchObject({ schema: 'main_extra', alias: 'root_model' });
  });

  it("win over the root project's override for the package's nodes, which still names the root's", () => {
    expect(overridden['model.named.pkg_model']).toMatchObject({ schema: 'named_extra', alias: 'pkg_model_named' });
    expect(overridden['model.demo.root_model']).toMatchObject({ schema: 'root_extra', alias: 'root_model' });
  });
});
