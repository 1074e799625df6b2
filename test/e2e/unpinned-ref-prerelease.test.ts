// dbt's UnpinnedRefNewVersionAvailable (info, I064; docs "Model versions": a version above
// latest_version is a prerelease, and an unpinned ref resolves to latest_version): a model compiled
// with an unpinned ref to such a model says so, naming the version it got and the prerelease
// (dbt-core's partial_parsing TestVersionedModels). Pinned refs, and models whose latest version
// is their highest, say nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLogEvents } from '../support/json-log.js';
import { PGLITE_PROFILES } from '../support/parse-files.js';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

let dir: string;
beforeAll(() => {
  dir = testdir({
    'dbt_project.yml': MINIMAL_PROJECT_YML,
    'profiles.yml': PGLITE_PROFILES,
    'models/model_one_v1.sql': 'select 1 as id\n',
    'models/model_one_v2.sql': 'select 2 as id\n',
    'models/downstream.sql': "select * from {{ ref('model_one') }}\n",
    'models/pinned.sql': "select * from {{ ref('model_one', v=2) }}\n",
    'models/schema.yml': 'models:\n  - name: model_one\n    latest_version: 1\n    versions:\n      - v: 1\n      - v: 2\n',
  });
});
afterAll(() => removeDir(dir));

describe('an unpinned ref to a model with a prerelease version', () => {
  it('logs UnpinnedRefNewVersionAvailable for the model that made it, once', async () => {
    const result = await runTsdbt(['--log-format', 'json', 'compile', '--project-dir', dir, '--profiles-dir', dir]);
    expect(result.code, result.stderr).toBe(0);
    const events = jsonLogEvents(result.stdout).filter((e) => e.name === 'UnpinnedRefNewVersionAvailable');
    expect(events).toHaveLength(1);
    expect(events[0]?.level).toBe('info');
    expect(events[0]?.code).toBe('I064');
    expect(events[0]?.msg).toBe(
      [
        "While compiling 'downstream':",
        "Found an unpinned reference to versioned model 'model_one' in project 'demo'.",
        'Resolving to latest version: model_one.v1',
        "A prerelease version 2 is available. It has not yet been marked 'latest' by its maintainer.",
        'When that happens, this reference will resolve to model_one.v2 instead.',
        '',
        "  Try out v2: {{ ref('demo', 'model_one', v='2') }}",
        "  Pin to  v1: {{ ref('demo', 'model_one', v='1') }}",
        '',
      ].join('\n'),
    );
  });
});
