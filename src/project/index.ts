// Discovering a project's files and parsing its property files (no rendering).
export { discoverProject } from './discover.js';
export { parseSchemaFile } from './schema-file.js';
export { parseTestEntry } from './property-tests.js';
export type * from './types.js';
