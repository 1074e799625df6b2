// dbt_project.yml configures exposures, metrics, semantic models and saved queries too (dbt docs,
// "Project configs": `exposures:`, `metrics:`, `semantic-models:`, `saved-queries:` with +enabled,
// +meta, +tags, +group), by fqn like models; the property entry's config is applied on top.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvocation } from '../../src/app/invocation.js';
import { parseCommand } from '../../src/app/parse-command.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

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
  'profiles.yml': 'demo:\n  target: dev\n  outputs:\n    dev: {type: pglite, path: memory, schema: main}\n',
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
  let dir: string;
  let manifest: { exposures: Record<string, Record<string, unknown>> };
  beforeAll(async () => {
    dir = testdir(FILES);
    const lines: string[] = [];
    const inv = createInvocation({ projectDir: dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir } });
    expect(await parseCommand(inv), lines.join('\n')).toBe(0);
    manifest = JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8')) as typeof manifest;
  });
  afterAll(() => removeDir(dir));

  it('applies +meta and +tags by fqn under the entry\'s own, and +enabled: false leaves one out', () => {
    expect(Object.keys(manifest.exposures)).toEqual(['exposure.demo.weekly']);
    expect(manifest.exposures['exposure.demo.weekly']).toMatchObject({ meta: { team: 'bi', refresh: 'daily' }, tags: ['shared', 'weekly'], config: { enabled: true, meta: { team: 'bi', refresh: 'daily' } } });
  });
});
