// A node's files under target/: dbt's compiled_path layout (target/compiled and target/run).
import path from 'node:path';
import type { ManifestNode } from '../manifest/types.js';

/**
 * dbt's layout: target/compiled/<package>/<original path>[/<test file>.sql]; a generic test's file
 * is its path's name (its short, possibly hashed, name: full names can be too long for a file).
 */
export function compiledPath(targetDir: string, kind: 'compiled' | 'run', node: ManifestNode): string {
  return underTarget(targetDir, kind, node.package_name, compiledRelPath(node));
}

/**
 * compiledPath under two target folders (the absolute one written to, and the project's
 * `target-path` a node's compiled_path names), the node's part of the path made once: compile
 * asks both for each of its 30,000 nodes.
 */
export function compiledPaths(targetDirs: readonly [string, string], kind: 'compiled' | 'run', node: ManifestNode): [string, string] {
  const rel = compiledRelPath(node);
  return [underTarget(targetDirs[0], kind, node.package_name, rel), underTarget(targetDirs[1], kind, node.package_name, rel)];
}

/**
 * Whether a node's compiled code goes to target/compiled (and names its compiled_path): dbt's
 * Compiler._write_node writes no seed nor snapshot, and no node whose compiled code is empty.
 */
export function writesCompiledFile(node: ManifestNode, compiledCode: string | null | undefined): boolean {
  return node.resource_type !== 'seed' && node.resource_type !== 'snapshot' && Boolean(compiledCode);
}

/** The node's file under target/<kind>/<package>. */
function compiledRelPath(node: ManifestNode): string {
  const inFolder = node.test_metadata || node.resource_type === 'unit_test';
  // A unit test's file is dbt's get_pseudo_test_path: the property file's folder, then `<name>.sql`.
  const file = node.test_metadata ? path.posix.basename(node.path) : `${path.posix.dirname(node.original_file_path)}/${node.name}.sql`;
  // A node of many in a property file (a YAML snapshot, path `snapshot.yml/<name>.sql`) goes under it, as dbt's get_target_write_path.
  const manyInFile = !inFolder && /\.ya?ml$/.test(node.original_file_path) && path.posix.basename(node.path) !== path.posix.basename(node.original_file_path);
  return inFolder
    ? plainPath(node.original_file_path) && plainPath(file) ? `${node.original_file_path}/${file}` : path.posix.join(node.original_file_path, file)
    : manyInFile ? path.posix.join(node.original_file_path, node.path) : node.original_file_path;
}

/** `rel` under target/<kind>/<package>. */
function underTarget(targetDir: string, kind: 'compiled' | 'run', packageName: string, rel: string): string {
  // path.join's normalising, once per package and not per node (it was 0.37 s of CPU over 30,000 nodes).
  const key = `${targetDir}\0${kind}\0${packageName}`;
  let folder = packageFolders.get(key);
  if (folder === undefined) packageFolders.set(key, (folder = path.join(targetDir, kind, packageName)));
  return path.sep === '/' && plainPath(rel) && folder !== '.' && !folder.endsWith('/') ? `${folder}/${rel}` : path.join(folder, rel);
}

/** target/<kind>/<package> for each target folder, kind and package seen (a handful per command). */
const packageFolders = new Map<string, string>();

/** A relative path path.join would not change when appended: no empty, `.` or `..` segment, no leading or trailing `/`. */
const plainPath = (rel: string) => rel !== '' && rel[0] !== '/' && !rel.endsWith('/') && !rel.includes('//') && !/(^|\/)\.\.?(\/|$)/.test(rel);
