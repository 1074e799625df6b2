import { describe, expect, it } from 'vitest';
import type { ProjectConfig } from '../config/types.js';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import { unusedConfigPathWarning } from './unused-config-paths.js';

// dbt's UnusedResourceConfigPath: a dbt_project.yml config path that no resource's fqn reaches.
const project = (raw: Record<string, unknown>) =>
  ({ raw, locate: (path: string[]) => ({ file: 'dbt_project.yml', line: path.length }) }) as unknown as ProjectConfig;
const node = (resource_type: string, fqn: string[]) => ({ resource_type, fqn }) as unknown as ManifestNode;
const manifest = (nodes: ManifestNode[], sources: string[][] = []) =>
  ({
    nodes: Object.fromEntries(nodes.map((n, i) => [`n${i}`, n])),
    sources: Object.fromEntries(sources.map((fqn, i) => [`s${i}`, { fqn }])),
  }) as unknown as Manifest;

describe('unusedConfigPathWarning', () => {
  const raw = {
    models: { '+materialized': 'view', demo: { staging: { '+materialized': 'table' }, stagin: { '+tags': ['x'] }, marts: { core: { '+schema': 'core' } } } },
    data_tests: { demo: { '+severity': 'warn' } },
    seeds: { demo: { '+enabled': true } },
    sources: { demo: { raw: { '+enabled': true } } },
  };

  it('lists the paths no fqn of their resource type reaches, in the order of the file, each with its line', () => {
    const nodes = [node('model', ['demo', 'staging', 'stg_orders']), node('model', ['demo', 'marts', 'orders']), node('test', ['demo', 'staging', 'not_null_x'])];
    const warning = unusedConfigPathWarning(project(raw), manifest(nodes), []);
    expect(warning?.event).toBe('UnusedResourceConfigPath');
    expect(warning?.message).toBe(
      'Configuration paths exist in your dbt_project.yml file which do not apply to any resources.\nThere are 4 unused configuration paths:\n' +
        '- models.demo.stagin (dbt_project.yml:3)\n- models.demo.marts.core (dbt_project.yml:4)\n- seeds.demo (dbt_project.yml:2)\n- sources.demo.raw (dbt_project.yml:3)',
    );
    expect(warning?.location).toEqual({ file: 'dbt_project.yml', line: 3 });
  });

  it("a model's fqn does not reach a seeds path; sources and disabled nodes of any type reach theirs", () => {
    const nodes = [node('model', ['demo', 'staging', 'a']), node('model', ['demo', 'stagin', 'b']), node('test', ['demo', 't']), node('model', ['demo', 'seed_like'])];
    const warning = unusedConfigPathWarning(project(raw), manifest(nodes, [['demo', 'raw', 'orders']]), [['demo', 'marts', 'core', 'x']]);
    // The disabled fqn reaches models.demo.marts.core and seeds.demo (any type, as dbt counts them).
    expect(warning).toBeNull();
  });

  it('the top-level path (`models: +materialized`) is used by any model; none without one', () => {
    expect(unusedConfigPathWarning(project({ models: { '+materialized': 'view' } }), manifest([node('model', ['demo', 'a'])]), [])).toBeNull();
    expect(unusedConfigPathWarning(project({ models: { '+materialized': 'view' } }), manifest([node('seed', ['demo', 'a'])]), [])?.message).toContain('- models (dbt_project.yml:1)');
  });
});
