// esbuild plugins of the bundled CLI (scripts/bundle-cli.ts) that put off loading what most
// commands never use: each start of `tsdbt run` ran these modules' top levels for nothing (issue 18).
import { readFileSync } from 'node:fs';
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
 */
export const LAZY_DEFAULT_IMPORTS = new Set(['semver']);
const LAZY_NAMESPACE = 'lazy-default-import';

export function lazyDefaultImports(root: string): Plugin {
  const sources = path.join(root, 'src') + path.sep;
  return {
    name: 'lazy-default-imports',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) =>
        LAZY_DEFAULT_IMPORTS.has(args.path) && args.namespace === 'file' && args.importer.startsWith(sources) ? { path: args.path, namespace: LAZY_NAMESPACE } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: LAZY_NAMESPACE }, (args) => ({
        // The require is the bundled package's (esbuild resolves it from the project as any other).
        contents: `let loaded;\nconst load = () => (loaded ??= require(${JSON.stringify(args.path)}));\nexport default new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load() });\n`,
        loader: 'js',
        resolveDir: root,
      }));
    },
  };
}
