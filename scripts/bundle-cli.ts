// `npm run build` (its last step): bundles the CLI, src/cli/bin.ts with every module it reaches,
// into one CommonJS file, dist/bundle/cli.cjs, and its entry dist/bundle/bin.js
// (scripts/cli-bundle-loader.ts), which runs it through vm.Script with V8's code cache: a start
// compiles nothing it compiled the last time (for `tsdbt run` ~0.1 s of CPU; ESM has no code cache
// in Node 20). bin/tsdbt.js runs bin.js. Command modules stay lazy inside the one file: esbuild
// runs a module's top level when it is first imported, and V8 compiles a function when it is first
// called. npm packages stay require()s of their own (they load from node_modules as before; an
// import() of one becomes a require(), which vm.Script needs), except those in BUNDLED_PACKAGES:
// every command loads them at start, and each is spread over dozens of CommonJS files that Node
// resolves (realpath, package scope) and compiles one by one (yaml: ~60 files, 40-60 ms of each
// start; commander 7, and pg ~35 for every run on a server). Modules that find files beside
// themselves (the global and adapter macros, package.json, the docs page script) look from
// dist/bundle/ too (import.meta.url is cli.cjs's URL).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { COMMANDS } from '../src/cli/flags.js';
import { lazyDefaultImports, lazyRequires, sharedBuiltinDefaults } from './bundle-lazy-loads.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_BUNDLE_DIR = path.join(ROOT, 'dist', 'bundle');
/** npm packages bundled into the CLI rather than loaded from node_modules (see the header). */
const BUNDLED_PACKAGES = new Set([
  'yaml',
  'commander',
  'picocolors',
  // Required at the start of `run` and `parse` (issue 18), each resolved and compiled by Node without the code cache
  // (~40 ms of CPU together on the loaded machine).
  'js-yaml',
  'fastest-levenshtein',
  'color-name',
  'csv-parse',
  // semver (packages/version-range.ts): 47 files; loaded at its first use only (bundle-lazy-loads.ts).
  'semver',
  // nunjucks' lexer and parser (and the lib, nodes and object modules they require): jinja/engine/nunjucks-internals.ts
  // imports them, at the start of every command that loads the Jinja engine; 5 files, ~12 ms of CPU at load 12 from node_modules.
  'nunjucks',
  // pg and the packages it requires at load (not pg-native, pg-cloudflare or pgpass, which it requires only when used).
  ...['pg', 'pg-copy-streams', 'pg-protocol', 'pg-types', 'pg-pool', 'pg-connection-string', 'pg-int8', 'postgres-array', 'postgres-bytea', 'postgres-date', 'postgres-interval', 'xtend'],
]);

/** esbuild plugin: every bare import (an npm package or a node: builtin) stays external, but BUNDLED_PACKAGES. */
const externalPackages: Plugin = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (path.isAbsolute(args.path)) return undefined;
      const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : (args.path.split('/')[0] as string);
      return BUNDLED_PACKAGES.has(name) ? undefined : { external: true };
    });
  },
};

/**
 * What the bundled CLI prints for `flag` (--version, --help), which bin.js then prints without
 * loading it (scripts/cli-quick-answers.ts): stdout is a pipe, so commander wraps the help at 80
 * columns, and COLUMNS, colours and tsdbt's own variables are left out of the environment.
 */
function cliOutput(cli: string, flag: string): string {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(COLUMNS|FORCE_COLOR|NO_COLOR|DBT_|TSDBT_)/.test(name)));
  const run = spawnSync(process.execPath, [cli, flag], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (run.status !== 0 || run.stdout === '') throw new Error(`the bundled CLI's ${flag} failed (exit ${run.status}): ${run.stderr}`);
  return run.stdout;
}

/** What cli.cjs starts with: CommonJS's own wrapper, as Node's loader puts it around a module. */
export const CLI_HEAD = '(function (exports, require, module, __filename, __dirname) {';
/** What cli.cjs ends with: the call that runs it when Node loads it (`node cli.cjs`) as a module. */
export const CLI_TAIL = '\n})(exports, require, module, __filename, __dirname);\n';

/**
 * Writes the bundle `file` inside CommonJS's wrapper (CLI_HEAD, CLI_TAIL; without esbuild's
 * shebang line), so that bin.js compiles the file's own text, but its last call, as it is read:
 * one latin1 read, which Node keeps outside V8's heap, where a UTF-8 read, then the wrapper put
 * around it, made two 1.85 MB strings on the heap at every start (~15 ms of CPU at load 10, issue
 * 18). Fails the build if the file is not ASCII (latin1 would misread it). `node cli.cjs` still runs it.
 */
function wrapForLoader(file: string): void {
  const text = readFileSync(file, 'latin1').replace(/^#!.*/, '');
  const other = /[^\x00-\x7f]/.exec(text);
  if (other) throw new Error(`${file} is not ASCII (a ${JSON.stringify(other[0])} at ${other.index}): bin.js reads it as latin1`);
  writeFileSync(file, `${CLI_HEAD}${text}${CLI_TAIL}`, 'latin1');
}

/** The worker thread of `docs generate`'s column lineage (src/docs/lineage-tracer.ts), which finds it beside cli.cjs, bundled into `outfile`. */
export async function bundleLineageWorker(outfile: string) {
  const esbuild = await import('esbuild');
  return esbuild.build({
    entryPoints: [path.join(ROOT, 'src', 'docs', 'lineage-worker.ts')],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    plugins: [externalPackages],
    define: { 'import.meta.url': '__tsdbtModuleUrl' },
    supported: { 'dynamic-import': false },
    banner: { js: "const __tsdbtModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
    minifyWhitespace: true,
    metafile: true,
    logLevel: 'warning',
  });
}

/** Bundles the CLI into `outdir` (replaced): cli.cjs and its entry bin.js; returns the files written and their size. */
export async function bundleCli(outdir = CLI_BUNDLE_DIR): Promise<{ files: number; bytes: number }> {
  const esbuild = await import('esbuild');
  rmSync(outdir, { recursive: true, force: true });
  const cli = await esbuild.build({
    entryPoints: [path.join(ROOT, 'src', 'cli', 'bin.ts')],
    outfile: path.join(outdir, 'cli.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // lazyDefaultImports and sharedBuiltinDefaults before externalPackages: their stand-ins are asked for first.
    plugins: [lazyDefaultImports(ROOT), sharedBuiltinDefaults(ROOT), externalPackages, lazyRequires],
    // The modules that find files beside themselves read import.meta.url: the bundle's own URL.
    define: { 'import.meta.url': '__tsdbtModuleUrl' },
    // An import() of an external package becomes a require(): vm.Script (bin.js) runs no import()
    // without an experimental flag.
    supported: { 'dynamic-import': false },
    banner: { js: "const __tsdbtModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
    // 2.5 MB -> 1.85 MB: every start reads and decodes the whole file into one string, and V8 scans
    // it for the functions the code cache lacks (~50 ms of CPU a start on the loaded machine). Names
    // are kept (no minified identifiers); an internal error's stack (--debug) points into line 1.
    minifyWhitespace: true,
    // Every character as ASCII (esbuild escapes the others): bin.js reads the file as latin1 (wrapForLoader).
    charset: 'ascii',
    metafile: true,
    logLevel: 'warning',
  });
  wrapForLoader(path.join(outdir, 'cli.cjs'));
  const lineageWorker = await bundleLineageWorker(path.join(outdir, 'lineage-worker.cjs'));
  const printed = (flag: string) => cliOutput(path.join(outdir, 'cli.cjs'), flag);
  const digest = createHash('sha1').update(readFileSync(path.join(outdir, 'cli.cjs'))).digest('hex').slice(0, 16);
  // bin.js is CommonJS too (dist/bundle/package.json): bin/tsdbt.js requires it, and a start that
  // loads no ES module skips initialising Node's ESM loader.
  writeFileSync(path.join(outdir, 'package.json'), '{ "type": "commonjs" }\n');
  const entry = await esbuild.build({
    entryPoints: [path.join(ROOT, 'scripts', 'cli-bundle-loader.ts')],
    outfile: path.join(outdir, 'bin.js'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    define: {
      'import.meta.url': '__tsdbtModuleUrl',
      TSDBT_CLI_DIGEST: JSON.stringify(digest),
      TSDBT_COMMAND_WORDS: JSON.stringify([...new Set([...COMMANDS.map((c) => c.split(' ')[0]), 'list'])]),
      TSDBT_VERSION_TEXT: JSON.stringify(printed('--version')),
      TSDBT_HELP_TEXT: JSON.stringify(printed('--help')),
    },
    banner: { js: "const __tsdbtModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = [...Object.values(cli.metafile.outputs), ...Object.values(lineageWorker.metafile.outputs), ...Object.values(entry.metafile.outputs)];
  return { files: outputs.length, bytes: outputs.reduce((sum, o) => sum + o.bytes, 0) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { files, bytes } = await bundleCli();
  console.log(`dist/bundle/: the CLI in ${files} files, ${(bytes / 1e6).toFixed(2)} MB`);
}
