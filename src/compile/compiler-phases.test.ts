// Each Compiler renders through an execute phase of its own: two Compilers of one render session
// (`compile` makes an offline one, then a connected one) resolve refs each their own way, whichever
// was made last. (One session-wide ref resolution, installed by the last Compiler made, gave the
// first Compiler the second one's refs.)
import { afterEach, describe, expect, it } from 'vitest';
import { dialectFor } from '../adapters/index.js';
import { createInvocation } from '../app/invocation.js';
import { loadProject } from '../app/project-loader.js';
import type { ManifestNode } from '../manifest/types.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../../test/support/testdir.js';
import { Compiler } from './compiler.js';

const PROFILES = 'demo:\n  target: dev\n  outputs:\n    dev:\n      type: pglite\n      path: memory\n      schema: main\n';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

function load() {
  const dir = testdir({
    'dbt_project.yml': MINIMAL_PROJECT_YML,
    'profiles.yml': PROFILES,
    'models/a.sql': 'select 1 as id\n',
    'models/b.sql': "select * from {{ ref('a') }}\n",
  });
  dirs.push(dir);
  const inv = createInvocation({ projectDir: dir, write: () => undefined, writeError: () => undefined, env: { ...process.env, TSDBT_PROFILES_DIR: dir, DBT_PROFILES_DIR: '', HOME: dir } });
  return loadProject(inv);
}

describe('two Compilers of one render session', () => {
  it('resolve refs independently: the deferred one keeps deferring after the other is made', () => {
    const project = load();
    const { manifest, refs } = project.parsed;
    const sql = dialectFor(project.target).sql;
    const b = manifest.nodes['model.demo.b'] as ManifestNode;
    const deferred = new Compiler(project.session, manifest, refs, sql);
    deferred.deferTo({ relationFor: (node) => (node.name === 'a' ? { database: null, schema: 'prod', identifier: 'a' } : null) });
    const plain = new Compiler(project.session, manifest, refs, sql);
    expect(deferred.compile(b).sql).toBe('select * from "prod"."a"');
    expect(plain.compile(b).sql).toBe('select * from "postgres"."main"."a"');
    expect(deferred.compile(b).sql).toBe('select * from "prod"."a"');
    // A hook's render goes through its Compiler's phase, and sees that Compiler's refs.
    const hook = "insert into log select * from {{ ref('a') }}";
    expect(deferred.phase.render(b, { refs: [], sources: [], configCalls: [] }, hook).sql).toBe('insert into log select * from "prod"."a"');
    expect(plain.phase.render(b, { refs: [], sources: [], configCalls: [] }, hook).sql).toBe('insert into log select * from "postgres"."main"."a"');
  });
});
