// The bundled CLI's entry (dist/bundle/bin.js, which bin/tsdbt.js imports; scripts/bundle-cli.ts
// builds it): runs the CLI, bundled as one CommonJS file (cli.cjs), through vm.Script with V8's
// code cache, as v8-compile-cache does (Node 20 has no module.enableCompileCache). Without the
// cache every start compiles the functions it runs again: for `tsdbt run` ~0.1 s of CPU.
//
// A cache holds the functions compiled by the process that wrote it, so each command keeps its own:
// `cli-<digest>-<command>.cache` beside the bundle (`run`, `parse`...; `none` for --version and
// --help), written after the command ran when there is none yet or V8 rejects it (another Node
// version). The digest (of cli.cjs, computed at build time) keeps another build's cache from ever
// being read; older builds' caches are removed when a new one is written. Where the bundle's folder
// cannot be written (a read-only install, `npm i -g` by another user) the cache goes to the user's
// cache folder ($XDG_CACHE_HOME or ~/.cache, tsdbt/): without any cache every start would parse
// all of cli.cjs (~35 ms). Nothing here can fail a command: an unreadable cache is compiled
// without, an unwritable place is skipped, and a half-written cache is never seen (written aside,
// then renamed into place). `tsdbt --version` and `--help` alone are answered before any of that
// (cli-quick-answers.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { setFlagsFromString } from 'node:v8';
import vm from 'node:vm';
import { cachePlaces, readCacheFile, writeCacheFile } from '../src/config/code-cached-require.js';
import { quickAnswer } from './cli-quick-answers.js';
import { v8Flags } from './cli-v8-flags.js';

/** cli.cjs's digest, and the commands' first words (`docs` for `docs generate`): set by the build (esbuild `define`). */
declare const TSDBT_CLI_DIGEST: string;
declare const TSDBT_COMMAND_WORDS: string[];
/** `tsdbt --version`'s and `tsdbt --help`'s output at 80 columns, as cli.cjs printed them at build time. */
declare const TSDBT_VERSION_TEXT: string;
declare const TSDBT_HELP_TEXT: string;

const answer = quickAnswer(process.argv.slice(2), process.stdout.isTTY ? process.stdout.columns : undefined, { version: TSDBT_VERSION_TEXT, help80: TSDBT_HELP_TEXT });
if (answer === undefined) runCli();
else process.stdout.write(answer);

/** Runs cli.cjs (with its code cache). */
function runCli(): void {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  const file = path.join(dir, 'cli.cjs');
  const command = process.argv.slice(2).find((word) => TSDBT_COMMAND_WORDS.includes(word)) ?? 'none';
  const cacheName = `cli-${TSDBT_CLI_DIGEST}-${command}.cache`;
  // Before anything is compiled: V8 rejects a code cache made under other flags.
  const flags = v8Flags(command);
  // node:v8 only when there is a flag to set: loading it costs every other command's start ~2 ms of CPU.
  if (flags !== null) (createRequire(file)('node:v8') as { setFlagsFromString: typeof setFlagsFromString }).setFlagsFromString(flags);
  // Read by code that would set one of them later (src/loader/heap-growth.ts).
  (globalThis as Record<symbol, unknown>)[Symbol.for('tsdbt.v8Flags')] = flags ?? '';

  /** Beside the bundle, else the user's cache folder. */
  const cacheDirs = () => cachePlaces(dir);

  const cachedData = readCacheFile(cacheDirs(), cacheName);

  /** Writes the cache into `place` (false when it cannot), removing older builds' caches there. */
  const writeCache = (place: string, data: Buffer): boolean =>
    writeCacheFile(place, cacheName, data, (old) => /^cli-[\w-]+\.cache(\.\d+)?$/.test(old) && !old.startsWith(`cli-${TSDBT_CLI_DIGEST}-`));

  // The file is the bundle inside CommonJS's own wrapper, then the call that runs it under `node
  // cli.cjs` (scripts/bundle-cli.ts, wrapForLoader): compiled without that call, it gives the
  // wrapper's function, which is called as Node calls a module's. Read as latin1 (the file is
  // ASCII), Node keeps the text outside V8's heap, and the slice copies nothing.
  const text = readFileSync(file, 'latin1');
  const script = new vm.Script(text.slice(0, text.lastIndexOf(')(exports,') + 1), { filename: file, cachedData, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });

  if (cachedData === undefined || script.cachedDataRejected === true) {
    // The compiled code at the command's first checkpoint (src/app/code-cache-checkpoint.ts), else at the exit.
    let marked: Buffer | undefined;
    (globalThis as Record<symbol, unknown>)[Symbol.for('tsdbt.codeCacheCheckpoint')] = () => {
      try {
        marked ??= script.createCachedData();
      } catch {
        // taken at the exit instead
      }
    };
    process.once('exit', () => {
      try {
        const data = marked ?? script.createCachedData();
        cacheDirs().some((place) => writeCache(place, data));
      } catch {
        // no cache this time
      }
    });
  }

  const cliModule = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void)(cliModule.exports, createRequire(file), cliModule, file, dir);
}
