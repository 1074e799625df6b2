// `npm run build` (its last step): bundles the CLI, src/cli/bin.ts with every module it reaches,
// into dist/bundle/ with esbuild, one chunk per lazily imported command (`import()` stays lazy:
// `tsdbt --version` loads the entry chunk alone). bin/tsdbt.js runs it. Node then loads a few dozen
// files instead of the 300 modules tsc writes to dist/ (each resolved, read and linked on its
// own), which was 0.1-0.15 s of every command's start. npm packages stay imports of their own
// (they load from node_modules as before), except those in BUNDLED_PACKAGES: every command loads
// them at start, and each is spread over dozens of CommonJS files that Node resolves (realpath,
// package scope) and compiles one by one (yaml: ~60 files, 40-60 ms of each start), or are
// CommonJS that an ESM import loads through Node's CommonJS translator (commander: 7 files and
// child_process, ~20 ms; picocolors, whose import alone loads cjs-module-lexer). Modules that
// find files beside themselves (the global and adapter macros, package.json, the docs page script)
// look from dist/bundle/ too.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_BUNDLE_DIR = path.join(ROOT, 'dist', 'bundle');
/** npm packages bundled into the CLI rather than loaded from node_modules (see the header). */
const BUNDLED_PACKAGES = new Set([
  'yaml',
  'commander',
  'picocolors',
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

/** Bundles the CLI into `outdir` (replaced); returns the files written and their size. */
export async function bundleCli(outdir = CLI_BUNDLE_DIR): Promise<{ files: number; bytes: number }> {
  const esbuild = await import('esbuild');
  rmSync(outdir, { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints: { bin: path.join(ROOT, 'src', 'cli', 'bin.ts') },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [externalPackages],
    // A bundled CommonJS package's require() of a Node builtin (yaml's `require('process')`): esbuild's
    // ESM output has no require of its own, so each chunk makes one.
    banner: { js: "import { createRequire as __tsdbtCreateRequire } from 'node:module'; const require = __tsdbtCreateRequire(import.meta.url);" },
    chunkNames: 'chunk-[hash]',
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.values(result.metafile.outputs);
  return { files: outputs.length, bytes: outputs.reduce((sum, o) => sum + o.bytes, 0) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { files, bytes } = await bundleCli();
  console.log(`dist/bundle/: the CLI in ${files} files, ${(bytes / 1e6).toFixed(2)} MB`);
}
