// A project's `.dbtignore` (dbt 1.3+, https://docs.getdbt.com/reference/dbtignore): patterns in
// .gitignore's syntax, in a file at the project's root, naming files dbt never reads, parses or
// detects. dbt matches each found file's path relative to the project root (dbt-common's
// find_matching, through pathspec's GitWildMatchPattern); `ignore` implements the same syntax.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type ignoreModule from 'ignore';

export const DBTIGNORE_FILE = '.dbtignore';

/**
 * A new `ignore` matcher, the package required only for a project that has a `.dbtignore`: every command that loads a
 * project imports this module, and Node compiling the package at each start cost ~2.5 ms of CPU
 * (issue 18). A CommonJS module whose types name its export `default`: under NodeNext that is the
 * module's `.default`, which the module sets to itself ("Fixes typescript").
 */
const newIgnore = (): ReturnType<typeof ignoreModule.default> => (createRequire(import.meta.url)('ignore') as typeof ignoreModule).default();

/** Whether a project-relative path is ignored; null when the project has no `.dbtignore`. */
export type IgnoredPath = (rel: string) => boolean;

export function dbtIgnore(projectDir: string): IgnoredPath | null {
  let text: string;
  try {
    text = readFileSync(path.join(projectDir, DBTIGNORE_FILE), 'utf8');
  } catch {
    return null;
  }
  const spec = newIgnore().add(text);
  // A resource folder given as an absolute path (`docs-paths: [/abs/docs]`) or outside the project
  // is no path the patterns can name.
  return (rel) => !path.posix.isAbsolute(rel) && !rel.startsWith('../') && spec.ignores(rel);
}
