// The run's query comments from a loaded project: the default comment names each node, rendered
// once per package rather than once per node; a project's `tojson` still decides it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dialectFor } from '../adapters/index.js';
import { DBT_VERSION, tsdbtVersion } from '../artifacts/metadata.js';
import { Compiler } from '../compile/compiler.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../../test/support/testdir.js';
import { createInvocation } from './invocation.js';
import { loadProject } from './project-loader.js';
import { queryComments } from './query-comments.js';

const PROFILES = 'demo:\n  target: dev\n  outputs:\n    dev:\n      type: pglite\n      path: memory\n      schema: main\n';
const MODELS = { 'models/plain.sql': 'select 1 as id\n', 'models/ünï"quoted".sql': 'select 2 as id\n', 'models/other.sql': 'select 3 as id\n' };

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

function load(files: Record<string, string>) {
  const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'profiles.yml': PROFILES, ...files });
  dirs.push(dir);
  const inv = createInvocation({ projectDir: dir, write: () => undefined, writeError: () => undefined, env: { ...process.env, TSDBT_PROFILES_DIR: dir, DBT_PROFILES_DIR: '', HOME: dir } });
  return loadProject(inv);
}

describe('query comments', () => {
  it("puts each node's own default comment on its statements, rendering the template once per package", () => {
    const project = load(MODELS);
    const render = vi.spyOn(project.session, 'render');
    const comments = queryComments(project);
    const ids = Object.keys(project.parsed.manifest.nodes).filter((id) => id.startsWith('model.'));
    expect(ids).toHaveLength(3);
    for (const id of ids) {
      const expected = `{"app": "tsdbt", "dbt_version": ${JSON.stringify(DBT_VERSION)}, "tsdbt_version": ${JSON.stringify(tsdbtVersion())}, "profile_name": "demo", "target_name": "dev", "node_id": ${JSON.stringify(id)}}`;
      expect(comments.add('select 1', id)).toBe(`/* ${expected} */\nselect 1`);
    }
    expect(render).toHaveBeenCalledTimes(1);
    // Statements for no node name the connection instead.
    expect(comments.add('select 1', undefined)).toMatch(/"connection_name": "master"\} \*\/\nselect 1$/);
  });

  it("renders the comment per node where the project replaces tojson", () => {
    const project = load({ ...MODELS, 'macros/tojson.sql': "{% macro tojson(value) %}{{ return('custom ' ~ value['node_id']) }}{% endmacro %}\n" });
    const render = vi.spyOn(project.session, 'render');
    const comments = queryComments(project);
    expect(comments.add('select 1', 'model.demo.plain')).toBe('/* custom model.demo.plain */\nselect 1');
    expect(comments.add('select 1', 'model.demo.other')).toBe('/* custom model.demo.other */\nselect 1');
    expect(render).toHaveBeenCalledTimes(2);
  });

  // dbt renders query-comment in its query-header context (a ManifestContext: the project's macros,
  // target, var, env_var), which has no ref() or source(); tsdbt rendered the comment with the
  // refs of whichever Compiler was made last.
  it.each([
    ["{{ ref('plain') }}", "ref('plain')"],
    ["{{ source('raw', 'events') }}", "source('raw', 'events')"],
  ])('refuses %s in a query comment, as dbt has neither ref nor source there', (comment, call) => {
    const sources = 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: events\n';
    const project = load({ ...MODELS, 'models/sources.yml': sources, 'dbt_project.yml': `${MINIMAL_PROJECT_YML}query-comment: "${comment}"\n` });
    // A run's Compiler exists while its statements get their comments.
    new Compiler(project.session, project.parsed.manifest, project.parsed.refs, dialectFor(project.target).sql);
    const comments = queryComments(project);
    expect(() => comments.add('select 1', 'model.demo.plain')).toThrow(`the query comment did not render for model.demo.plain: ${call} is not available in a query comment`);
  });
});
