// The bundled CLI's entry (dist/bundle/bin.js, which bin/tsdbt.js imports; scripts/bundle-cli.ts
// builds it): runs the CLI, bundled as one CommonJS file (cli.cjs), through vm.Script with V8's
// code cache, as v8-compile-cache does (Node 20 has no module.enableCompileCache). Without the
// cache every start compiles the functions it runs again: for `tsdbt run` ~0.1 s of CPU.
//
// A cache holds the functions compiled by the process that wrote it, so each command keeps its own:
// `cli-<digest>-<command>.cache` beside the bundle (`run`, `parse`...; `none` for --version and
// --help), written after the command ran when there is none yet or V8 rejects it (another Node
// version). The digest (of cli.cjs, computed at build time) keeps another build's cache from ever
// being read; older builds' caches are removed when a new one is written. Nothing
// here can fail a command: an unreadable cache is compiled without, an unwritable folder (a
// read-only install) just keeps none, and a half-written cache is never seen (written aside, then
// renamed into place).
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

/** cli.cjs's digest, and the commands' first words (`docs` for `docs generate`): set by the build (esbuild `define`). */
declare const TSDBT_CLI_DIGEST: string;
declare const TSDBT_COMMAND_WORDS: string[];

const dir = path.dirname(fileURLToPath(import.meta.url));
const file = path.join(dir, 'cli.cjs');
const command = process.argv.slice(2).find((word) => TSDBT_COMMAND_WORDS.includes(word)) ?? 'none';
const cacheFile = path.join(dir, `cli-${TSDBT_CLI_DIGEST}-${command}.cache`);

let cachedData: Buffer | undefined;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // none yet
}
// CommonJS's own wrapper, so that the bundle sees require, module and __filename as under require().
const wrapper = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8').replace(/^#!.*/, '')}\n})`;
const script = new vm.Script(wrapper, { filename: file, cachedData, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });

if (cachedData === undefined || script.cachedDataRejected === true) {
  process.once('exit', () => {
    const aside = `${cacheFile}.${process.pid}`;
    try {
      writeFileSync(aside, script.createCachedData());
      renameSync(aside, cacheFile);
      for (const old of readdirSync(dir)) if (/^cli-[\w-]+\.cache(\.\d+)?$/.test(old) && !old.startsWith(`cli-${TSDBT_CLI_DIGEST}-`)) rmSync(path.join(dir, old), { force: true });
    } catch {
      // a read-only install: no cache
      try {
        rmSync(aside, { force: true });
      } catch {
        // nothing was written
      }
    }
  });
}

const cliModule = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void)(cliModule.exports, createRequire(file), cliModule, file, dir);
