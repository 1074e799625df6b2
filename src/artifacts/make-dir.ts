// `mkdir -p` for the artifact writers, through node:fs's callback API: node:fs/promises costs
// every command that writes an artifact its loading (~2 ms of CPU on the loaded machine, with the
// readline and watcher modules it brings; issue 18), for one call. Like fs/promises' mkdir, the
// folder is made on libuv's thread pool and the caller resumes in a later turn of the event loop
// (a run's connection, opened meanwhile, starts before the manifest is written).
import { mkdir } from 'node:fs';

/** Makes `dir` and its parents if missing. */
export function makeDir(dir: string): Promise<void> {
  return new Promise((resolve, reject) => mkdir(dir, { recursive: true }, (err) => (err ? reject(err) : resolve())));
}
