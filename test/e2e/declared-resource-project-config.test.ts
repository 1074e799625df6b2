// dbt_project.yml configures exposures, metrics, semantic models and saved queries too (dbt docs,
// "Project configs": `exposures:`, `metrics:`, `semantic-models:`, `saved-queries:` with +enabled,
// +meta, +tags, +group), by fqn like models; the property entry's config is applied on top.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineProject, type OfflineProject } from '../support/offline-project.js';
import { MINIMAL_PROJECT_YML, removeDir } from '../support/testdir.js';

const FILES = {
  'dbt_project.yml': `${MINIMAL_PROJECT_YML}exposures:
  demo:
    +meta: {team: bi}
    +tags: [shared]
    internal:
      +enabled: false
metrics:
  demo:
    +group: finance
`,
  'models/orders.sql': 'select 1 as id, 10 as amount\n',
  'models/reports/_exposures.yml': `version: 2
exposures:
  - name: weekly
    type: dashboard
    owner: {email: a@example.com}
    depends_on: [ref('orders')]
    config: {tags: [weekly], meta: {refresh: daily}}
`,
  'models/internal/_exposures.yml': `version: 2
exposures:
  - name: scratch
    type: notebook
    owner: {email: b@example.com}
    depends_on: [ref('orders')]
`,
};

describe("dbt_project.yml's configs for declared resources", () => {
  let project: OfflineProject;
  let manifest: { exposures: Record<string, Record<string, unknown>> };
  beforeAll(async () => {
    project = await offlineProject(FILES, 'parse');
    manifest = project.manifest<typeof manifest>();
  });
  afterAll(() => removeDir(project.dir));

  it('applies +meta and +tags by fqn under the entry\'s own, and +enabled: false leaves one out', () => {
    expect(Object.keys(manifest.exposures)).toEqual(['exposure.demo.weekly']);
    expect(manifest.exposures['exposure.demo.weekly']).toMatchObject({ meta: { team: 'bi', refresh: 'daily' }, tags: ['shared', 'weekly'], config: { enabled: true, meta: { team: 'bi', refresh: 'daily' } } });
  });
});
