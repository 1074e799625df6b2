// Fields dbt's manifest.json writes with their defaults when a project leaves them unset, as dbt's
// dataclasses write them (omit_none=False), from dbt-core's resources (dbt/artifacts/resources/v1)
// and the manifest dbt-core's tests/functional/artifacts expects:
// - a generic test's `file_key_name`: the property file's key and entry name (`models.model`,
//   `sources.my_source`; SchemaGenericTestParser: `f"{target.yaml_key}.{target.name}"`);
// - a node's `docs` and `config.docs` as dbt's Docs (show, node_color None) when the config's
//   `docs` gives only `show` (parser/base.py: `Docs(show=docs_show)`);
// - a source's `quoting` as dbt's Quoting (database, schema, identifier, column) and `created_at`;
// - an exposure's `maturity`, `url` (None), `owner.name` (None), and the calls of its depends_on as
//   `refs`, `sources`, `metrics`, its depends_on.nodes sources first, then refs (dbt links sources
//   before refs: ManifestLoader.process_sources, then process_refs);
// - a group's `description` None unless given, its config dbt's GroupConfig ({meta});
// - a doc block's `path` relative to the folder it was found under (`docs.md`).
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { offlineProject } from '../support/offline-project.js';
import { MINIMAL_PROJECT_YML, removeDir } from '../support/testdir.js';

const SCHEMA = `version: 2
sources:
  - name: my_source
    quoting: {identifier: true}
    tables:
      - name: my_table
        columns:
          - name: id
            data_tests: [unique]
models:
  - name: model
    config:
      docs: {show: false}
    columns:
      - name: id
        data_tests: [not_null]
groups:
  - name: test_group
    owner: {email: group@example.com}
exposures:
  - name: simple_exposure
    type: dashboard
    depends_on: ["ref('model')", "source('my_source', 'my_table')"]
    owner: {email: something@example.com}
`;

type Json = Record<string, unknown>;

describe("manifest.json's dbt defaults", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));

  it('are written for generic tests, docs, sources, exposures, groups and doc blocks', async () => {
    const project = await offlineProject(
      {
        'dbt_project.yml': MINIMAL_PROJECT_YML,
        'models/model.sql': 'select 1 as id',
        'models/schema.yml': SCHEMA,
        'models/docs.md': '{% docs summary %}A summary{% enddocs %}',
      },
      'parse',
    );
    dirs.push(project.dir);
    const manifest = project.manifest<Record<string, Record<string, Json>>>();
    const tests = Object.values(manifest.nodes ?? {}).filter((n) => n.resource_type === 'test');
    expect(Object.fromEntries(tests.map((t) => [t.name, t.file_key_name]))).toEqual({ not_null_model_id: 'models.model', source_unique_my_source_my_table_id: 'sources.my_source' });
    const model = manifest.nodes?.['model.demo.model'] as Json;
    expect(model.docs).toEqual({ show: false, node_color: null });
    expect((model.config as Json).docs).toEqual({ show: false, node_color: null });
    const source = manifest.sources?.['source.demo.my_source.my_table'] as Json;
    expect(source.quoting).toEqual({ database: null, schema: null, identifier: true, column: null });
    expect(source.created_at).toBe(0);
    const exposure = manifest.exposures?.['exposure.demo.simple_exposure'] as Json;
    expect(exposure).toMatchObject({
      maturity: null,
      url: null,
      owner: { email: 'something@example.com', name: null },
      refs: [{ name: 'model', package: null, version: null }],
      sources: [['my_source', 'my_table']],
      metrics: [],
      depends_on: { nodes: ['source.demo.my_source.my_table', 'model.demo.model'], macros: [] },
    });
    const group = manifest.groups?.['group.demo.test_group'] as Json;
    expect(group).toMatchObject({ owner: { email: 'group@example.com', name: null }, description: null, config: { meta: {} } });
    expect(group.config).toEqual({ meta: {} });
    expect(manifest.docs?.['doc.demo.summary']).toMatchObject({ path: 'docs.md', original_file_path: 'models/docs.md' });
  });
});

describe("manifest.json's order and checksums as dbt's parser makes them", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));

  it("lists an entry's column tests before its own (SchemaGenericTestParser.parse_tests) and gives a snapshot block its file's checksum", async () => {
    const snapshotFile = "\n{% snapshot snap %}\n{{ config(unique_key='id', strategy='check', check_cols='all', target_schema='snaps') }}\nselect 1 as id\n{% endsnapshot %}\n";
    const project = await offlineProject(
      {
        'dbt_project.yml': MINIMAL_PROJECT_YML,
        'models/model.sql': 'select 1 as id',
        'models/schema.yml': 'version: 2\nmodels:\n  - name: model\n    data_tests:\n      - unique: {column_name: id}\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
        'snapshots/snap.sql': snapshotFile,
      },
      'parse',
    );
    dirs.push(project.dir);
    const manifest = project.manifest<Record<string, Record<string, Json>>>();
    const tests = Object.values(manifest.nodes ?? {}).filter((n) => n.resource_type === 'test').map((n) => n.name);
    expect(tests).toEqual(['not_null_model_id', 'unique_model_id']);
    // dbt reads a SQL file stripped (load_file_contents(strip=True)); the block's checksum is the file's.
    const fileDigest = createHash('sha256').update(snapshotFile.trim()).digest('hex');
    expect(manifest.nodes?.['snapshot.demo.snap']?.checksum).toEqual({ name: 'sha256', checksum: fileDigest });
  });
});
