// Discovering a project's files and parsing its property files.
export { discoverProject, fileStem, hasExtension, relocatedFile, sqlFile } from './discover.js';
export { DBTIGNORE_FILE } from './dbtignore.js';
export { parseSchemaFile } from './schema-file.js';
export type { PropertyValueRenderer } from './property-render.js';
export { parseTestEntry } from './property-tests.js';
export type * from './types.js';
