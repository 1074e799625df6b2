// A project in a temporary folder, compiled (or parsed) in-process on an embedded target, for tests
// that check what parsing made of it: manifest.json and the compiled SQL. The profile is added
// (`demo`, PGlite in memory) unless the files bring one.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compileCommand } from '../../src/app/compile-command.js';
import { createInvocation } from '../../src/app/invocation.js';
import { parseCommand } from '../../src/app/parse-command.js';
import { testdir } from './testdir.js';

export const MEMORY_PROFILE = 'demo:\n  target: dev\n  outputs:\n    dev: {type: pglite, path: memory, schema: main}\n';

export interface OfflineProject {
  dir: string;
  /** What the command printed. */
  output: string;
  /** target/manifest.json. */
  manifest<T = Record<string, Record<string, Record<string, unknown>>>>(): T;
  /** A compiled model's SQL (target/compiled/<project>/models/<name>.sql). */
  compiled(name: string, folder?: string): string;
}

/** Writes `files`, runs `compile` (or `parse`) and fails with the output when it does not exit 0. */
export async function offlineProject(files: Record<string, string>, command: 'compile' | 'parse' = 'compile', project = 'demo'): Promise<OfflineProject> {
  const dir = testdir({ 'profiles.yml': MEMORY_PROFILE, ...files });
  const lines: string[] = [];
  const inv = createInvocation({ projectDir: dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir } });
  const code = command === 'compile' ? await compileCommand(inv) : await parseCommand(inv);
  const output = lines.join('\n');
  if (code !== 0) throw new Error(`tsdbt ${command} exited ${code}:\n${output}`);
  return {
    dir,
    output,
    manifest: <T>() => JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8')) as T,
    compiled: (name, folder = 'models') => readFileSync(path.join(dir, 'target', 'compiled', project, folder, `${name}.sql`), 'utf8'),
  };
}

/** Writes `files`, runs `parse` expecting it to fail, and returns the error with its file (`<message> at <file>`). */
export async function offlineParseError(files: Record<string, string>): Promise<string> {
  let project: OfflineProject;
  try {
    project = await offlineProject(files, 'parse');
  } catch (err) {
    const file = (err as { location?: { file?: string } }).location?.file ?? '(no file)';
    return `${String(err)} at ${file}`;
  }
  throw new Error(`parse passed:\n${project.output}`);
}
