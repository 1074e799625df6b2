// An exposure's tags and meta as dbt's ExposureParser makes them (schema_yaml_readers.py):
// tags = sorted(set(project.exposures["tags"] + entry tags + config tags)) and
// meta = {**project.exposures["meta"], **entry meta, **config meta}, where `project.exposures` is
// the exposure's own package's dbt_project.yml `exposures:` mapping with its plain `tags`/`meta`
// keys (a plain mapping key is a folder to the config hierarchy, so `meta:` reaches the exposure
// only this way); both written back into the exposure's config.
import { afterAll, describe, expect, it } from 'vitest';
import { offlineProject } from '../support/offline-project.js';
import { MINIMAL_PROJECT_YML, removeDir } from '../support/testdir.js';

const PROJECT = `${MINIMAL_PROJECT_YML}exposures:
  tags: [global_tag, common_tag]
  meta:
    some_key: should_be_overridden
    another_key: should_stay
    type_change: [foo, bar]
`;

const SCHEMA = `version: 2
exposures:
  - name: simple_exposure
    type: dashboard
    config:
      tags: [local_tag, common_tag]
      meta:
        some_key: some_value
        type_change: 123
    depends_on: ["ref('model')"]
    owner: {email: something@example.com}
  - name: plain_exposure
    type: notebook
    meta: {tool: my_tool}
    depends_on: ["ref('model')"]
    owner: {email: something@example.com}
`;

type Json = Record<string, unknown>;

describe("an exposure's tags and meta", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));

  it("merge its project's plain `exposures: meta:` and `tags:` under its own, into its config too", async () => {
    const project = await offlineProject({ 'dbt_project.yml': PROJECT, 'models/model.sql': 'select 1 as id', 'models/schema.yml': SCHEMA }, 'parse');
    dirs.push(project.dir);
    const exposures = project.manifest<{ exposures: Record<string, Json> }>().exposures;
    const simple = exposures['exposure.demo.simple_exposure'] as Json;
    const meta = { some_key: 'some_value', another_key: 'should_stay', type_change: 123 };
    expect(simple.meta).toEqual(meta);
    expect(simple.tags).toEqual(['common_tag', 'global_tag', 'local_tag']);
    expect(simple.config).toEqual({ enabled: true, tags: ['common_tag', 'global_tag', 'local_tag'], meta });
    const plain = exposures['exposure.demo.plain_exposure'] as Json;
    expect(plain.meta).toEqual({ some_key: 'should_be_overridden', another_key: 'should_stay', type_change: ['foo', 'bar'], tool: 'my_tool' });
    expect((plain.config as Json).meta).toEqual(plain.meta);
  });
});
