// `tsdbt parse` of a throwaway project (written to a temporary folder, removed afterwards): the exit
// code and everything printed, for tests of what dbt refuses at parse.
import { runTsdbt } from './run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from './testdir.js';

/** An embedded PGlite profile named `demo`, for projects that never reach a warehouse. */
export const PGLITE_PROFILES = 'demo:\n  target: dev\n  outputs:\n    dev: {type: pglite, path: memory, schema: main}\n';

/** Parses `files` (dbt_project.yml and profiles.yml default to a minimal project on PGlite). */
export async function parseFiles(files: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'profiles.yml': PGLITE_PROFILES, ...files });
  try {
    const result = await runTsdbt(['parse', '--project-dir', dir, '--profiles-dir', dir]);
    return { code: result.code, out: result.stdout + result.stderr };
  } finally {
    removeDir(dir);
  }
}
