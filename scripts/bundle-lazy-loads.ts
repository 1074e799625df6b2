// esbuild plugins of the bundled CLI (scripts/bundle-cli.ts) that put off loading what most
// commands never use: each start of `tsdbt run` ran these modules' top levels for nothing (issue 18).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'esbuild';

/** One package file (its path under node_modules/), its eager require, and the stand-in that requires the module on first use. */
interface LazyRequire {
  file: string;
  eager: string;
  lazy: string;
}

/**
 * commander requires node:child_process when it loads, for executable subcommands (`git-style`
 * commands, which tsdbt has none of), and child_process brings dgram, net's socket list and its own
 * internals: ~2.5 ms of CPU at every start on the loaded machine. pg's connection parameters
 * require node:dns for pg-native's connection string only (~1 ms). Each text is left as is when
 * the package's changes (the bundle still works, only the start pays for it again).
 */
export const LAZY_REQUIRES: LazyRequire[] = [
  {
    file: 'commander/lib/command.js',
    eager: "const childProcess = require('node:child_process');",
    lazy: "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };",
  },
  {
    file: 'pg/lib/connection-parameters.js',
    eager: "const dns = require('dns')",
    lazy: "const dns = { lookup: (...args) => require('dns').lookup(...args) }",
  },
];

export const lazyRequires: Plugin = {
  name: 'lazy-requires',
  setup(build) {
    for (const { file, eager, lazy } of LAZY_REQUIRES) {
      const filter = new RegExp(`[\\\\/]${file.split('/').map((part) => part.replace(/[.]/g, '\\.')).join('[\\\\/]')}$`);
      build.onLoad({ filter }, (args) => ({ contents: readFileSync(args.path, 'utf8').replace(eager, lazy), loader: 'js' }));
    }
  },
};

/**
 * Packages whose default import, from tsdbt's own modules, is a stand-in that loads the bundled
 * package at its first member read. semver builds ~40 regular expressions and a few comparators
 * when it loads (~4.5 ms of CPU at every start on the loaded machine), but only a project's
 * `require-dbt-version` and `tsdbt deps` use it (packages/version-range.ts, its one importer).
 * fastest-levenshtein allocates a 256 KB table when it loads, for the "did you mean" of an error
 * (errors/did-you-mean.ts, its one importer), which the logger brings into every start.
 */
export const LAZY_DEFAULT_IMPORTS = new Set(['semver', 'fastest-levenshtein']);

export function lazyDefaultImports(root: string): Plugin {
  return srcStandIns(
    'lazy-default-imports',
    root,
    (name) => LAZY_DEFAULT_IMPORTS.has(name),
    // The require is the bundled package's (esbuild resolves it from the project as any other).
    (name) => `let loaded;\nconst load = () => (loaded ??= require(${JSON.stringify(name)}));\nexport default new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load() });\n`,
  );
}

/** A plugin giving tsdbt's own imports (under `root`/src) of the modules `replaces` takes the module `contents` makes instead. */
function srcStandIns(name: string, root: string, replaces: (module: string) => boolean, contents: (module: string) => string): Plugin {
  const sources = path.join(root, 'src') + path.sep;
  return {
    name,
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => (replaces(args.path) && args.namespace === 'file' && args.importer.startsWith(sources) ? { path: args.path, namespace: name } : undefined));
      build.onLoad({ filter: /.*/, namespace: name }, (args) => ({ contents: contents(args.path), loader: 'js', resolveDir: root }));
    },
  };
}

/**
 * Node's built-in modules that tsdbt's modules import by default (`import path from 'node:path'`):
 * esbuild gives each importing module its own `__toESM(require('node:path'))`, an object with a
 * getter (a closure) per member of the module, made when the module loads: 83 of them for
 * node:path, ~1,600 getters and ~430 KB allocated before a run's first statement (issue 18). Here
 * the importers share one module that requires it once, its default the module itself and each
 * member a named export (as Node's ESM gives them).
 */
export const SHARED_BUILTIN_DEFAULTS = new Set(['node:path', 'node:os']);

export function sharedBuiltinDefaults(root: string): Plugin {
  return srcStandIns('shared-builtin-defaults', root, (name) => SHARED_BUILTIN_DEFAULTS.has(name), builtinModuleText);
}

/** The shared module of built-in `name`: its default and each of its members, read once when it loads. */
export function builtinModuleText(name: string): string {
  const members = Object.keys(createRequire(import.meta.url)(name) as object).filter((key) => /^[A-Za-z_$][\w$]*$/.test(key) && key !== 'default');
  return [`const builtin = require(${JSON.stringify(name)});`, 'export default builtin;', ...members.map((key) => `export const ${key} = builtin.${key};`), ''].join('\n');
}
