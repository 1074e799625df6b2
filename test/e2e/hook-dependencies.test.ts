// Hooks as dbt parses them (dbt-core's update_parsed_node_config): a `ref()` in a node's pre- or
// post-hook, from `config()` or from dbt_project.yml's `+post-hook`, is one of the node's
// dependencies, so the model the hook writes to is built first; a seed's hook may not ref another
// node, and one `config()` call may not set `pre_hook` and `pre-hook` (both refused at parse, exit 2).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAsCli } from '../support/cli-outcome.js';
import { warehouseProject } from '../support/warehouse-project.js';

const PROJECT = 'name: demo\nprofile: demo\n';

function dependsOn(dir: string, id: string): string[] {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { depends_on: { nodes: string[] } }> };
  return manifest.nodes[id]?.depends_on.nodes ?? [];
}

describe('a ref() in a model hook', () => {
  // `a_writer` sorts before `b_log`: only the hook's ref makes b_log run first.
  const project = warehouseProject('pglite', {
    'dbt_project.yml': PROJECT,
    'models/a_writer.sql': "{{ config(post_hook=\"insert into {{ ref('b_log') }} (id) values (42)\") }}\nselect 1 as id",
    'models/b_log.sql': "{{ config(materialized='table') }}\nselect 1 as id",
  });
  afterAll(() => project.cleanup());

  it('depends on the model it refs, which is built before it', async () => {
    const run = await project.run('run');
    expect(run.code, run.output).toBe(0);
    expect(dependsOn(project.dir, 'model.demo.a_writer')).toEqual(['model.demo.b_log']);
    expect(run.results.map((r) => r.unique_id)).toEqual(['model.demo.b_log', 'model.demo.a_writer']);
    expect(await project.sql(`select id from "${project.schema}".b_log order by id`)).toEqual([{ id: 1 }, { id: 42 }]);
  });
});

describe("a ref() in dbt_project.yml's +post-hook", () => {
  const project = warehouseProject('pglite', {
    'dbt_project.yml': `${PROJECT}models:\n  demo:\n    a_writer:\n      +post-hook: "insert into {{ ref('b_log') }} (id) select id + 6 from {{ this }}"\n`,
    'models/a_writer.sql': 'select 1 as id',
    'models/b_log.sql': "{{ config(materialized='table') }}\nselect 1 as id",
  });
  afterAll(() => project.cleanup());

  it('adds the dependency for the nodes the hook applies to', async () => {
    const run = await project.run('run');
    expect(run.code, run.output).toBe(0);
    expect(dependsOn(project.dir, 'model.demo.a_writer')).toEqual(['model.demo.b_log']);
    expect(dependsOn(project.dir, 'model.demo.b_log')).toEqual([]);
    expect(await project.sql(`select id from "${project.schema}".b_log order by id`)).toEqual([{ id: 1 }, { id: 7 }]);
  });
});

describe('hook configs dbt refuses at parse', () => {
  it("refuses a seed hook that refs another node, with dbt's message", async () => {
    const project = warehouseProject('pglite', {
      'dbt_project.yml': `${PROJECT}seeds:\n  +post-hook: "select * from {{ ref('other') }}"\n`,
      'seeds/example.csv': 'id\n1\n',
      'models/other.sql': 'select 1 as id',
    });
    try {
      const parse = await runAsCli(project, 'compile');
      expect(parse.code, parse.output).toBe(2);
      expect(parse.output).toContain('Seeds cannot depend on other nodes');
      expect(parse.output).toContain("Error raised for 'seed.demo.example'");
      expect(parse.output).toContain(`- post_hook: "select * from {{ ref('other') }}"`);
      expect(parse.output).toContain('seeds/example.csv');
    } finally {
      await project.cleanup();
    }
  });

  it('refuses a config() call that sets both pre_hook and pre-hook', async () => {
    const project = warehouseProject('pglite', {
      'dbt_project.yml': PROJECT,
      'models/hooked.sql': "\n{{ config({'pre_hook': 'select 1', 'pre-hook': 'select 2'}) }}\nselect 1 as id",
    });
    try {
      const parse = await runAsCli(project, 'compile');
      expect(parse.code, parse.output).toBe(2);
      expect(parse.output).toContain('Invalid config, has conflicting keys "pre_hook" and "pre-hook"');
      expect(parse.output).toContain('models/hooked.sql:2: Invalid config');
    } finally {
      await project.cleanup();
    }
  });
});
