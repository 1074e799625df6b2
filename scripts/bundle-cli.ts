// `npm run build` (its last step): bundles the CLI, src/cli/bin.ts with every module it reaches,
// into dist/bundle/ with esbuild, one chunk per lazily imported command (`import()` stays lazy:
// `tsdbt --version` loads the entry chunk alone). bin/tsdbt.js runs it. Node then loads a few dozen
// files instead of the 300 modules tsc writes to dist/ (each resolved, read and linked on its
// own), which was 0.1-0.15 s of every command's start. npm packages stay imports of their own
// (they load from node_modules as before; bundling them gained nothing measurable). Modules that
// find files beside themselves (the global and adapter macros, package.json, the docs page script)
// look from dist/bundle/ too.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_BUNDLE_DIR = path.join(ROOT, 'dist', 'bundle');

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
    packages: 'external',
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
