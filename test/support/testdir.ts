// testdir({...files}): writes a throwaway dbt project into a fresh temporary folder (changesets'
// pattern), so end-to-end tests declare exactly the files they need.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const MINIMAL_PROJECT_YML = ['name: demo', "version: '1.0.0'", 'config-version: 2', 'profile: demo', ''].join('\n');

/** Creates the folder and files (keys are project-relative paths); returns the folder. */
export function testdir(files: Record<string, string>, prefix = 'tsdbt-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
