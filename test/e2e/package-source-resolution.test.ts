// Two packages declaring the same source table: `source()` reads the one dbt's resolve_source
// reaches first from the calling node (dbt-core's _packages_to_search): the root project's, then
// the node's own package's (the other way round with the behaviour flag
// `require_ref_searches_node_package_before_root`), then any package's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineProject, type OfflineProject } from '../support/offline-project.js';
import { removeDir } from '../support/testdir.js';

const pkgSources = "version: 2\nsources:\n  - name: shared\n    schema: pkg_schema\n    tables:\n      - name: events\n  - name: only_in_pkg\n    schema: pkg_only\n    tables:\n      - name: things\n";

function files(nodePackageFirst: boolean): Record<string, string> {
  return {
    'dbt_project.yml': `name: demo\nversion: '1.0.0'\nconfig-version: 2\nprofile: demo\n${nodePackageFirst ? 'flags:\n  require_ref_searches_node_package_before_root: true\n' : ''}`,
    'packages.yml': 'packages:\n  - local: vendor/lib\n',
    'models/sources.yml': 'version: 2\nsources:\n  - name: shared\n    schema: root_schema\n    tables:\n      - name: events\n',
    'models/root_reader.sql': "select * from {{ source('shared', 'events') }} cross join {{ source('only_in_pkg', 'things') }}\n",
    'dbt_packages/lib/dbt_project.yml': "name: lib\nversion: '1.0.0'\nconfig-version: 2\n",
    'dbt_packages/lib/models/sources.yml': pkgSources,
    'dbt_packages/lib/models/pkg_reader.sql': "select * from {{ source('shared', 'events') }}\n",
  };
}

type Nodes = Record<string, { depends_on: { nodes: string[] } }>;

describe('source() where two packages declare the same source table', () => {
  const projects: OfflineProject[] = [];
  beforeAll(async () => {
    for (const nodePackageFirst of [false, true]) projects.push(await offlineProject(files(nodePackageFirst)));
  });
  afterAll(() => projects.forEach((p) => removeDir(p.dir)));

  it("reads the root project's from every package by default", () => {
    const [project] = projects;
    expect(project!.compiled('root_reader')).toContain('"postgres"."root_schema"."events"');
    expect(project!.compiled('root_reader')).toContain('"postgres"."pkg_only"."things"');
    const nodes = project!.manifest<{ nodes: Nodes }>().nodes;
    expect(nodes['model.demo.root_reader']!.depends_on.nodes).toEqual(['source.demo.shared.events', 'source.lib.only_in_pkg.things']);
    expect(nodes['model.lib.pkg_reader']!.depends_on.nodes).toEqual(['source.demo.shared.events']);
  });

  it("reads the node's own package's first with require_ref_searches_node_package_before_root", () => {
    const nodes = projects[1]!.manifest<{ nodes: Nodes }>().nodes;
    expect(nodes['model.lib.pkg_reader']!.depends_on.nodes).toEqual(['source.lib.shared.events']);
    expect(nodes['model.demo.root_reader']!.depends_on.nodes).toEqual(['source.demo.shared.events', 'source.lib.only_in_pkg.things']);
  });
});
