// The config scope of a package's resources: the package's own dbt_project.yml trees, with the
// root project's trees layered over them (`models: dbt_utils: +schema: utils` in the root project
// wins over the package's own setting, at any depth), as dbt does (config/config-hierarchy.ts).
import type { ProjectConfig } from '../config/types.js';
import { layeredTree } from '../config/index.js';

const layer = layeredTree;

export function packageScope(root: ProjectConfig, pkg: ProjectConfig): ProjectConfig {
  return {
    ...pkg,
    models: layer(pkg.models, root.models),
    seeds: layer(pkg.seeds, root.seeds),
    tests: layer(pkg.tests, root.tests),
    snapshots: layer(pkg.snapshots, root.snapshots),
    functions: layer(pkg.functions, root.functions),
    sources: layer(pkg.sources, root.sources),
    unitTests: layer(pkg.unitTests, root.unitTests),
    declaredTrees: {
      exposure: layer(pkg.declaredTrees?.exposure, root.declaredTrees?.exposure),
      metric: layer(pkg.declaredTrees?.metric, root.declaredTrees?.metric),
      semantic_model: layer(pkg.declaredTrees?.semantic_model, root.declaredTrees?.semantic_model),
      saved_query: layer(pkg.declaredTrees?.saved_query, root.declaredTrees?.saved_query),
    },
    unrenderedTrees: {
      models: layer(pkg.unrenderedTrees?.models, root.unrenderedTrees?.models),
      seeds: layer(pkg.unrenderedTrees?.seeds, root.unrenderedTrees?.seeds),
      tests: layer(pkg.unrenderedTrees?.tests, root.unrenderedTrees?.tests),
      snapshots: layer(pkg.unrenderedTrees?.snapshots, root.unrenderedTrees?.snapshots),
      functions: layer(pkg.unrenderedTrees?.functions, root.unrenderedTrees?.functions),
      sources: layer(pkg.unrenderedTrees?.sources, root.unrenderedTrees?.sources),
    },
  };
}
