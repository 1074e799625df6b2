// Loading and validating configuration: dbt_project.yml, profiles.yml, vars, config hierarchy.
export { loadProjectConfig, readProjectHeader, type ProjectValueRenderer } from './project-config.js';
export { loadProfile, profileSearchPath, userDir, type LoadProfileOptions } from './profiles.js';
export { deepMerge, isFolderKey, layeredTree, mergeConfigs, resolveHierarchyConfig, hierarchyLevels } from './config-hierarchy.js';
export { parseCliVars, resolveVars } from './vars.js';
export { DEFAULT_QUERY_COMMENT, queryCommentSettings, type QueryCommentSettings } from './query-comment.js';
export { parseYamlText, readYamlFile, isPlainObject, type YamlFile, type YamlWarning } from './yaml-file.js';
export type { ProjectConfig, ResolvedProfile, DispatchEntry } from './types.js';
